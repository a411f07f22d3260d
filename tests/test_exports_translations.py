"""Exports carry every participant text in each language of the workshop: XLSX and CSV
columns per language (the original, or a translation with its source), the JSON backup
with its translations (schema version 2; version 1 files still import), the report and
the Word document with the translation in the viewer's language under the original.
Translation rows are written where the engine would write them (translation_rows.py)."""

import io
import json

import docx
import openpyxl
import pytest
from conftest import make_app, make_facilitator, sign_in
from exports_seed import read_csv_zip, seed
from translation_rows import store

from facilitation.exports.restore import ImportProblem, import_workshop
from facilitation.extensions import db
from facilitation.models import Facilitator, Initiative, Item, Translation
from facilitation.services import translated


@pytest.fixture
def seeded(app, workshop, facilitator):
    """The seeded two-session workshop with translations: a machine translation of a
    Spanish title into English, a person's translation of an English barrier into
    Spanish (by Ana), and a stale one (of a wording that changed since)."""
    ids = seed(app, workshop, facilitator)
    carriles = ids["initiatives"][("es", "i1")]
    bikes = ids["initiatives"][("en", "i2")]
    store(app, "initiative", carriles, "title", "en", "Bike lanes 🚲", broadcast=False)
    store(app, "initiative", carriles, "description", "en", "Forty km of lanes", broadcast=False)
    store(
        app,
        "item",
        ids["items"]["b1"],
        "text",
        "es",
        "Compras lentas",
        "human",
        "Ana",
        broadcast=False,
    )
    store(app, "initiative", bikes, "title", "es", "Viejo", source="Old title", broadcast=False)
    return {**ids, "carriles": carriles, "bikes": bikes}


def by_id(header, body):
    return {row[0]: dict(zip(header, row, strict=True)) for row in body}


def xlsx(client, workshop_id, lang="en"):
    response = client.get(
        f"/facilitator/workshops/{workshop_id}/export/xlsx?lang={lang}", buffered=True
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheets = {}
    for name in ("Initiatives", "Barriers and enablers"):
        values = [
            ["" if v is None else v for v in r] for r in book[name].iter_rows(values_only=True)
        ]
        sheets[name] = by_id(values[0], values[1:])
    return sheets


def test_the_workbook_has_each_text_in_every_language(facilitator_client, workshop, seeded):
    sheets = xlsx(facilitator_client, workshop["id"])
    carriles = sheets["Initiatives"][seeded["carriles"]]
    assert (carriles["Title [es]"], carriles["Title [es]: source"]) == (
        "Carriles bici 🚲",
        "Original",
    )
    assert (carriles["Title [en]"], carriles["Title [en]: source"]) == (
        "Bike lanes 🚲",
        "Machine translation",
    )
    assert carriles["Description [en]"] == "Forty km of lanes"
    bikes = sheets["Initiatives"][seeded["bikes"]]
    # the stale translation is left out: the title changed since
    assert (bikes["Title [es]"], bikes["Title [es]: source"]) == ("", "")
    assert (bikes["Title [en]"], bikes["Title [en]: source"]) == ("Bike lanes", "Original")
    slow = sheets["Barriers and enablers"][seeded["items"]["b1"]]
    assert (slow["Text [es]"], slow["Text [es]: source"]) == ("Compras lentas", "Translated by Ana")
    assert (slow["Text [en]"], slow["Text [en]: source"]) == ("Slow procurement", "Original")


def test_the_csv_has_the_same_columns_in_the_exporters_language(
    facilitator_client, workshop, seeded
):
    response = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/csv?lang=es", buffered=True
    )
    tables, _raw = read_csv_zip(response.data)
    found = by_id(tables["initiatives.csv"][0], [r for r in tables["initiatives.csv"][1:]])
    row = found[str(seeded["carriles"])]
    assert row["Título [en]"] == "Bike lanes 🚲"
    assert row["Título [en]: origen"] == "Traducción automática"
    assert row["Título [es]: origen"] == "Original"
    items = by_id(tables["items.csv"][0], tables["items.csv"][1:])
    assert items[str(seeded["items"]["b1"])]["Texto [es]: origen"] == "Traducido por Ana"


def test_who_translated_is_left_out_where_names_are_hidden(
    app, facilitator_client, workshop, seeded
):
    from facilitation.models import Workshop
    from facilitation.services import workshops
    from facilitation.unit_of_work import work

    with app.app_context(), work():
        workshops.set_display(db.session.get(Workshop, workshop["id"]), {"anonymity": "hidden"})
    slow = xlsx(facilitator_client, workshop["id"])["Barriers and enablers"][seeded["items"]["b1"]]
    assert slow["Text [es]: source"] == "Human translation"
    document = json.loads(export(facilitator_client, workshop["id"]))
    assert {t["translated_by"] for t in document["translations"]} == {None}


