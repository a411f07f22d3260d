"""Overload over /live (Flask-SocketIO test client): while the event loop lags more than
OVERLOAD_LAG, participants' writes answer `busy` and change nothing; the same write goes
through once the lag is back down; facilitators' events and snapshots are never shed.

The lag is set by hand on a monitor that never runs (facilitation/pressure.py), so nothing
here depends on how fast the machine is."""

import pytest
from conftest import emit, live_client, make_app, participant_in, received, translated

from facilitation import pressure, runtime
from facilitation.extensions import db
from facilitation.models import Initiative, Item, SdgPick, Session, Vote

BUSY = "The server is busy. Your change is kept and will be sent again in a moment."
POST = {"client_id": "p1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}


@pytest.fixture
def app(tmp_path):
    """conftest's app with shedding on, at the default threshold (conftest turns it off),
    at once above it: how long the lag must last is test_pressure_window.py's subject."""
    return make_app(tmp_path, OVERLOAD_LAG=0.5, OVERLOAD_WINDOW=0)


@pytest.fixture
def monitor(app):
    """The app's lag monitor, one that never runs: tests set its `lag`."""
    still = pressure.LagMonitor(sleep=None, clock=lambda: 0.0)
    runtime.of(app).pressure.monitor = still
    return still


@pytest.fixture
def world(app, workshop, facilitator_client, monitor):
    """The facilitator watching, an item in the English session, and Bo (English) with one
    initiative posted while the server was not busy."""
    host = live_client(app, facilitator_client)
    assert emit(host, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    data = {"session_id": workshop["en"]["id"], "client_id": "f1", "text": "Slow procurement"}
    item_id = emit(host, "item:add", {**data, "kind": "barrier"})["item"]["id"]
    bo = participant_in(app, workshop["en"]["code"], name="Bo")[1]
    initiative_id = emit(bo, "initiative:post", {**POST, "client_id": "first"})["initiative"]["id"]
    settle(app)
    host.get_received("/live")
    bo.get_received("/live")
    return {"host": host, "bo": bo, "item_id": item_id, "initiative_id": initiative_id}


def settle(app):
    """Wait for the coalesced result broadcasts already scheduled (they run in threads)."""
    runtime.of(app).drain()


def stored(app):
    """What participants' writes could change: rows, titles, withdrawals and each seq."""
    with app.app_context():
        return {
            "initiatives": [
                (i.title, i.withdrawn_at) for i in db.session.query(Initiative).order_by("id")
            ],
            "items": db.session.query(Item).count(),
            "votes": db.session.query(Vote).count(),
            "picks": db.session.query(SdgPick).count(),
            "seq": [s.seq for s in db.session.query(Session).order_by("id")],
        }


def writes(world):
    """Every participant write, with a payload that would be accepted in its phase."""
    return [
        ("initiative:post", POST),
        ("initiative:edit", {**POST, "id": world["initiative_id"], "title": "Wider lanes"}),
        ("initiative:withdraw", {"id": world["initiative_id"]}),
        ("item:propose", {"client_id": "i1", "text": "No budget", "kind": "barrier"}),
        ("vote:cast", {"client_id": "v1", "item_id": world["item_id"], "delta": 1}),
        ("sdg:pick", {"axis": "mobility", "sdg": 11, "picked": True}),
    ]


def test_every_participant_write_answers_busy_and_changes_nothing(app, world, monitor):
    monitor.lag = 2.0
    before = stored(app)
    for event, data in writes(world):
        ack = emit(world["bo"], event, data)
        assert ack == {"error": {"code": "busy", "message": BUSY, "fields": {}}}, (event, ack)
    assert stored(app) == before
    assert world["bo"].get_received("/live") == []
    assert world["host"].get_received("/live") == []  # no delta, no results scheduled


def test_the_same_write_is_accepted_once_the_lag_is_back_under_the_threshold(app, world, monitor):
    monitor.lag = 0.6
    assert emit(world["bo"], "initiative:post", POST)["error"]["code"] == "busy"
    monitor.lag = 0.4
    ack = emit(world["bo"], "initiative:post", POST)
    assert ack["ok"] is True and ack["created"] is True
    assert [title for title, _ in stored(app)["initiatives"]] == ["Bike lanes", "Bike lanes"]
    assert len(received(world["host"], "initiative:upserted")) == 1


def test_a_dot_refused_as_busy_counts_once_when_sent_again(app, workshop, world, monitor):
    host, bo = world["host"], world["bo"]
    phase = {"session_id": workshop["en"]["id"], "phase": "voting"}
    assert emit(host, "session:set_phase", phase)["ok"]
    dot = {"client_id": "dot-1", "item_id": world["item_id"], "delta": 1}
    monitor.lag = 5.0
    assert emit(bo, "vote:cast", dot)["error"]["code"] == "busy"
    monitor.lag = 0.0
    first = emit(bo, "vote:cast", dot)
    again = emit(bo, "vote:cast", dot)  # the answer was lost: the page sends it once more
    assert (first["created"], again["created"]) == (True, False)
    assert stored(app)["votes"] == 1


def test_a_write_waiting_too_long_makes_the_next_ones_busy(app, world):
    """A write parked longer than OVERLOAD_LAG (on a shared commit, say: the event loop is
    not late) is as much a queue as the loop's: the writes behind it answer `busy`."""
    now = [0.0]
    process = runtime.of(app).pressure
    process.writes = pressure.Writes(clock=lambda: now[0])
    with process.writes.track():  # stands for a write still waiting for its commit
        now[0] += 0.8
        ack = emit(world["bo"], "initiative:post", POST)
        assert ack["error"]["code"] == "busy"
    assert emit(world["bo"], "initiative:post", POST)["created"] is True


def test_facilitators_events_and_snapshots_are_not_shed(app, workshop, world, monitor):
    monitor.lag = 10.0
    host, en = world["host"], workshop["en"]["id"]
    assert emit(host, "session:set_phase", {"session_id": en, "phase": "proposing"})["ok"]
    data = {"session_id": en, "client_id": "f2", "text": "Open data", "kind": "enabler"}
    assert emit(host, "item:add", data)["ok"]
    assert emit(host, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    assert emit(host, "session:snapshot", {"session_id": en})["ok"]
    assert emit(world["bo"], "session:snapshot", {})["ok"]
    assert stored(app)["items"] == 2


def test_the_busy_message_is_in_the_participants_language(app, workshop, monitor):
    monitor.lag = 1.0
    lucia = participant_in(app, workshop["es"]["code"], name="Lucía")[1]
    ack = emit(lucia, "initiative:post", POST)
    assert ack["error"] == {"code": "busy", "message": translated(BUSY, "es"), "fields": {}}


def test_busy_answers_spend_no_token_of_the_event_limit(app, workshop, monitor):
    """Shedding answers before the event limit is looked at: a page sending again after
    `busy`, as it should, is not refused `rate_limited` for it afterwards."""
    app.config.update(SOCKET_EVENT_BURST=1, SOCKET_EVENTS_PER_SECOND=0.0001)
    monitor.lag = 1.0
    bo = participant_in(app, workshop["en"]["code"], name="Bo")[1]
    codes = [emit(bo, "initiative:post", POST)["error"]["code"] for _ in range(3)]
    assert codes == ["busy", "busy", "busy"]
    monitor.lag = 0.0
    assert emit(bo, "initiative:post", POST)["ok"] is True  # its one token was still there
    assert emit(bo, "initiative:post", {**POST, "client_id": "again"})["error"]["code"] == (
        "rate_limited"
    )


def test_a_threshold_of_zero_never_sheds(app, workshop, monitor):
    app.config["OVERLOAD_LAG"] = 0
    monitor.lag = 100.0
    bo = participant_in(app, workshop["en"]["code"], name="Bo")[1]
    assert emit(bo, "initiative:post", POST)["ok"] is True
