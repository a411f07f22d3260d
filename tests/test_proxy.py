"""Participants without a device: a facilitator enters someone into a session, then posts,
proposes, votes and picks SDGs for them over /live (the `participant:enter` and `proxy:*`
events), through the participants' own services: same budget, limits and phases, same
broadcasts. Only the workshop's facilitators act, and only for someone a facilitator
entered. Exports and backups mark them (Flask-SocketIO test client, real database)."""

import csv
import io
import json
import zipfile

import openpyxl
import pytest
from conftest import (
    emit,
    join,
    live_client,
    make_facilitator,
    received,
    sign_in,
    wait_until,
)
from test_sockets_dynamic_two import assert_error, ok, participant, set_phase, set_rules

from facilitation.extensions import db
from facilitation.models import Facilitator, Participant, Vote, Workshop
from facilitation.services import workshops
from facilitation.unit_of_work import work

DEE = {"display_name": "Dee Okafor", "organisation": "Lyon", "country": "France"}


@pytest.fixture
def host(app, workshop, facilitator_client):
    """The workshop's facilitator, connected and watching the workshop."""
    live = live_client(app, facilitator_client)
    ok(emit(live, "workshop:watch", {"workshop_id": workshop["id"]}))
    live.get_received("/live")
    return live


def enter(host, session, who=DEE):
    return ok(emit(host, "participant:enter", {"session_id": session["id"], **who}))["participant"]


def add_item(host, session, text, kind="barrier"):
    data = {"session_id": session["id"], "client_id": text, "text": text, "kind": kind}
    return ok(emit(host, "item:add", data))["item"]["id"]


def vote(host, who, item_id, n, delta=1):
    data = {"participant_id": who, "client_id": f"v{n}", "item_id": item_id, "delta": delta}
    return emit(host, "proxy:vote_cast", data)


class Phased:
    """set_phase of test_sockets_dynamic_two expects a Peer; this emits on a bare client."""

    def __init__(self, live):
        self.live = live

    def emit(self, event, data):
        return emit(self.live, event, data)


# --- entering ----------------------------------------------------------------------------


def test_an_entered_participant_is_marked_counted_and_listed(app, workshop, host):
    entered = enter(host, workshop["en"])
    assert entered == {
        "id": entered["id"],
        "session_id": workshop["en"]["id"],
        **DEE,
        "entered_by_facilitator": True,
    }
    joined = received(host, "participant:joined")
    assert joined == [{"session_id": workshop["en"]["id"], "participants": 1, "name": "Dee Okafor"}]
    with app.app_context():
        stored = db.session.get(Participant, entered["id"])
        owner = db.session.query(Facilitator).one()
        assert stored.entered_by_id == owner.id
    # someone who joins with their own device is not listed
    join(app.test_client(), workshop["en"]["code"], name="Bo")
    listed = ok(emit(host, "proxy:list", {"session_id": workshop["en"]["id"]}))
    assert [p["display_name"] for p in listed["participants"]] == ["Dee Okafor"]
    assert ok(emit(host, "proxy:list", {"session_id": workshop["es"]["id"]}))["participants"] == []


def test_entering_checks_the_join_forms_fields_and_a_closed_session(app, workshop, host):
    fields = assert_error(
        emit(host, "participant:enter", {"session_id": workshop["en"]["id"], "display_name": ""}),
        "invalid",
    )
    assert set(fields) == {"display_name", "organisation", "country"}
    set_phase(Phased(host), workshop["en"], "closed")
    refused = emit(host, "participant:enter", {"session_id": workshop["en"]["id"], **DEE})
    assert_error(refused, "session_closed")
    with app.app_context():
        assert Participant.query.count() == 0


def test_names_follow_the_anonymity_rule(app, workshop, host):
    ok(emit(host, "workshop:set_display", {"workshop_id": workshop["id"], "anonymity": "hidden"}))
    entered = enter(host, workshop["en"])
    assert entered["display_name"] is None
    assert entered["organisation"] == "Lyon"


# --- acting for them: the participants' own rules -----------------------------------------


def test_the_dot_budget_and_per_item_limit_hold_for_an_entered_participant(app, workshop, host):
    ok(set_rules(Phased(host), workshop, dots=3, per_item=2))
    who = enter(host, workshop["en"])["id"]
    first, second, third = (add_item(host, workshop["en"], t) for t in ("Silos", "Cost", "Law"))
    set_phase(Phased(host), workshop["en"], "voting")
    assert ok(vote(host, who, first, 1))["state"]["votes"]["dots_left"] == {"all": 2}
    ok(vote(host, who, first, 2))
    assert_error(vote(host, who, first, 3), "item_limit")
    done = ok(vote(host, who, second, 4))
    assert done["votes"]["dots_left"] == {"all": 0}
    assert done["state"]["votes"]["units"] == {f"i{first}": 2, f"i{second}": 1}
    assert_error(vote(host, who, third, 5), "no_dots_left")
    # taking one back frees it, as for anyone
    assert ok(vote(host, who, first, 6, delta=-1))["state"]["votes"]["dots_left"] == {"all": 1}
    ok(vote(host, who, third, 7))
    # a retried client id changes nothing
    assert ok(vote(host, who, third, 7))["created"] is False
    with app.app_context():
        dots = db.session.query(db.func.sum(Vote.delta)).filter_by(participant_id=who).scalar()
        assert dots == 3


