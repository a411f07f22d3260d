"""`session:counters` over /live (Flask-SocketIO test client): in the `workshop:watch`
answer, and sent to the watching consoles, coalesced, after a join over HTTP, a
participant's connect and disconnect, posts, proposals, votes and picks."""

import pytest
from conftest import (
    emit,
    join,
    live_client,
    make_app,
    make_facilitator,
    received,
    sign_in,
    wait_until,
)

from facilitation import runtime
from facilitation.extensions import db
from facilitation.models import Facilitator, Session
from facilitation.services import workshops
from facilitation.unit_of_work import work


@pytest.fixture
def console(app, workshop, facilitator_client):
    """The facilitator's console, watching the workshop; returns (live client, ack)."""
    live = live_client(app, facilitator_client)
    ack = emit(live, "workshop:watch", {"workshop_id": workshop["id"]})
    assert ack["ok"], ack
    live.get_received("/live")
    return live, ack


def counters_until(live, session_id, done):
    """Collect `session:counters` of `session_id` until `done(latest)` holds."""
    seen = []

    def check():
        seen.extend(m for m in received(live, "session:counters") if m["session_id"] == session_id)
        return bool(seen) and done(seen[-1])

    assert wait_until(check), f"no matching session:counters among {seen}"
    return seen


def participant(app, session, name="Bo"):
    browser = app.test_client()
    join(browser, session["code"], name)
    return browser


def connect(app, browser, session):
    live = live_client(app, browser, {"session_id": session["id"]})
    assert live.is_connected("/live")
    return live


def set_phase(app, session_id, phase):
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, session_id), phase)


FIELDS = {
    "session_id",
    "joined",
    "connected",
    "initiatives",
    "barriers",
    "enablers",
    "voted",
    "not_voted",
    "picked",
}


def test_the_watch_answer_carries_every_sessions_counters(app, workshop, facilitator_client):
    en, es = workshop["en"], workshop["es"]
    connect(app, participant(app, en, "Ana"), en)
    participant(app, en, "Bea")
    live = live_client(app, facilitator_client)
    ack = emit(live, "workshop:watch", {"workshop_id": workshop["id"]})
    assert set(ack["counters"]) == {str(en["id"]), str(es["id"])}
    mine = ack["counters"][str(en["id"])]
    assert set(mine) == FIELDS
    assert (mine["joined"], mine["connected"], mine["not_voted"]) == (2, 1, 2)
    assert ack["counters"][str(es["id"])]["joined"] == 0


def test_the_room_screen_gets_no_counters(app, workshop, facilitator_client):
    live = live_client(app, facilitator_client)
    ack = emit(live, "workshop:watch", {"workshop_id": workshop["id"], "view": "projector"})
    assert ack["ok"] and "counters" not in ack


def test_joining_over_http_sends_the_counters(app, workshop, console):
    live, _ = console
    en = workshop["en"]
    participant(app, en, "Ana")
    participant(app, en, "Bea")
    seen = counters_until(live, en["id"], lambda m: m["joined"] == 2)
    assert set(seen[-1]) == FIELDS
    assert (seen[-1]["connected"], seen[-1]["not_voted"]) == (0, 2)


def test_connecting_and_disconnecting_sends_who_is_connected(app, workshop, console):
    live, _ = console
    en = workshop["en"]
    browser = participant(app, en)
    tab = connect(app, browser, en)
    counters_until(live, en["id"], lambda m: m["connected"] == 1)
    second_tab = connect(app, browser, en)  # the same participant: still one
    other = connect(app, participant(app, en, "Cy"), en)
    counters_until(live, en["id"], lambda m: m["connected"] == 2 and m["joined"] == 2)
    tab.disconnect(namespace="/live")
    other.disconnect(namespace="/live")
    latest = counters_until(live, en["id"], lambda m: m["connected"] == 1)[-1]
    assert latest["joined"] == 2
    second_tab.disconnect(namespace="/live")
    counters_until(live, en["id"], lambda m: m["connected"] == 0)


def test_posts_items_votes_and_picks_move_the_counters(app, workshop, console):
    live, _ = console
    en = workshop["en"]
    bo = connect(app, participant(app, en), en)
    post = {"client_id": "p1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}
    assert emit(bo, "initiative:post", post)["ok"]
    counters_until(live, en["id"], lambda m: m["initiatives"] == 1)
    assert emit(bo, "initiative:withdraw", {"id": 1})["ok"]
    counters_until(live, en["id"], lambda m: m["initiatives"] == 0)
    set_phase(app, en["id"], "proposing")
    proposal = {"client_id": "i1", "text": "No money", "kind": "barrier", "axis": None}
    item_id = emit(bo, "item:propose", proposal)["item"]["id"]
    counters_until(live, en["id"], lambda m: m["barriers"] == 1 and m["enablers"] == 0)
    set_phase(app, en["id"], "voting")
    assert emit(bo, "vote:cast", {"client_id": "v1", "item_id": item_id, "delta": 1})["ok"]
    counters_until(live, en["id"], lambda m: m["voted"] == 1 and m["not_voted"] == 0)
    set_phase(app, en["id"], "sdg_picks")
    assert emit(bo, "sdg:pick", {"axis": "mobility", "sdg": 11, "picked": True})["ok"]
    counters_until(live, en["id"], lambda m: m["picked"] == 1)


def test_a_burst_of_changes_sends_one_message_per_session(tmp_path):
    """However many changes come within the interval, the consoles get one per session."""
    app = make_app(tmp_path, RESULTS_INTERVAL=0.5)
    make_facilitator(app)
    facilitator_client = sign_in(app.test_client())
    live = live_client(app, facilitator_client)
    with app.app_context(), work():
        owner = db.session.query(Facilitator).one()
        found = workshops.create_workshop(owner, {"title": "Burst", "date": "2026-05-10"})
        workshops.add_session(found, {"name": "A", "language": "en"}, ["en", "es"])
        workshops.add_session(found, {"name": "B", "language": "es"}, ["en", "es"])
        workshop_id = found.id
    counters = runtime.of(app).counters
    counters.drain()  # whatever creating the workshop scheduled is sent before the burst
    assert emit(live, "workshop:watch", {"workshop_id": workshop_id})["ok"]
    live.get_received("/live")
    with app.app_context():
        for _ in range(200):
            counters.schedule(workshop_id)
    counters.drain()
    sent = received(live, "session:counters")
    assert len(sent) == 2
    assert len({m["session_id"] for m in sent}) == 2


def test_an_event_named_disconnect_leaves_the_presence_alone(app, workshop, console):
    live, _ = console
    en = workshop["en"]
    bo = connect(app, participant(app, en), en)
    counters_until(live, en["id"], lambda m: m["connected"] == 1)
    emit(bo, "disconnect", {"session_id": en["id"]})
    assert bo.is_connected("/live")
    again = emit(live, "workshop:watch", {"workshop_id": workshop["id"]})
    assert again["counters"][str(en["id"])]["connected"] == 1
    bo.disconnect(namespace="/live")
    counters_until(live, en["id"], lambda m: m["connected"] == 0)
