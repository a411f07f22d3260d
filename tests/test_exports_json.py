"""The JSON export (schema_version 2) round-trips: exported, imported into a fresh app and
database (through `flask import` and through the upload page), exported again, it is the
same file apart from what docs/export-format.md says changes on import."""

import copy
import io
import json

import openpyxl
import pytest
from conftest import make_app, make_facilitator, sign_in
from exports_seed import seed

from facilitation.domain.join_codes import normalise_join_code
from facilitation.extensions import db
from facilitation.models import Item, Session, Workshop

LISTS = ("sessions", "participants", "initiatives", "item_groups", "items", "votes")
REFERENCES = {
    "session_id": "sessions",
    "participant_id": "participants",
    "item_id": "items",
    "group_id": "item_groups",
}


@pytest.fixture
def seeded(app, workshop, facilitator):
    """The two-session workshop after every phase (see exports_seed.seed)."""
    return seed(app, workshop, facilitator)


def other_app(tmp_path, name):
    """A second app on its own database file, with its own facilitator `bea@example.org`."""
    folder = tmp_path / name
    folder.mkdir()
    second = make_app(folder)
    make_facilitator(second, email="bea@example.org", name="Bea")
    return second


def normalise(document, join_codes=True):
    """The export with what an import changes taken out: exported_at and the workshop id
    dropped, every id replaced by its record's position, references rewritten to match
    (so a reference to the wrong record still shows), join codes dropped if asked."""
    doc = copy.deepcopy(document)
    doc.pop("exported_at")
    doc["workshop"].pop("id")
    positions = {key: {r["id"]: n for n, r in enumerate(doc[key])} for key in LISTS}
    for key in (*LISTS, "sdg_picks"):
        for record in doc[key]:
            if "id" in record:
                record["id"] = positions[key][record["id"]]
            for field, target in REFERENCES.items():
                if record.get(field) is not None:
                    record[field] = positions[target][record[field]]
    subjects = {"initiative": "initiatives", "item": "items"}
    for record in doc.get("translations", []):
        record["subject_id"] = positions[subjects[record["subject"]]][record["subject_id"]]
    if not join_codes:
        for session in doc["sessions"]:
            session.pop("join_code")
    return doc


