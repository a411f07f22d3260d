"""The CSV export (a zip of UTF-8 CSV files with a BOM): formula injection is neutralised,
accents, emoji and newlines survive a round trip through csv.reader."""

import codecs
import gc
import io
import json
import zipfile

import openpyxl
import pytest
from exports_seed import read_csv_zip, seed

from facilitation.exports.writers import inert
from facilitation.extensions import db
from facilitation.models import Initiative, Session
from facilitation.services import initiatives, items, participants, workshops
from facilitation.unit_of_work import work

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# what participants can type: the services keep these as they are
TYPED = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", '=HYPERLINK("http://x")']
# leading tab / carriage return: the forms collapse white space, a foreign import does not
CONTROL = ["\t=1+1", "\r=cmd", "\t@SUM(A1)", "\r-2"]
ACCENTED = ["Participación ciudadana 🚲", "Zoë Ñúñez 🙂", "Łódź – Żółć", "Αθήνα", "東京"]
MULTILINE = '=First line\nsecond line, with "quotes"\r\nthird line ; fourth'
TABLES = [
    "initiatives.csv",
    "items.csv",
    "ranking.csv",
    "initiatives_matrix.csv",
    "sdg_picks.csv",
    "participants.csv",
]


@pytest.fixture
def hostile(app, workshop, facilitator):
    """A session whose participants typed formulas, accents, emoji and newlines."""
    with app.app_context(), work():
        en = db.session.get(Session, workshop["en"]["id"])
        people = [
            participants.join(
                en.join_code, {"display_name": name, "organisation": org, "country": country}
            )
            for name, org, country in [
                (TYPED[0], TYPED[1], TYPED[2]),
                (TYPED[3], ACCENTED[1], ACCENTED[2]),
                (ACCENTED[3], TYPED[4], ACCENTED[4]),
            ]
        ]
        texts = [*TYPED, *ACCENTED]
        for n, title in enumerate(texts):
            initiatives.post(
                people[n % 3],
                {
                    "client_id": f"c{n}",
                    "title": title,
                    "description": texts[-1 - n],
                    "axis": "economy",
                    "sdgs": [8],
                },
            )
        initiatives.post(
            people[0],
            {
                "client_id": "multi",
                "title": "Multi",
                "description": MULTILINE,
                "axis": "quality",
                "sdgs": [3],
            },
        )
        workshops.set_phase(en, "proposing")
        for n, text in enumerate(texts):
            items.propose(
                people[n % 3],
                {"client_id": f"p{n}", "kind": ("barrier", "enabler")[n % 2], "text": text},
            )
    return workshop


@pytest.fixture
def seeded_workshop(app, workshop, facilitator):
    """The two-session workshop after every phase (see exports_seed.seed)."""
    seed(app, workshop, facilitator)
    return workshop


def download(client, workshop_id, query="lang=en"):
    response = client.get(f"/facilitator/workshops/{workshop_id}/export/csv?{query}", buffered=True)
    assert response.status_code == 200, response.text
    assert response.mimetype == "application/zip"
    return response.data


def all_cells(tables):
    return [cell for rows in tables.values() for row in rows for cell in row]


def test_inert_neutralises_every_formula_start():
    for value in [*TYPED, *CONTROL]:
        assert inert(value) == "'" + value
    for value in ["1+1", "Plain", "", "'=already", " =space first", 42, None]:
        assert inert(value) == value


def test_typed_formulas_come_out_inert(facilitator_client, hostile):
    tables, _raw = read_csv_zip(download(facilitator_client, hostile["id"]))
    assert set(TABLES) <= set(tables)
    cells = all_cells(tables)
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    for value in TYPED:
        assert "'" + value in cells, value
        assert value not in cells, value
    initiatives_rows = tables["initiatives.csv"]
    titles = [row[3] for row in initiatives_rows[1:]]
    assert titles[:5] == ["'" + v for v in TYPED]
    names = {row[3] for row in tables["participants.csv"][1:]}
    assert names == {"'=1+1", "'@SUM(A1)", "Αθήνα"}
    item_texts = {row[4] for row in tables["items.csv"][1:]}
    assert {"'" + v for v in TYPED} <= item_texts


