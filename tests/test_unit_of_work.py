"""The path of a change (docs/architecture.md): one unit of work per event, committed
before the acknowledgement and before any broadcast; the anonymity rule applied per
audience in broadcast.py; the runtime's bounded results cache and its stop."""

import sqlite3

import pytest
import sqlalchemy as sa
from conftest import emit, live_client, participant_in, received
from sqlalchemy import event

from facilitation import broadcast, runtime, unit_of_work
from facilitation.domain.errors import RuleError
from facilitation.extensions import db
from facilitation.models import Initiative, Session, Workshop
from facilitation.services import workshops
from facilitation.services.events import PhaseChanged
from facilitation.services.results import RecentResults
from facilitation.unit_of_work import work

POST = {"client_id": "c1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}


@pytest.fixture
def watching(app, workshop, facilitator_client):
    host = live_client(app, facilitator_client)
    assert emit(host, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    host.get_received("/live")
    return host


def test_events_are_broadcast_only_after_the_commit(app, workshop, watching):
    with app.app_context(), work() as unit:
        session = db.session.get(Session, workshop["en"]["id"])
        change = workshops.set_phase(session, "voting")
        assert unit.events == [PhaseChanged(workshop["id"], session.id, change)]
        assert received(watching, "session:phase") == []  # not before the commit
    assert received(watching, "session:phase") == [change]


def test_a_refusal_rolls_back_and_broadcasts_nothing(app, workshop, watching):
    with app.app_context():
        with pytest.raises(RuleError), work():
            session = db.session.get(Session, workshop["en"]["id"])
            workshops.set_phase(session, "voting")
            workshops.set_phase(session, "no-such-phase")
        assert db.session.get(Session, workshop["en"]["id"]).phase == "initiatives"
    assert received(watching, "session:phase") == []


def test_a_failed_commit_acknowledges_and_broadcasts_nothing(app, workshop, watching):
    _browser, bo = participant_in(app, workshop["en"]["code"])
    with app.app_context():
        engine = db.engine

    def disk_full(_connection):
        raise OSError("disk full")

    event.listen(engine, "commit", disk_full)
    try:
        ack = emit(bo, "initiative:post", POST)
    finally:
        event.remove(engine, "commit", disk_full)
    assert ack["error"]["code"] == "server_error"
    assert received(watching, "initiative:upserted") == []
    with app.app_context():
        assert Initiative.query.count() == 0
    again = emit(bo, "initiative:post", POST)  # the page sends it again: stored once
    assert again["ok"] and again["created"]
    assert [m["initiative"]["id"] for m in received(watching, "initiative:upserted")] == [
        again["initiative"]["id"]
    ]


@pytest.mark.parametrize(
    ("anonymity", "participants_see", "facilitators_see"),
    [("public", True, True), ("facilitators", False, True), ("hidden", False, False)],
)
def test_each_audience_sees_names_as_the_setting_says(
    app, workshop, anonymity, participants_see, facilitators_see
):
    with app.app_context():
        found = db.session.get(Workshop, workshop["id"])
        found.anonymity = anonymity
        data = {"id": 1, "participant_id": 7, "author": {"display_name": "Bo"}}
        for facilitator, sees in ((False, participants_see), (True, facilitators_see)):
            assert broadcast.names_shown(found, facilitator) is sees
            shown = broadcast.initiative_shown(data, found, facilitator)
            assert (shown["author"], shown["participant_id"]) == (
                (data["author"], 7) if sees else (None, None)
            )


def test_a_broadcast_and_its_ack_agree_on_names(app, workshop, watching):
    """`facilitators`: the author's own ack and the session's broadcast carry no name,
    the facilitators' broadcast does."""
    with app.app_context(), work():
        workshops.set_display(
            db.session.get(Workshop, workshop["id"]), {"anonymity": "facilitators"}
        )
    _browser, bo = participant_in(app, workshop["en"]["code"], name="Bo")
    _other, ana = participant_in(app, workshop["en"]["code"], name="Ana")
    watching.get_received("/live")
    ack = emit(bo, "initiative:post", POST)
    assert ack["initiative"]["author"] is None and ack["initiative"]["participant_id"] is None
    [seen] = received(ana, "initiative:upserted")
    assert seen["initiative"]["author"] is None
    [host] = received(watching, "initiative:upserted")
    assert host["initiative"]["author"]["display_name"] == "Bo"


def test_the_results_cache_is_bounded(app, workshop, facilitator):
    with app.app_context(), work():
        owner = db.session.get(Workshop, workshop["id"]).facilitators[0]
        others = [
            workshops.create_workshop(owner, {"title": f"W{n}", "date": "2026-05-10"}).id
            for n in range(2)
        ]
    cache = RecentResults(size=2)
    with app.app_context():
        for workshop_id in [workshop["id"], *others]:
            assert cache.get(workshop_id, 60)["workshop_id"] == workshop_id
        assert list(cache.kept) == others  # the least recently used one went
        cache.get(others[0], 60)
        assert list(cache.kept) == [others[1], others[0]]


def test_stop_sends_the_scheduled_result_broadcasts(app, workshop, watching):
    _browser, bo = participant_in(app, workshop["en"]["code"])
    assert emit(bo, "initiative:post", POST)["created"]
    runtime.of(app).stop()
    assert runtime.of(app).broadcasts.running == 0
    assert received(watching, "workshop:results")


def test_a_write_lock_held_elsewhere_is_waited_for_then_answered_busy(app, monkeypatch):
    """run() retries while another connection holds SQLite's write lock, and answers
    `busy` once LOCK_WAIT has passed, having stored nothing."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    other = sqlite3.connect(path)
    other.execute("BEGIN IMMEDIATE")
    tries = []

    def job():
        tries.append(1)
        with app.app_context():
            db.session.execute(sa.text("UPDATE workshops SET title = 'x'"))

    monkeypatch.setattr(unit_of_work, "LOCK_WAIT", 0.1)
    try:
        with app.app_context(), pytest.raises(RuleError) as refused:
            unit_of_work.run(job)
    finally:
        other.rollback()
        other.close()
    assert refused.value.code == "busy" and len(tries) > 1
    with app.app_context():
        unit_of_work.run(job)  # the lock gone, the same job goes through at once
    assert len(tries) > 2