def export(client, workshop_id):
    response = client.get(f"/facilitator/workshops/{workshop_id}/export/json", buffered=True)
    assert response.status_code == 200
    return response.data


def fresh(tmp_path):
    folder = tmp_path / "second"
    folder.mkdir()
    second = make_app(folder)
    return second, make_facilitator(second, email="bea@example.org", name="Bea")


def load(second, bea, document):
    with second.app_context():
        found = import_workshop(document, db.session.get(Facilitator, bea), ["en", "es", "fr"])
        return found.id


def test_the_backup_round_trips_translations(facilitator_client, workshop, seeded, tmp_path):
    document = json.loads(export(facilitator_client, workshop["id"]))
    assert document["schema_version"] == 2
    kept = {
        (t["subject"], t["field"], t["language"], t["origin"]) for t in document["translations"]
    }
    assert kept == {
        ("initiative", "title", "en", "machine"),
        ("initiative", "description", "en", "machine"),
        ("item", "text", "es", "human"),
        ("initiative", "title", "es", "machine"),  # stale, kept: the engine replaces it
    }
    second, bea = fresh(tmp_path)
    new_id = load(second, bea, document)
    with second.app_context():
        carriles = Initiative.query.filter_by(title="Carriles bici 🚲").one()
        slow = Item.query.filter_by(text="Slow procurement").one()
        assert translated.for_initiatives([carriles.id])[carriles.id]["en"]["title"] == {
            "text": "Bike lanes 🚲",
            "origin": "machine",
            "by": None,
        }
        assert translated.for_items([slow.id])[slow.id]["es"]["text"]["by"] == "Ana"
        assert Translation.query.filter_by(workshop_id=new_id).count() == 4
    again = json.loads(export(sign_in(second.test_client(), "bea@example.org"), new_id))
    strip = lambda doc: sorted(  # noqa: E731
        json.dumps({k: v for k, v in t.items() if k != "subject_id"}) for t in doc["translations"]
    )
    assert strip(again) == strip(document)


def test_a_version_1_file_still_imports(facilitator_client, workshop, seeded, tmp_path):
    """A file written before translations were kept: version 1, no `translations` list."""
    document = json.loads(export(facilitator_client, workshop["id"]))
    document["schema_version"] = 1
    del document["translations"]
    second, bea = fresh(tmp_path)
    new_id = load(second, bea, document)
    with second.app_context():
        assert Initiative.query.count() == 8
        assert Translation.query.filter_by(workshop_id=new_id).count() == 0
    document["translations"] = []
    with pytest.raises(ImportProblem) as refused:
        load(second, bea, document)
    assert refused.value.detail == "translations: not in a version 1 file"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"subject": "vote"}, "translations[0].subject: expected initiative or item"),
        ({"field": "text"}, "translations[0].field: no such field of an initiative"),
        ({"subject_id": 987654}, "translations[0].subject_id"),
        ({"language": "xx"}, "translations[0].language: no catalogue here"),
        ({"origin": "oracle"}, "translations[0].origin: unknown origin"),
        ({"source_digest": "nope"}, "translations[0].source_digest: expected a SHA-256 in hex"),
        ({"text": ""}, "translations[0].text: invalid"),
    ],
)
def test_a_broken_translation_refuses_the_file(
    facilitator_client, workshop, seeded, tmp_path, change, problem
):
    document = json.loads(export(facilitator_client, workshop["id"]))
    document["translations"].sort(key=lambda t: t["subject"])  # an initiative's first
    document["translations"][0].update(change)
    second, bea = fresh(tmp_path)
    with pytest.raises(ImportProblem) as refused:
        load(second, bea, document)
    assert refused.value.detail.startswith(problem), refused.value.detail


def test_the_report_shows_the_translation_in_the_viewers_language(
    facilitator_client, workshop, seeded
):
    english = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}/report?lang=en")
    html = english.get_data(as_text=True)
    assert '<h4 lang="es">Carriles bici 🚲</h4>' in html
    assert (
        '<span lang="en">Bike lanes 🚲</span> <span class="tr-label">(Machine translation)</span>'
        in html
    )
    assert '<span lang="en">Forty km of lanes</span>' in html
    spanish = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}/report?lang=es")
    html = spanish.get_data(as_text=True)
    # the merged barrier: its English text, then its translation into Spanish by Ana
    assert (
        '<span lang="es">Compras lentas</span> <span class="tr-label">(Traducción humana)</span>'
        in html
    )
    assert "Bike lanes 🚲" not in html  # no Spanish reader needs an English translation


def test_the_word_report_has_the_translation_under_the_original(
    facilitator_client, workshop, seeded
):
    response = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/report.docx?lang=en", buffered=True
    )
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.data)).paragraphs]
    at = paragraphs.index("Carriles bici 🚲")
    assert paragraphs[at + 1] == "Bike lanes 🚲 (Machine translation)"