def test_control_character_prefixes_come_out_inert(app, facilitator_client, workshop, tmp_path):
    """Values that start with a tab or carriage return cannot be typed in the forms (white
    space is collapsed); an imported file's participants are cleaned by the same rule
    (schemas), as are session names, and whatever is left of a formula comes out inert."""
    document = {
        "schema_version": 1,
        "workshop": {
            "title": "Imported",
            "date": "2026-05-10",
            "description": "",
            "anonymity": "public",
            "dots": 5,
            "dots_per_item": 2,
            "separate_budgets": False,
            "sdg_limit": 3,
            "results_to_participants": False,
            "created_at": "2026-05-01T09:00:00Z",
        },
        "sessions": [
            {
                "id": 1,
                "name": "\t=Session",
                "language": "en",
                "join_code": "ACDEFG",
                "phase": "results",
                "phase_ends_at": None,
                "seq": 0,
                "created_at": "2026-05-01T09:00:00Z",
            },
        ],
        "participants": [
            {
                "id": n,
                "session_id": 1,
                "display_name": value,
                "organisation": value,
                "country": value,
                "created_at": "2026-05-01T09:00:00Z",
            }
            for n, value in enumerate(CONTROL, start=1)
        ],
        "initiatives": [],
        "item_groups": [],
        "items": [],
        "votes": [],
        "sdg_picks": [],
    }
    response = facilitator_client.post(
        "/facilitator/import",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "x.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    new_id = int(response.headers["Location"].rsplit("/", 1)[1])
    tables, _raw = read_csv_zip(download(facilitator_client, new_id))
    people = tables["participants.csv"][1:]
    assert [row[3:6] for row in people] == [["'" + " ".join(v.split())] * 3 for v in CONTROL]
    assert {row[1] for row in people} == {"'=Session"}
    assert not [c for c in all_cells(tables) if c.startswith(FORMULA_START)]


def test_every_file_starts_with_one_bom(facilitator_client, hostile):
    _tables, raw = read_csv_zip(download(facilitator_client, hostile["id"]))
    assert len(raw) == 10  # 3 lists, the ranking, 2 x (combined + 2 sessions) matrices
    for name, content in raw.items():
        assert content.startswith(codecs.BOM_UTF8), name
        assert not content[3:].startswith(codecs.BOM_UTF8), name
        content.decode("utf-8")  # the rest is plain UTF-8


def test_accents_emoji_and_newlines_survive(app, facilitator_client, hostile):
    tables, _raw = read_csv_zip(download(facilitator_client, hostile["id"]))
    cells = all_cells(tables)
    for value in ACCENTED:
        assert value in cells, value
    with app.app_context():
        stored = {
            i.title: i.description
            for i in Initiative.query.filter_by(session_id=hostile["en"]["id"])
        }
    assert stored["Multi"] == MULTILINE  # the service kept the newlines
    exported = {row[3]: row[4] for row in tables["initiatives.csv"][1:]}
    assert exported["Multi"] == "'" + MULTILINE
    for title in ACCENTED:
        assert exported[title] == inert(stored[title]), title
    assert exported["'" + TYPED[0]] == ACCENTED[4]  # as stored, nothing to neutralise
    assert len(tables["initiatives.csv"]) == 1 + len(TYPED) + len(ACCENTED) + 1


def test_spanish_csv_has_spanish_names_and_headers(facilitator_client, hostile):
    tables, _raw = read_csv_zip(download(facilitator_client, hostile["id"], "lang=es"))
    axes = {row[5] for row in tables["initiatives.csv"][1:]}
    assert axes == {"Economía inteligente", "Calidad de vida"}
    assert tables["initiatives_matrix.csv"][1][0] == "Economía inteligente"
    assert tables["initiatives_matrix.csv"][0][8] == "8 Trabajo decente y crecimiento económico"


def test_xlsx_keeps_formulas_as_text(facilitator_client, hostile):
    """The workbook writes every text as a string cell: nothing becomes a formula."""
    response = facilitator_client.get(
        f"/facilitator/workshops/{hostile['id']}/export/xlsx?lang=en", buffered=True
    )
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    for value in TYPED:
        assert value in values, value
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(b"<f>" in archive.read(n) for n in sheets)


def test_session_csv_holds_one_session(app, facilitator_client, seeded_workshop):
    tables, _raw = read_csv_zip(
        download(
            facilitator_client,
            seeded_workshop["id"],
            f"lang=en&session={seeded_workshop['es']['id']}",
        )
    )
    assert sorted(tables) == sorted(
        [
            "initiatives.csv",
            "items.csv",
            "ranking.csv",
            f"initiatives_matrix_{seeded_workshop['es']['id']}.csv",
            f"sdg_picks_{seeded_workshop['es']['id']}.csv",
            "participants.csv",
        ]
    )
    assert {row[1] for row in tables["initiatives.csv"][1:]} == {"Grupo español"}
    assert len(tables["participants.csv"]) == 1 + 3


def get_or_fail(client, url):
    """GET `url`; if the app raises, fail here and let the half-written download's
    temporary file be collected now, so its ResourceWarning stays with this test."""
    try:
        return client.get(url, buffered=True)
    except Exception as error:  # reported as the failure below
        failure = f"{url} raised {type(error).__name__}: {error}"
    gc.collect()
    pytest.fail(failure)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_workshop_without_sessions_exports(app, facilitator_client, fmt):
    """A workshop just created, before any session was added, exports empty tables."""
    response = facilitator_client.post(
        "/facilitator/workshops/new", data={"title": "Not started", "date": "2026-06-01"}
    )
    assert response.status_code == 302
    workshop_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = get_or_fail(
        facilitator_client, f"/facilitator/workshops/{workshop_id}/export/{fmt}?lang=en"
    )
    assert response.status_code == 200
    if fmt == "csv":
        tables, _raw = read_csv_zip(response.data)
        assert len(tables["initiatives.csv"]) == 1 and tables["initiatives.csv"][0][0] == "ID"
    elif fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(response.data))
        assert book.sheetnames[0] == "Initiatives"
    else:
        assert json.loads(response.data)["sessions"] == []
    report = facilitator_client.get(f"/facilitator/workshops/{workshop_id}/report?lang=en")
    assert report.status_code == 200 and "Not started" in report.text
