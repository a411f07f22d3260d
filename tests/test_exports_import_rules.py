"""Files the app could not have written are refused whole, with the record's JSON path, on
the upload page and by `flask import`, on SQLite and (numbers, texts) on PostgreSQL: ids
repeated or out of range, a `seq` the column cannot hold or bump, keys twice in an object,
nesting beyond the format's, a ledger that breaks the budget or takes back dots never
placed, dots on another session's item or left on a hidden item, groups of fewer than two
items, items by a participant and a facilitator at once. Files the app did write, even
after a merge or a lowered SDG limit, still import."""

import copy
import json

import pytest
from conftest import fresh_postgres, make_app, make_facilitator, sign_in
from exports_seed import export_document, row_counts, seeded_app
from test_exports_import_errors import HEADLINE, alert, upload

from facilitation.exports.import_rules import MAX_DEPTH, SEQ_MAX
from facilitation.extensions import db
from facilitation.models import Facilitator, Item, Session, Workshop
from facilitation.schemas import ID_MAX
from facilitation.services import items, sequence, voting, workshops
from facilitation.unit_of_work import work


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    """The seeded workshop's JSON export, parsed (built once for the module): two sessions,
    a cross-language and a same-session merge, a hidden item whose dots were given back."""
    source, workshop, _ids = seeded_app(tmp_path_factory.mktemp("source"))
    return export_document(source, workshop["id"])


def changed(change):
    """A case: the export, changed in place by `change(doc)`, as bytes."""

    def build(document):
        doc = copy.deepcopy(document)
        change(doc)
        return json.dumps(doc).encode()

    return build


def text_changed(old, new, seq=None):
    """A case: the first `old` of the export's text replaced by `new` (for what `json.dumps`
    cannot write: keys twice, NaN, deep nesting), after the first session's `seq` is set to
    `seq` if given."""

    def build(document):
        doc = copy.deepcopy(document)
        if seq is not None:
            doc["sessions"][0]["seq"] = seq
        text = json.dumps(doc)
        assert old in text
        return text.replace(old, new, 1).encode()

    return build


def vote(n, participant, session, item, delta=1):
    return {
        "id": 100 + n,
        "session_id": session,
        "participant_id": participant,
        "item_id": item,
        "delta": delta,
        "client_id": f"extra-{n}",
        "created_at": "2026-05-10T12:00:00Z",
    }


def votes_added(*added):
    return changed(lambda doc: doc["votes"].extend(vote(n, *a) for n, a in enumerate(added)))


