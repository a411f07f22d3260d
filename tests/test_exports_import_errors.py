"""Damaged or foreign files fail to import with a clear message, on the upload page (400,
the translated headline and the detail) and in `flask import`, and change nothing."""

import copy
import html
import io
import json

import pytest
from conftest import translated
from exports_seed import export_document, row_counts, seeded_app

HEADLINE = "This file cannot be imported; nothing was changed."


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    """The seeded workshop's JSON export, parsed (built once for the module)."""
    source, workshop, _ids = seeded_app(tmp_path_factory.mktemp("source"))
    return export_document(source, workshop["id"])


@pytest.fixture
def exported(document, workshop):
    """A copy of the export, and a database that holds a workshop already."""
    return copy.deepcopy(document)


def changed(document, change):
    doc = copy.deepcopy(document)
    change(doc)
    return json.dumps(doc).encode()


def _set(path, value):
    """A change that sets doc[path[0]][path[1]]... to `value`."""

    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(key):
    return lambda doc: doc.pop(key)


# (case id, how the file is damaged, the detail the message must carry)
DAMAGED = [
    ("not json", lambda doc: b"PK\x03\x04 this is a zip, not JSON", "file: not a JSON document"),
    ("not utf-8", lambda doc: b"\xff\xfe\x00{", "file: not a JSON document"),
    ("empty", lambda doc: b"", "file: not a JSON document"),
    ("a list", lambda doc: b"[1, 2, 3]", "file: not a workshop export"),
    ("another json", lambda doc: b'{"name": "package.json"}', "file: not a workshop export"),
    (
        "schema_version 3",
        lambda doc: changed(doc, _set(["schema_version"], 3)),
        "schema_version: version 3 is not supported (expected 1 or 2)",
    ),
    (
        "schema_version as text",
        lambda doc: changed(doc, _set(["schema_version"], "1")),
        "schema_version: version '1' is not supported (expected 1 or 2)",
    ),
    (
        "unknown axis on an initiative",
        lambda doc: changed(doc, _set(["initiatives", 0, "axis"], "outer_space")),
        "initiatives[0]: invalid ['axis']",
    ),
    (
        "unknown axis on an SDG pick",
        lambda doc: changed(doc, _set(["sdg_picks", 2, "axis"], "outer_space")),
        "sdg_picks[2].axis: unknown axis",
    ),
    (
        "unknown axis on an item",
        lambda doc: changed(doc, _set(["items", 0, "axis"], "outer_space")),
        "items[0]: invalid ['axis']",
    ),
    (
        "unknown SDG",
        lambda doc: changed(doc, _set(["sdg_picks", 0, "sdg"], 18)),
        "sdg_picks[0].sdg: unknown SDG",
    ),
    (
        "dangling participant of an initiative",
        lambda doc: changed(doc, _set(["initiatives", 3, "participant_id"], 999)),
        "initiatives[3].participant_id: refers to no known record",
    ),
    (
        "dangling item of a vote",
        lambda doc: changed(doc, _set(["votes", 14, "item_id"], 999)),
        "votes[14].item_id: refers to no known record",
    ),
    (
        "dangling group of an item",
        lambda doc: changed(doc, _set(["items", 1, "group_id"], 999)),
        "items[1].group_id: refers to no known record",
    ),
    (
        "dangling session of a participant",
        lambda doc: changed(doc, _set(["participants", 5, "session_id"], 999)),
        "participants[5].session_id: refers to no known record",
    ),
    (
        "missing list",
        lambda doc: changed(doc, _drop("votes")),
        "votes: expected a list",
    ),
    (
        "unknown phase",
        lambda doc: changed(doc, _set(["sessions", 1, "phase"], "party")),
        "sessions[1].phase: unknown phase",
    ),
    (
        "language without a catalogue",
        lambda doc: changed(doc, _set(["sessions", 0, "language"], "tlh")),
        "sessions[0].language: no catalogue here",
    ),
    (
        "vote of two dots",
        lambda doc: changed(doc, _set(["votes", 0, "delta"], 2)),
        "votes[0].delta: must be 1 or -1",
    ),
    (
        "bad time",
        lambda doc: changed(doc, _set(["items", 2, "created_at"], "yesterday")),
        "items[2].created_at: not a date and time",
    ),
    (
        "unknown anonymity",
        lambda doc: changed(doc, _set(["workshop", "anonymity"], "secret")),
        "workshop.anonymity: unknown value",
    ),
    (
        "truncated",
        lambda doc: json.dumps(doc).encode()[: len(json.dumps(doc).encode()) // 2],
        "file: not a JSON document",
    ),
    (
        "truncated at the end",
        lambda doc: json.dumps(doc).encode()[:-2],
        "file: not a JSON document",
    ),
]


def upload(client, payload, language="es"):
    return client.post(
        "/facilitator/import",
        data={"file": (io.BytesIO(payload), "workshop.json")},
        content_type="multipart/form-data",
        headers={"Accept-Language": language},
    )


def alert(response):
    """The error box of the import page, as text."""
    text = html.unescape(response.text)
    start = text.index('role="alert">')
    return text[start : text.index("</div>", start)]


@pytest.mark.parametrize(("case", "damage", "detail"), DAMAGED, ids=[c[0] for c in DAMAGED])
def test_refused_and_nothing_changes(
    app, facilitator_client, exported, tmp_path, case, damage, detail
):
    """The upload page answers 400 with the Spanish headline and the detail; `flask import`
    exits 1 with the detail; neither writes a row."""
    payload = damage(exported)
    before = row_counts(app)
    response = upload(facilitator_client, payload)
    assert response.status_code == 400, case
    box = alert(response)
    assert translated(HEADLINE, "es") in box
    assert detail in box
    assert row_counts(app) == before

    path = tmp_path / "damaged.json"
    path.write_bytes(payload)
    result = app.test_cli_runner().invoke(
        args=["import", str(path), "--facilitator", "ana@example.org"]
    )
    assert result.exit_code == 1, case
    assert f"Error: Not imported: {detail}" in result.output
    assert row_counts(app) == before


def test_headline_is_english_for_english_readers(app, facilitator_client, exported):
    response = upload(facilitator_client, b"not json", language="en")
    assert response.status_code == 400
    assert HEADLINE in alert(response) and "file: not a JSON document" in alert(response)


def test_upload_without_a_file_is_refused(app, facilitator_client):
    before = row_counts(app)
    response = facilitator_client.post(
        "/facilitator/import", data={}, content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert HEADLINE in alert(response) and "file: none was chosen" in alert(response)
    assert row_counts(app) == before


def test_cli_refuses_an_unknown_facilitator(app, exported, tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    before = row_counts(app)
    result = app.test_cli_runner().invoke(
        args=["import", str(path), "--facilitator", "nobody@example.org"]
    )
    assert result.exit_code == 1 and "There is no facilitator nobody@example.org." in result.output
    assert row_counts(app) == before


# Records the database would refuse (unique keys), settings the forms would refuse, and
# references that cross sessions: refused by the importer with the record's path, never
# left to a database error.

DUPLICATES = [
    ("two votes with one client id", "votes", 1, {"client_id": "v1"}),
    ("the same SDG pick twice", "sdg_picks", 1, {"participant_id": 1, "axis": "economy", "sdg": 8}),
    ("two initiatives with one client id", "initiatives", 1, {"client_id": "i1"}),
    ("two items with one client id", "items", 1, {"client_id": "b1"}),
]


@pytest.mark.parametrize(
    ("case", "key", "index", "values"), DUPLICATES, ids=[c[0] for c in DUPLICATES]
)
def test_duplicate_records_are_refused_with_a_message(
    app, facilitator_client, exported, case, key, index, values
):
    document = copy.deepcopy(exported)
    document[key][index].update(values)
    before = row_counts(app)
    response = upload(facilitator_client, json.dumps(document).encode(), language="en")
    assert response.status_code == 400, case
    assert HEADLINE in alert(response)
    assert f"{key}[{index}]" in alert(response)
    assert row_counts(app) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("dots", 0), ("dots_per_item", 99), ("sdg_limit", 40), ("date", "soon"), ("title", "")],
)
def test_invalid_workshop_settings_are_refused_with_a_detail(
    app, facilitator_client, exported, tmp_path, field, value
):
    document = copy.deepcopy(exported)
    document["workshop"][field] = value
    payload = json.dumps(document).encode()
    before = row_counts(app)
    response = upload(facilitator_client, payload, language="en")
    assert response.status_code == 400
    assert HEADLINE in alert(response)
    # the detail names the setting (the budget's own names: dots, per_item)
    assert "workshop: invalid [" in alert(response)
    assert f"'{field.removeprefix('dots_')}'" in alert(response)
    path = tmp_path / "settings.json"
    path.write_bytes(payload)
    result = app.test_cli_runner().invoke(
        args=["import", str(path), "--facilitator", "ana@example.org"]
    )
    assert result.exit_code == 1 and "Not imported: workshop" in result.output
    assert row_counts(app) == before


@pytest.mark.parametrize(
    ("key", "index", "values"),
    [
        ("votes", 0, {"participant_id": 4}),  # a Spanish participant voting in English
        ("sdg_picks", 0, {"participant_id": 5}),
        ("items", 0, {"participant_id": 6}),
        ("items", 4, {"group_id": 2}),  # a barrier in a group of enablers
    ],
)
def test_inconsistent_references_are_refused(app, facilitator_client, exported, key, index, values):
    """Initiatives refuse a participant of another session; the other records should too,
    and a merged group holds one kind (the merge rule)."""
    document = copy.deepcopy(exported)
    document[key][index].update(values)
    if key == "votes":
        document[key][index]["client_id"] = "unique-client-id"
    before = row_counts(app)
    response = upload(facilitator_client, json.dumps(document).encode(), language="en")
    assert response.status_code == 400
    assert f"{key}[{index}]" in alert(response)
    assert row_counts(app) == before