def test_votes_are_refused_outside_voting(app, workshop, host):
    who = enter(host, workshop["en"])["id"]
    item_id = add_item(host, workshop["en"], "Silos")
    assert_error(vote(host, who, item_id, 1), "phase_closed")


def test_the_sdg_limit_holds_for_an_entered_participant(app, workshop, host):
    ok(set_rules(Phased(host), workshop, sdg_limit=2))
    who = enter(host, workshop["en"])["id"]
    set_phase(Phased(host), workshop["en"], "sdg_picks")

    def pick(sdg, picked=True):
        data = {"participant_id": who, "axis": "mobility", "sdg": sdg, "picked": picked}
        return emit(host, "proxy:sdg_pick", data)

    ok(pick(11))
    assert ok(pick(13))["picks"] == {"mobility": [11, 13]}
    assert_error(pick(3), "sdg_limit")
    unpicked = ok(pick(11, picked=False))
    assert unpicked["state"]["picks"] == {"picks": {"mobility": [13]}, "limit": 2}
    ok(pick(3))


def test_posts_and_proposals_reach_the_room_as_if_typed_on_a_phone(app, workshop, host):
    phone = participant(app, workshop["en"], name="Bo")
    who = enter(host, workshop["en"])["id"]
    post = {
        "participant_id": who,
        "client_id": "p1",
        "title": "Bike lanes",
        "axis": "mobility",
        "sdgs": [11],
    }
    posted = ok(emit(host, "proxy:initiative_post", post))
    assert posted["created"] is True
    assert [i["title"] for i in posted["state"]["initiatives"]] == ["Bike lanes"]
    seen = phone.got("initiative:upserted")
    assert [m["initiative"]["title"] for m in seen] == ["Bike lanes"]
    assert seen[0]["initiative"]["author"]["display_name"] == "Dee Okafor"
    # the post rules: an initiative needs SDGs
    assert_error(
        emit(host, "proxy:initiative_post", {**post, "client_id": "p2", "sdgs": []}), "invalid"
    )
    withdraw = {"participant_id": who, "id": posted["initiative"]["id"]}
    assert ok(emit(host, "proxy:initiative_withdraw", withdraw))["state"]["initiatives"] == []
    assert phone.got("initiative:withdrawn")[0]["id"] == posted["initiative"]["id"]
    # proposing waits for its phase
    propose = {"participant_id": who, "client_id": "i1", "text": "Red tape", "kind": "barrier"}
    assert_error(emit(host, "proxy:item_propose", propose), "phase_closed")
    set_phase(Phased(host), workshop["en"], "proposing")
    proposed = ok(emit(host, "proxy:item_propose", propose))
    assert proposed["state"]["proposed"][0]["text"] == "Red tape"
    assert [i["text"] for m in phone.got("items:upserted") for i in m["items"]] == ["Red tape"]


def test_a_vote_for_an_entered_participant_moves_the_live_ranking(app, workshop, host):
    who = enter(host, workshop["en"])["id"]
    item_id = add_item(host, workshop["en"], "Silos")
    set_phase(Phased(host), workshop["en"], "voting")
    received(host, "workshop:results")
    ok(vote(host, who, item_id, 1))

    def ranked():
        for results in received(host, "workshop:results"):
            barriers = results["rankings"]["combined"]["barrier"]
            if barriers and barriers[0]["dots"] == 1:
                return results
        return None

    results = wait_until(ranked)
    assert results, "no workshop:results with the vote"
    assert results["participation"][str(workshop["en"]["id"])] == {
        "participants": 1,
        "not_voted": 0,
    }


# --- who may act for whom ----------------------------------------------------------------


def test_nobody_acts_for_a_participant_who_joined_with_their_own_device(app, workshop, host):
    phone = participant(app, workshop["en"], name="Bo")
    item_id = add_item(host, workshop["en"], "Silos")
    set_phase(Phased(host), workshop["en"], "voting")
    assert_error(vote(host, phone.participant_id, item_id, 1), "not_found")
    assert_error(emit(host, "proxy:state", {"participant_id": phone.participant_id}), "not_found")
    with app.app_context():
        assert Vote.query.count() == 0


def test_a_participant_cannot_act_for_an_entered_one(app, workshop, host):
    who = enter(host, workshop["en"])["id"]
    phone = participant(app, workshop["en"], name="Bo")
    item_id = add_item(host, workshop["en"], "Silos")
    set_phase(Phased(host), workshop["en"], "voting")
    assert_error(
        phone.emit(
            "proxy:vote_cast",
            {"participant_id": who, "client_id": "x", "item_id": item_id, "delta": 1},
        ),
        "unauthorized",
    )
    assert_error(
        phone.emit("participant:enter", {"session_id": workshop["en"]["id"], **DEE}), "unauthorized"
    )


