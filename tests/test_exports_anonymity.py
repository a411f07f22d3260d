"""With anonymity "hidden", no participant's display name appears in any export: CSV, XLSX
(cell values and every part of the file), JSON and the report, whole workshop or one
session, in either language. With "facilitators", the same exports do name them."""

import io
import json
import zipfile

import openpyxl
import pytest
from exports_seed import EN_PEOPLE, ES_PEOPLE, read_csv_zip, seed

from facilitation.extensions import db
from facilitation.models import Workshop
from facilitation.services import workshops
from facilitation.unit_of_work import work

NAMES = [name for name, _org, _country in EN_PEOPLE + ES_PEOPLE]
ORGANISATIONS = [org for _name, org, _country in EN_PEOPLE + ES_PEOPLE]


def with_anonymity(app, workshop, facilitator, anonymity):
    seed(app, workshop, facilitator)
    with app.app_context(), work():
        workshops.set_display(db.session.get(Workshop, workshop["id"]), {"anonymity": anonymity})
    return workshop


@pytest.fixture
def hidden(app, workshop, facilitator):
    """The seeded workshop with anonymity "hidden"."""
    return with_anonymity(app, workshop, facilitator, "hidden")


@pytest.fixture
def named(app, workshop, facilitator):
    """The seeded workshop with anonymity "facilitators": names shown to facilitators."""
    return with_anonymity(app, workshop, facilitator, "facilitators")


def texts_of_every_export(client, workshop):
    """{what: the text a reader of that export sees} for each export and scope."""
    base = f"/facilitator/workshops/{workshop['id']}"
    found = {}
    scopes = {"all": "", "en": f"&session={workshop['en']['id']}"}
    scopes["es"] = f"&session={workshop['es']['id']}"
    for lang in ("en", "es"):
        for scope, query in scopes.items():
            csv_zip = client.get(f"{base}/export/csv?lang={lang}{query}", buffered=True)
            assert csv_zip.status_code == 200
            tables, raw = read_csv_zip(csv_zip.data)
            found[f"csv {lang} {scope}"] = "\n".join(
                "\t".join(row) for rows in tables.values() for row in rows
            ) + "".join(content.decode("utf-8-sig") for content in raw.values())

            xlsx = client.get(f"{base}/export/xlsx?lang={lang}{query}", buffered=True)
            assert xlsx.status_code == 200
            book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
            cells = [
                str(value)
                for sheet in book.worksheets
                for row in sheet.iter_rows(values_only=True)
                for value in row
                if value is not None
            ]
            with zipfile.ZipFile(io.BytesIO(xlsx.data)) as archive:
                parts = [archive.read(name).decode("utf-8") for name in archive.namelist()]
            found[f"xlsx {lang} {scope}"] = "\n".join(cells + parts)

            report = client.get(f"{base}/report?lang={lang}{query}")
            assert report.status_code == 200
            found[f"report {lang} {scope}"] = report.text
    document = client.get(f"{base}/export/json", buffered=True)
    assert document.status_code == 200
    found["json"] = document.data.decode("utf-8")
    found["json parsed"] = json.dumps(json.loads(document.data), ensure_ascii=False)
    return found


def test_hidden_names_appear_in_no_export(facilitator_client, hidden):
    exports = texts_of_every_export(facilitator_client, hidden)
    assert len(exports) == 20
    for what, text in exports.items():
        for name in NAMES:
            assert name not in text, (what, name)
    # the rest of what participants gave is still there
    assert all(org in exports["csv en all"] for org in ORGANISATIONS)
    assert all(org in exports["xlsx es all"] for org in ORGANISATIONS)
    assert "Ayuntamiento de Cádiz" in exports["report es all"]


def test_hidden_json_has_empty_display_names(facilitator_client, hidden):
    response = facilitator_client.get(
        f"/facilitator/workshops/{hidden['id']}/export/json", buffered=True
    )
    document = json.loads(response.data)
    assert document["workshop"]["anonymity"] == "hidden"
    assert [p["display_name"] for p in document["participants"]] == [""] * 6
    assert [p["organisation"] for p in document["participants"]] == ORGANISATIONS


def test_names_are_exported_when_facilitators_may_see_them(facilitator_client, named):
    """The control: the check above would notice names, because these exports have them."""
    exports = texts_of_every_export(facilitator_client, named)
    for what, text in exports.items():
        scope = what.split()[-1]
        expected = {"all": NAMES, "en": NAMES[:3], "es": NAMES[3:]}.get(scope, NAMES)
        for name in expected:
            assert name in text, (what, name)