def export_json(app, workshop_id, tmp_path, name):
    """`flask export ID --format json`; returns the parsed file."""
    out = tmp_path / name
    result = app.test_cli_runner().invoke(
        args=["export", str(workshop_id), "--format", "json", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    return json.loads(out.read_text(encoding="utf-8"))


def import_with_cli(app, path, email="bea@example.org"):
    result = app.test_cli_runner().invoke(args=["import", str(path), "--facilitator", email])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Imported as workshop ")
    return int(result.output.strip().removeprefix("Imported as workshop ").rstrip("."))


def import_with_upload(app, payload, email="bea@example.org"):
    client = sign_in(app.test_client(), email)
    response = client.post(
        "/facilitator/import",
        data={"file": (io.BytesIO(payload), "workshop.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


@pytest.mark.parametrize("route", ["cli", "upload"])
def test_round_trip_into_a_fresh_database(
    app, facilitator_client, seeded, workshop, tmp_path, route
):
    response = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    first = json.loads(response.data)
    second_app = other_app(tmp_path, "second")
    if route == "cli":
        path = tmp_path / "first.json"
        path.write_bytes(response.data)
        new_id = import_with_cli(second_app, path)
    else:
        new_id = import_with_upload(second_app, response.data)
    again = export_json(second_app, new_id, tmp_path, "again.json")

    assert again["schema_version"] == first["schema_version"] == 2
    assert again["workshop"]["id"] == new_id
    # a fresh database has none of the join codes: they are kept
    assert [s["join_code"] for s in again["sessions"]] == [
        s["join_code"] for s in first["sessions"]
    ]
    assert normalise(again) == normalise(first)
    # the seed has something in every list, so the comparison above covers every kind
    assert all(first[key] for key in (*LISTS, "sdg_picks"))


def test_round_trip_through_the_cli_export(app, seeded, workshop, tmp_path):
    """`flask export --format json` writes the same document as the download."""
    first = export_json(app, workshop["id"], tmp_path, "cli.json")
    second_app = other_app(tmp_path, "second")
    new_id = import_with_cli(second_app, tmp_path / "cli.json")
    assert normalise(export_json(second_app, new_id, tmp_path, "again.json")) == normalise(first)


def test_import_keeps_the_results(app, facilitator_client, seeded, workshop, tmp_path):
    """Rankings and matrices of the imported workshop's XLSX equal the original's."""
    payload = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
    ).data
    second_app = other_app(tmp_path, "second")
    new_id = import_with_upload(second_app, payload)
    mine = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/xlsx?lang=es", buffered=True
    )
    theirs = sign_in(second_app.test_client(), "bea@example.org").get(
        f"/facilitator/workshops/{new_id}/export/xlsx?lang=es", buffered=True
    )
    books = [openpyxl.load_workbook(io.BytesIO(r.data)) for r in (mine, theirs)]
    # sheet 3 is the ranking, 4-9 the matrices; their titles hold session names, not ids
    for index in range(2, 9):
        original, imported = (list(b.worksheets[index].values) for b in books)
        assert original == imported, books[0].worksheets[index].title
    assert len(list(books[0].worksheets[2].values)) == 5  # header + 2 barriers + 2 enablers


def test_import_into_the_same_database_renews_clashing_join_codes(
    app, facilitator_client, seeded, workshop
):
    response = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
    )
    first = json.loads(response.data)
    new_id = import_with_upload(app, response.data, email="ana@example.org")
    assert new_id != workshop["id"]
    again = json.loads(
        facilitator_client.get(f"/facilitator/workshops/{new_id}/export/json", buffered=True).data
    )
    old_codes = {s["join_code"] for s in first["sessions"]}
    new_codes = [s["join_code"] for s in again["sessions"]]
    assert not old_codes & set(new_codes)
    assert all(normalise_join_code(code) == code for code in new_codes)
    assert len(set(new_codes)) == 2
    assert normalise(again, join_codes=False) == normalise(first, join_codes=False)
    # ids are renumbered: nothing of the new workshop reuses the old ids
    assert not {s["id"] for s in first["sessions"]} & {s["id"] for s in again["sessions"]}
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in again["items"]}


def test_importer_runs_the_workshop_and_owns_facilitator_items(
    app, facilitator_client, seeded, workshop, facilitator
):
    payload = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
    ).data
    importer = make_facilitator(app, email="bea@example.org", name="Bea")
    new_id = import_with_upload(app, payload)
    with app.app_context():
        imported = db.session.get(Workshop, new_id)
        assert [f.id for f in imported.facilitators] == [importer]
        by_facilitator = (
            Item.query.join(Session)
            .filter(Session.workshop_id == new_id, Item.facilitator_id.isnot(None))
            .all()
        )
        assert [(i.text, i.facilitator_id) for i in by_facilitator] == [
            ("Training for staff", importer)
        ]
        original = db.session.get(Item, seeded["items"]["f1"])
        assert original.facilitator_id == facilitator
    # the importer can open it; the exporter, who does not run the copy, cannot
    bea = sign_in(app.test_client(), "bea@example.org")
    assert bea.get(f"/facilitator/workshops/{new_id}/export/json", buffered=True).status_code == 200
    assert (
        facilitator_client.get(
            f"/facilitator/workshops/{new_id}/export/json", buffered=True
        ).status_code
        == 404
    )


def test_import_is_free_of_sqlalchemy_warnings(app, facilitator_client, seeded, workshop):
    """Warnings are errors in this project; importing a two-session file must not warn."""
    payload = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
    ).data
    new_id = import_with_upload(app, payload, email="ana@example.org")
    with app.app_context():
        assert db.session.get(Workshop, new_id).title == "Smart Cities Study"


def test_sessions_sharing_a_join_code_in_one_file_get_distinct_codes(
    app, facilitator_client, seeded, workshop
):
    """Join codes are kept only where free: that includes free of the file's own sessions."""
    document = json.loads(
        facilitator_client.get(
            f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
        ).data
    )
    for session in document["sessions"]:
        session["join_code"] = "ACDEFG"
    new_id = import_with_upload(app, json.dumps(document).encode(), email="ana@example.org")
    with app.app_context():
        codes = [s.join_code for s in db.session.get(Workshop, new_id).sessions]
    assert len(set(codes)) == 2 and all(normalise_join_code(c) == c for c in codes)


def test_imported_join_codes_are_codes_participants_can_type(
    app, facilitator_client, seeded, workshop
):
    """A foreign file's join code that is no valid code (lower case, wrong length, letters
    the alphabet leaves out) is replaced, or the session could never be joined."""
    document = json.loads(
        facilitator_client.get(
            f"/facilitator/workshops/{workshop['id']}/export/json", buffered=True
        ).data
    )
    document["sessions"][0]["join_code"] = "hello"
    document["sessions"][1]["join_code"] = "SO1O0I"
    new_id = import_with_upload(app, json.dumps(document).encode(), email="ana@example.org")
    with app.app_context():
        codes = [s.join_code for s in db.session.get(Workshop, new_id).sessions]
    assert all(normalise_join_code(code) == code for code in codes), codes