def setting(path, value):
    def change(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return changed(change)


def nested(depth):
    return text_changed(
        '"schema_version": 2', '"deep": ' + "[" * depth + "]" * depth + ', "schema_version": 2'
    )


def _hide_b4(doc):
    doc["items"][6]["hidden"] = True


def _drop_refunds(doc):
    doc["votes"] = [v for v in doc["votes"] if not v["client_id"].startswith("hidden:")]


# The seeded export: budget 5 dots, 2 per item, one pool. Participant 1 (English session 1)
# has 2 dots on item 1 (b1, group 1), 1 on item 3 (e1, group 2), 1 on item 8 (f1): 4 of 5.
# Participant 3 (session 1) has none. Item 7 (b4, session 2, no group) holds dots of
# participants 4 and 6 (votes[9], votes[13]); item 2 (b2) is hidden, its dots given back
# by votes[15] and votes[16].
IMPOSSIBLE = [
    # ids: unique per record type, within 1..2^63-1
    (
        "session id twice",
        setting(["sessions", 1, "id"], 1),
        "sessions[1].id: repeats sessions[0].id",
    ),
    (
        "participant id twice",
        setting(["participants", 3, "id"], 1),
        "participants[3].id: repeats participants[0].id",
    ),
    ("item id twice", setting(["items", 7, "id"], 1), "items[7].id: repeats items[0].id"),
    ("vote id twice", setting(["votes", 16, "id"], 1), "votes[16].id: repeats votes[0].id"),
    (
        "initiative id twice",
        setting(["initiatives", 2, "id"], 1),
        "initiatives[2].id: repeats initiatives[0].id",
    ),
    (
        "group id twice",
        setting(["item_groups", 1, "id"], 1),
        "item_groups[1].id: repeats item_groups[0].id",
    ),
    (
        "id of 2^63",
        setting(["sessions", 0, "id"], 2**63),
        f"sessions[0].id: expected a whole number from 1 to {ID_MAX}",
    ),
    (
        "id of 0",
        setting(["votes", 3, "id"], 0),
        f"votes[3].id: expected a whole number from 1 to {ID_MAX}",
    ),
    (
        "id as text",
        setting(["items", 0, "id"], "1"),
        f"items[0].id: expected a whole number from 1 to {ID_MAX}",
    ),
    (
        "id as a fraction",
        setting(["participants", 0, "id"], 1.5),
        f"participants[0].id: expected a whole number from 1 to {ID_MAX}",
    ),
    (
        "id missing",
        changed(lambda doc: doc["item_groups"][0].pop("id")),
        f"item_groups[0].id: expected a whole number from 1 to {ID_MAX}",
    ),
    # seq: what the column holds, and one bump more
    (
        "seq of 2^63",
        setting(["sessions", 0, "seq"], 2**63),
        f"sessions[0].seq: expected a whole number from 0 to {SEQ_MAX}",
    ),
    (
        "seq of 2^63-1",
        setting(["sessions", 1, "seq"], 2**63 - 1),
        f"sessions[1].seq: expected a whole number from 0 to {SEQ_MAX}",
    ),
    (
        "seq one bump from overflowing",
        setting(["sessions", 0, "seq"], SEQ_MAX + 1),
        f"sessions[0].seq: expected a whole number from 0 to {SEQ_MAX}",
    ),
    (
        "negative seq",
        setting(["sessions", 0, "seq"], -1),
        f"sessions[0].seq: expected a whole number from 0 to {SEQ_MAX}",
    ),
    (
        "seq as a float",
        setting(["sessions", 0, "seq"], 19.0),
        f"sessions[0].seq: expected a whole number from 0 to {SEQ_MAX}",
    ),
    (
        "seq of 1e999",
        text_changed('"seq": 4242', '"seq": 1e999', seq=4242),
        f"sessions[0].seq: expected a whole number from 0 to {SEQ_MAX}",
    ),
    (
        "seq of NaN",
        text_changed('"seq": 4242', '"seq": NaN', seq=4242),
        "file: not a JSON document",
    ),
    (
        "a number of 5,000 digits",
        text_changed('"seq": 4242', '"seq": ' + "9" * 5000, seq=4242),
        "file: not a JSON document",
    ),
    # nesting, refused before it is parsed
    ("nested 5,001 deep", nested(5001), f"file: nested more than {MAX_DEPTH} deep"),
    ("nested 200,000 deep", nested(200_000), f"file: nested more than {MAX_DEPTH} deep"),
    (
        "objects nested 10,000 deep",
        text_changed(
            '"schema_version": 2',
            '"d": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + ', "schema_version": 2',
        ),
        f"file: nested more than {MAX_DEPTH} deep",
    ),
    # keys twice in one object (the later one would silently win)
    (
        "a key twice in a vote",
        text_changed('"delta": 1, "client_id": "v1"', '"delta": 1, "delta": -1, "client_id": "v1"'),
        "votes[0]: the key 'delta' appears twice",
    ),
    (
        "a key twice at the top",
        text_changed('"schema_version": 2', '"schema_version": 2, "schema_version": 2'),
        "file: the key 'schema_version' appears twice",
    ),
    (
        "a key twice in the workshop",
        text_changed('"dots": 5', '"dots": 5, "dots": 50'),
        "workshop: the key 'dots' appears twice",
    ),
    # numbers and flags as the app writes them
    ("dots as text", setting(["workshop", "dots"], "5"), "workshop.dots: expected a whole number"),
    ("dots as true", setting(["workshop", "dots"], True), "workshop.dots: expected a whole number"),
    (
        "separate budgets as 1",
        setting(["workshop", "separate_budgets"], 1),
        "workshop.separate_budgets: expected true or false",
    ),
    (
        "hidden as text",
        setting(["items", 0, "hidden"], "yes"),
        "items[0].hidden: expected true or false",
    ),
    (
        "schema_version true",
        setting(["schema_version"], True),
        "schema_version: version True is not supported",
    ),
    # the ledger, replayed under the budget (5 dots, 2 per item, one pool)
    (
        "100 dots by one participant on one item",
        votes_added(*[(3, 1, 3)] * 100),
        "votes[19].delta: more than 2 dots on one item",
    ),
    (
        "a third dot on one item",
        votes_added((1, 1, 1)),
        "votes[17].delta: more than 2 dots on one item",
    ),
    (
        "a sixth dot",
        votes_added((1, 1, 4), (1, 1, 4)),
        "votes[18].delta: a dot beyond the budget of 5",
    ),
    (
        "a dot taken back that was never placed",
        votes_added((3, 1, 3, -1)),
        "votes[17].delta: takes back a dot that is not there",
    ),
    (
        "net-negative dots from the first entry",
        setting(["votes", 0, "delta"], -1),
        "votes[0].delta: takes back a dot that is not there",
    ),
    (
        "a dot taken back twice",
        votes_added((2, 1, 8, -1)),
        "votes[17].delta: takes back a dot that is not there",
    ),
    # which items a dot may land on
    (
        "a dot on another session's unmerged item",
        setting(["votes", 0, "item_id"], 7),
        "votes[0].item_id: an item of another session",
    ),
    (
        "a dot on another session's item of a merged group",
        setting(["votes", 14, "item_id"], 3),
        "votes[14].item_id: an item of another session",
    ),
    (
        "dots left on a hidden item",
        changed(_hide_b4),
        "votes[9].item_id: leaves a dot on items[6], which is hidden",
    ),
    (
        "a hidden item whose dots were not given back",
        changed(_drop_refunds),
        "votes[5].item_id: leaves a dot on items[1], which is hidden",
    ),
    # merges and authors
    (
        "a group left with one item",
        setting(["items", 4, "group_id"], None),
        "item_groups[0]: holds 1 of the items",
    ),
    (
        "a group of no items",
        changed(
            lambda doc: doc["item_groups"].append({"id": 9, "created_at": "2026-05-10T12:00:00Z"})
        ),
        "item_groups[2]: holds 0 of the items",
    ),
    (
        "an item by a participant and a facilitator",
        setting(["items", 7, "participant_id"], 1),
        "items[7].by_facilitator: true exactly when participant_id is null",
    ),
    (
        "an item by no one",
        setting(["items", 0, "participant_id"], None),
        "items[0].by_facilitator: true exactly when participant_id is null",
    ),
    # texts no database stores, through the schemas
    (
        "a NUL in a client id",
        setting(["votes", 0, "client_id"], "v\x00"),
        "votes[0].client_id: invalid",
    ),
    (
        "a client id that is a list",
        setting(["items", 0, "client_id"], ["b1"]),
        "items[0].client_id: invalid",
    ),
    (
        "a lone surrogate in a display name",
        text_changed('"display_name": "Bo Lindqvist"', '"display_name": "Bo \\ud800"'),
        "participants[0]: invalid ['display_name']",
    ),
    (
        "a NUL in a session name",
        setting(["sessions", 0, "name"], "A\x00"),
        "sessions[0]: invalid ['name']",
    ),
    (
        "a country too long",
        setting(["participants", 1, "country"], "x" * 61),
        "participants[1]: invalid ['country']",
    ),
]


def refused(app, client, payload, detail, tmp_path):
    """The page answers 400 with the headline and the detail, `flask import` exits 1 with
    it, and neither stores a row."""
    before = row_counts(app)
    response = upload(client, payload, language="en")
    assert response.status_code == 400
    box = alert(response)
    assert HEADLINE in box and detail in box, box
    assert row_counts(app) == before
    path = tmp_path / "impossible.json"
    path.write_bytes(payload)
    result = app.test_cli_runner().invoke(
        args=["import", str(path), "--facilitator", "ana@example.org"]
    )
    assert result.exit_code == 1
    assert f"Error: Not imported: {detail}" in result.output
    assert row_counts(app) == before


@pytest.mark.parametrize(("case", "build", "detail"), IMPOSSIBLE, ids=[c[0] for c in IMPOSSIBLE])
def test_impossible_files_are_refused_with_the_path(
    app, facilitator_client, workshop, document, tmp_path, case, build, detail
):
    refused(app, facilitator_client, build(document), detail, tmp_path)


# --- what the app does write still imports --------------------------------------------


@pytest.fixture(scope="module")
def lived(tmp_path_factory):
    """The seeded workshop after more of the app's own actions: Dmitri puts 2 dots on e1
    (group 2) and 2 on f1, then f1 is merged into group 2 (4 dots on one group, above the
    2 per item); the SDG limit is lowered to 1 below Bo's 2 economy picks; a session's
    seq is as high as an import takes. Its export, parsed."""
    source, workshop, ids = seeded_app(tmp_path_factory.mktemp("lived"))
    with source.app_context(), work():
        en = db.session.get(Session, workshop["en"]["id"])
        workshops.set_phase(en, "voting")
        dmitri = ids["people"]["en"][2]
        for n, item in enumerate(["e1", "e1", "f1", "f1"]):
            voting.cast_by(
                dmitri, en.id, {"client_id": f"d{n}", "delta": 1, "item_id": ids["items"][item]}
            )
        items.merge(en.workshop, [ids["items"]["e1"], ids["items"]["f1"]])
        voting.set_voting_rules(en.workshop, {"dots": 5, "per_item": 2, "sdg_limit": 1})
        en.seq = SEQ_MAX
    return export_document(source, workshop["id"])


def test_what_the_app_writes_still_imports(app, facilitator_client, lived):
    """A group holding more of one voter's dots than per_item (a merge after the votes),
    picks above a lowered SDG limit, and the largest seq: the app wrote them, so they import,
    and the session's next change still counts up."""
    group = {i["group_id"] for i in lived["items"] if i["client_id"] == "f1"}
    assert group == {i["group_id"] for i in lived["items"] if i["client_id"] == "e1"}
    assert lived["workshop"]["sdg_limit"] == 1
    response = upload(facilitator_client, json.dumps(lived).encode(), language="en")
    assert response.status_code == 302, alert(response)
    with app.app_context(), work():
        imported = db.session.execute(db.select(Workshop).order_by(Workshop.id.desc())).scalar()
        session = imported.sessions[0]
        assert session.seq == SEQ_MAX
        assert sequence.bump(session.id) == SEQ_MAX + 1
        assert db.session.query(Item).filter(Item.session_id == session.id).count() == 5


# --- PostgreSQL: numbers and texts its columns would refuse -----------------------------

ON_POSTGRESQL = [
    c
    for c in IMPOSSIBLE
    if c[0]
    in {
        "id of 2^63",
        "seq of 2^63",
        "seq of 2^63-1",
        "seq one bump from overflowing",
        "vote id twice",
        "a NUL in a client id",
        "a NUL in a session name",
        "a lone surrogate in a display name",
        "nested 5,001 deep",
        "100 dots by one participant on one item",
    }
]


@pytest.fixture(scope="module")
def pg_app(request, tmp_path_factory):
    """The app on a PostgreSQL database of its own, with the facilitator ana@example.org."""
    app = make_app(tmp_path_factory.mktemp("pg"), SQLALCHEMY_DATABASE_URI=fresh_postgres(request))
    make_facilitator(app)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("case", "build", "detail"), ON_POSTGRESQL, ids=[c[0] for c in ON_POSTGRESQL]
)
def test_impossible_files_are_refused_on_postgresql(
    pg_app, document, tmp_path, case, build, detail
):
    refused(pg_app, sign_in(pg_app.test_client()), build(document), detail, tmp_path)


def test_the_largest_seq_imports_and_bumps_on_postgresql(pg_app, lived):
    response = upload(sign_in(pg_app.test_client()), json.dumps(lived).encode(), language="en")
    assert response.status_code == 302, alert(response)
    with pg_app.app_context(), work():
        owner = db.session.execute(db.select(Facilitator)).scalar_one()
        imported = next(w for w in db.session.query(Workshop) if owner in w.facilitators)
        session = imported.sessions[0]
        assert session.seq == SEQ_MAX
        assert sequence.bump(session.id) == SEQ_MAX + 1