def test_co_facilitators_act_for_each_others_entries_but_not_across_workshops(app, workshop, host):
    who = enter(host, workshop["en"])["id"]
    make_facilitator(app, email="cy@example.org", name="Cy")
    make_facilitator(app, email="eve@example.org", name="Eve")
    with app.app_context(), work():
        cy = db.session.query(Facilitator).filter_by(email="cy@example.org").one()
        running = db.session.get(Workshop, workshop["id"])
        running.facilitators.append(cy)
        eve = db.session.query(Facilitator).filter_by(email="eve@example.org").one()
        theirs = workshops.create_workshop(eve, {"title": "Eve's", "date": "2026-06-01"})
        other = workshops.add_session(theirs, {"name": "Other", "language": "en"}, ["en"])
        other = {"id": other.id}
    co = live_client(app, sign_in(app.test_client(), "cy@example.org"))
    assert ok(emit(co, "proxy:state", {"participant_id": who}))["state"]["participant"]["id"] == who
    stranger = live_client(app, sign_in(app.test_client(), "eve@example.org"))
    assert_error(emit(stranger, "proxy:state", {"participant_id": who}), "not_found")
    assert_error(emit(stranger, "proxy:list", {"session_id": workshop["en"]["id"]}), "not_found")
    assert_error(
        emit(stranger, "participant:enter", {"session_id": workshop["en"]["id"], **DEE}),
        "not_found",
    )
    # and the workshop's facilitators cannot act for someone Eve entered in hers
    hers = ok(emit(stranger, "participant:enter", {"session_id": other["id"], **DEE}))
    assert_error(
        emit(host, "proxy:state", {"participant_id": hers["participant"]["id"]}), "not_found"
    )


# --- exports ---------------------------------------------------------------------------


def _participants_csv(client, workshop_id, lang="en"):
    response = client.get(
        f"/facilitator/workshops/{workshop_id}/export/csv?lang={lang}", buffered=True
    )
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        text = archive.read("participants.csv").decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_exports_mark_entered_participants(app, workshop, host, facilitator_client):
    enter(host, workshop["en"])
    join(app.test_client(), workshop["en"]["code"], name="Bo")
    rows = _participants_csv(facilitator_client, workshop["id"])
    column = rows[0].index("Entered by the facilitator")
    marks = {row[3]: row[column] for row in rows[1:]}
    assert marks == {"Dee Okafor": "Yes", "Bo": "No"}
    spanish = _participants_csv(facilitator_client, workshop["id"], "es")
    assert len(spanish[0]) == len(rows[0])
    response = facilitator_client.get(
        f"/facilitator/workshops/{workshop['id']}/export/xlsx?lang=en", buffered=True
    )
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Participants"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    column = values[0].index("Entered by the facilitator")
    assert sorted(row[column] for row in values[1:]) == ["No", "Yes"]


def _backup(client, workshop_id):
    response = client.get(f"/facilitator/workshops/{workshop_id}/export/json", buffered=True)
    assert response.status_code == 200
    return json.loads(response.data)


def _upload(app, document, email="bea@example.org"):
    client = sign_in(app.test_client(), email)
    response = client.post(
        "/facilitator/import",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "workshop.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def test_backups_carry_the_mark_and_old_backups_still_import(
    app, workshop, host, facilitator_client
):
    enter(host, workshop["en"])
    join(app.test_client(), workshop["en"]["code"], name="Bo")
    document = _backup(facilitator_client, workshop["id"])
    marks = {p["display_name"]: p["entered_by_facilitator"] for p in document["participants"]}
    assert marks == {"Dee Okafor": True, "Bo": False}
    importer = make_facilitator(app, email="bea@example.org", name="Bea")
    copy_id = _upload(app, document)
    with app.app_context():
        ids = [s.id for s in db.session.get(Workshop, copy_id).sessions]
        people = Participant.query.filter(Participant.session_id.in_(ids)).all()
        assert {p.display_name: p.entered_by_id for p in people} == {
            "Dee Okafor": importer,
            "Bo": None,
        }
    # a file written before the mark existed: nobody was entered
    for person in document["participants"]:
        del person["entered_by_facilitator"]
    older_id = _upload(app, document)
    with app.app_context():
        ids = [s.id for s in db.session.get(Workshop, older_id).sessions]
        people = Participant.query.filter(Participant.session_id.in_(ids)).all()
        assert len(people) == 2 and all(p.entered_by_id is None for p in people)
    # a mark that is not true or false is refused
    document["participants"][0]["entered_by_facilitator"] = "yes"
    client = sign_in(app.test_client(), "bea@example.org")
    response = client.post(
        "/facilitator/import",
        data={"file": (io.BytesIO(json.dumps(document).encode()), "workshop.json")},
        content_type="multipart/form-data",
    )
    assert response.status_code != 302
    assert "entered_by_facilitator" in response.text
