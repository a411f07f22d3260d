"""Moderating initiatives over /live (`initiative:set_hidden`, `initiative:correct`): who may,
and what every screen receives: facilitators the initiative with its hidden and original
fields, participants and room screens a hidden one's removal, its author a page that keeps
it marked hidden (Flask-SocketIO test clients, broadcast.py applies the rules)."""

import pytest
from conftest import emit, live_client, make_facilitator, participant_in, received, sign_in

from facilitation.extensions import db
from facilitation.models import Facilitator, Initiative
from facilitation.services import workshops as workshop_service
from facilitation.unit_of_work import work

POST = {"client_id": "p1", "title": "Rude words", "axis": "mobility", "sdgs": [11]}


@pytest.fixture
def room(app, workshop, facilitator_client):
    """A dashboard, a room screen, the author and another participant of the English
    session, after the author posted: (dashboard, projector, author, other, initiative id)."""
    dashboard = live_client(app, facilitator_client)
    projector = live_client(app, facilitator_client)
    assert emit(dashboard, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    assert emit(projector, "workshop:watch", {"workshop_id": workshop["id"], "view": "projector"})[
        "ok"
    ]
    _b, author = participant_in(app, workshop["en"]["code"], name="Ana")
    _b, other = participant_in(app, workshop["en"]["code"], name="Bo")
    ack = emit(author, "initiative:post", POST)
    assert ack["ok"], ack
    for client in (dashboard, projector, author, other):
        client.get_received("/live")
    return dashboard, projector, author, other, ack["initiative"]["id"]


def test_hiding_removes_it_from_participants_and_room_screens_only(app, workshop, room):
    dashboard, projector, author, other, initiative_id = room
    ack = emit(dashboard, "initiative:set_hidden", {"initiative_id": initiative_id, "hidden": True})
    assert ack["ok"] and ack["initiative"]["hidden"] is True, ack
    [to_dashboard] = received(dashboard, "initiative:upserted")
    assert to_dashboard["initiative"]["hidden"] is True
    assert to_dashboard["initiative"]["title"] == "Rude words"
    assert to_dashboard["initiatives_total"] == 0
    for client in (projector, author, other):
        messages = client.get_received("/live")
        assert [m["name"] for m in messages if m["name"].startswith("initiative:")] == [
            "initiative:withdrawn"
        ]
        [removal] = [m["args"][0] for m in messages if m["name"] == "initiative:withdrawn"]
        assert removal == {
            **removal,
            "id": initiative_id,
            "hidden": True,
            "seq": to_dashboard["seq"],
            "initiatives_total": 0,
        }
        assert "Rude words" not in repr(messages)
    # snapshots agree: the others and the room screen have none, the author keeps it marked
    assert emit(other, "session:snapshot", {})["initiatives"] == []
    projected = emit(projector, "session:snapshot", {"session_id": workshop["en"]["id"]})
    assert projected["initiatives"] == []
    [own] = emit(author, "session:snapshot", {})["initiatives"]
    assert (own["id"], own["hidden"], own["title"]) == (initiative_id, True, "Rude words")
    watched = emit(dashboard, "workshop:watch", {"workshop_id": workshop["id"]})
    board = next(b for b in watched["boards"] if b["session_id"] == workshop["en"]["id"])
    assert [(i["id"], i["hidden"]) for i in board["initiatives"]] == [(initiative_id, True)]
    assert watched["results"]["combined"]["initiatives"] == 0

    again = emit(
        dashboard, "initiative:set_hidden", {"initiative_id": initiative_id, "hidden": False}
    )
    assert again["ok"] and again["initiative"]["hidden"] is False
    for client in (projector, other):
        [back] = received(client, "initiative:upserted")
        assert back["initiative"]["title"] == "Rude words" and back["initiatives_total"] == 1


def test_a_correction_shows_the_original_to_facilitators_only(app, workshop, room):
    dashboard, projector, author, other, initiative_id = room
    fix = {"initiative_id": initiative_id, "title": "Kind words", "description": "Better"}
    ack = emit(dashboard, "initiative:correct", fix)
    assert ack["ok"], ack
    assert (ack["initiative"]["title"], ack["initiative"]["original_title"]) == (
        "Kind words",
        "Rude words",
    )
    assert ack["initiative"]["original_description"] == ""
    assert ack["initiative"]["corrected_at"]
    [to_dashboard] = received(dashboard, "initiative:upserted")
    assert to_dashboard["initiative"]["original_title"] == "Rude words"
    for client in (projector, author, other):
        [seen] = received(client, "initiative:upserted")
        assert seen["initiative"]["title"] == "Kind words"
        assert "original_title" not in seen["initiative"]
        assert "Rude words" not in repr(seen)
    snapshot = emit(other, "session:snapshot", {})
    assert "Rude words" not in repr(snapshot)
    refused = emit(dashboard, "initiative:correct", {"initiative_id": initiative_id, "title": ""})
    assert refused["error"]["code"] == "invalid" and "title" in refused["error"]["fields"]


def test_participants_and_other_facilitators_cannot_moderate(app, workshop, room):
    _dashboard, _projector, author, other, initiative_id = room
    make_facilitator(app, "mallory@example.org", "Mallory")
    mallory = live_client(app, sign_in(app.test_client(), "mallory@example.org"))
    with app.app_context(), work():
        owner = db.session.query(Facilitator).filter_by(email="mallory@example.org").one()
        workshop_service.create_workshop(owner, {"title": "Elsewhere", "date": "2026-06-01"})
    attempts = [
        ("initiative:set_hidden", {"initiative_id": initiative_id, "hidden": True}),
        ("initiative:correct", {"initiative_id": initiative_id, "title": "Defaced"}),
    ]
    for event, data in attempts:
        for client, code in (
            (author, "unauthorized"),
            (other, "unauthorized"),
            (mallory, "not_found"),
        ):
            ack = emit(client, event, data)
            assert ack.get("error", {}).get("code") == code, (event, ack)
    with app.app_context():
        found = db.session.get(Initiative, initiative_id)
        assert (found.hidden, found.title, found.original_title) == (False, "Rude words", None)


def test_a_withdrawn_initiative_is_not_found(app, workshop, room):
    dashboard, _projector, author, _other, initiative_id = room
    assert emit(author, "initiative:withdraw", {"id": initiative_id})["ok"]
    ack = emit(dashboard, "initiative:set_hidden", {"initiative_id": initiative_id, "hidden": True})
    assert ack["error"]["code"] == "not_found"
