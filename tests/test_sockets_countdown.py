"""The countdown over /live (Flask-SocketIO test client): pause, resume, one more minute
and the self-closing option, each broadcast as `session:phase` to participants and
facilitators; once a self-closing countdown has run out, every write of its phase is
refused with `phase_closed`, and the same writes pass when it does not close the phase."""

import datetime as dt

import pytest
from conftest import emit, live_client, participant_in, received

from facilitation.extensions import db
from facilitation.models import Session, utcnow
from facilitation.services import workshops
from facilitation.unit_of_work import work

POST = {"client_id": "p1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}


@pytest.fixture
def staff(app, workshop, facilitator_client):
    live = live_client(app, facilitator_client)
    assert emit(live, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    live.get_received("/live")
    return live


def phase_messages(live, session_id):
    return [m for m in received(live, "session:phase") if m["session_id"] == session_id]


def test_pause_resume_and_one_more_minute_are_broadcast(app, workshop, staff):
    en = workshop["en"]["id"]
    _browser, bo = participant_in(app, workshop["en"]["code"])
    bo.get_received("/live")
    started = emit(staff, "session:set_phase", {"session_id": en, "phase": "voting", "minutes": 5})
    assert started["ok"] and started["paused_seconds"] is None and started["auto_close"] is False

    paused = emit(staff, "session:countdown", {"session_id": en, "action": "pause"})
    assert paused["ok"] and paused["ends_at"] is None
    assert 0 < paused["paused_seconds"] <= 300
    resumed = emit(staff, "session:countdown", {"session_id": en, "action": "resume"})
    assert resumed["ok"] and resumed["paused_seconds"] is None and resumed["ends_at"]
    more = emit(staff, "session:countdown", {"session_id": en, "action": "add_minute"})
    ends = [dt.datetime.fromisoformat(m["ends_at"].removesuffix("Z")) for m in (resumed, more)]
    assert ends[1] - ends[0] == dt.timedelta(minutes=1)
    closing = emit(staff, "session:set_auto_close", {"session_id": en, "auto_close": True})
    assert closing["ok"] and closing["auto_close"] is True and closing["phase"] == "voting"

    acks = [started, paused, resumed, more, closing]
    for live in (bo, staff):
        seen = phase_messages(live, en)
        assert [m["seq"] for m in seen] == [a["seq"] for a in acks]
        assert [m["paused_seconds"] for m in seen] == [a["paused_seconds"] for a in acks]
        assert seen[-1]["auto_close"] is True


def test_auto_close_is_kept_across_phases_and_set_with_a_phase(app, workshop, staff):
    en = workshop["en"]["id"]
    change = {"session_id": en, "phase": "voting", "minutes": 3, "auto_close": True}
    assert emit(staff, "session:set_phase", change)["auto_close"] is True
    moved = emit(staff, "session:set_phase", {"session_id": en, "phase": "sdg_picks"})
    assert moved["auto_close"] is True and moved["ends_at"] is None
    with app.app_context():
        assert db.session.get(Session, en).phase_auto_close is True


@pytest.mark.parametrize(
    "payload",
    [{"action": "stop"}, {"action": None}, {}, {"auto_close": "yes"}],
)
def test_wrong_countdown_changes_are_refused(workshop, staff, payload):
    en = workshop["en"]["id"]
    event = "session:set_auto_close" if "auto_close" in payload else "session:countdown"
    ack = emit(staff, event, {"session_id": en, **payload})
    assert ack["error"]["code"] == "invalid"


def test_participants_may_not_change_the_countdown(app, workshop):
    _browser, bo = participant_in(app, workshop["en"]["code"])
    ack = emit(bo, "session:countdown", {"session_id": workshop["en"]["id"], "action": "pause"})
    assert set(ack) == {"error"} and ack["error"]["code"] in {"unauthorized", "forbidden"}, ack
    with app.app_context():
        assert db.session.get(Session, workshop["en"]["id"]).phase_paused_seconds is None


def run_out(app, session_id, phase, auto_close):
    """Move a session to `phase` with a countdown that ran out a second ago."""
    with app.app_context(), work():
        session = db.session.get(Session, session_id)
        workshops.set_phase(session, phase, 1, auto_close)
        session.phase_ends_at = utcnow() - dt.timedelta(seconds=1)


def writes(app, workshop, staff):
    """Each write of its phase, sent by a new participant: (phase, send) pairs."""
    en = workshop["en"]["id"]
    item = emit(
        staff,
        "item:add",
        {"session_id": en, "client_id": "f1", "text": "Red tape", "kind": "barrier"},
    )["item"]["id"]

    return {
        "initiative:post": ("initiatives", lambda live: emit(live, "initiative:post", POST)),
        "initiative:edit": (
            "initiatives",
            lambda live: emit(
                live, "initiative:edit", {**POST, "id": live.own_initiative, "title": "Edited"}
            ),
        ),
        "initiative:withdraw": (
            "initiatives",
            lambda live: emit(live, "initiative:withdraw", {"id": live.own_initiative}),
        ),
        "item:propose": (
            "proposing",
            lambda live: emit(
                live, "item:propose", {"client_id": "x1", "text": "Silos", "kind": "barrier"}
            ),
        ),
        "vote:cast": (
            "voting",
            lambda live: emit(live, "vote:cast", {"client_id": "v1", "item_id": item, "delta": 1}),
        ),
        "sdg:pick": (
            "sdg_picks",
            lambda live: emit(live, "sdg:pick", {"axis": "mobility", "sdg": 11, "picked": True}),
        ),
    }


EVENTS = [
    "initiative:post",
    "initiative:edit",
    "initiative:withdraw",
    "item:propose",
    "vote:cast",
    "sdg:pick",
]


@pytest.mark.parametrize("auto_close", [True, False])
@pytest.mark.parametrize("event", EVENTS)
def test_every_write_of_a_phase_closed_by_its_countdown_is_refused(
    app, workshop, staff, event, auto_close
):
    en = workshop["en"]["id"]
    phase, send = writes(app, workshop, staff)[event]
    _browser, bo = participant_in(app, workshop["en"]["code"])
    if event in ("initiative:edit", "initiative:withdraw"):
        posted = emit(bo, "initiative:post", {**POST, "client_id": "mine"})
        bo.own_initiative = posted["initiative"]["id"]
    run_out(app, en, phase, auto_close)
    ack = send(bo)
    if auto_close:
        assert ack.get("error", {}).get("code") == "phase_closed", ack
    else:
        assert ack.get("ok") is True, ack
    with app.app_context():
        assert db.session.get(Session, en).phase == phase
