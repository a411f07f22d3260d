"""Group commit (facilitation/group_commit.py), the way votes' and picks' units of work
commit: callers that arrive together share one transaction and one commit, each gets its
own result or refusal only after that commit, and a failure stores nothing of the batch.
Real threads on SQLite and on PostgreSQL; the leader waits until every caller has queued, so
each test knows what one batch holds. On PostgreSQL, two batches (two processes) that
deadlock: the refused one's jobs run again one by one, and every caller gets its result.
"""

import threading
import time

import pytest
from conftest import app_on_each_engine
from sqlalchemy import event

from facilitation.domain.errors import RuleError
from facilitation.extensions import db
from facilitation.group_commit import GroupCommit
from facilitation.models import Facilitator, ItemGroup, Session, Vote, Workshop
from facilitation.services import items, participants, sequence, voting, workshops
from facilitation.services.events import SettingsChanged, record
from facilitation.unit_of_work import UnitOfWork, work


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path):
    """The app on a fresh SQLite file, or on a fresh PostgreSQL database."""
    yield from app_on_each_engine(request, tmp_path)


def gated(size):
    """A GroupCommit whose leader, at its yield, waits until `size` callers have queued."""

    def sleep(_seconds):
        deadline = time.monotonic() + 10
        while len(group.queue) < size and time.monotonic() < deadline:
            time.sleep(0.005)

    group = GroupCommit(sleep)
    return group


@pytest.fixture
def commits(app):
    """How many times the engine committed."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(_conn):
        seen.append(1)

    event.listen(engine, "commit", record)
    yield seen
    event.remove(engine, "commit", record)


def together(app, jobs):
    """Run every job in a unit of work of its own through one GroupCommit, from threads of
    their own, in one batch; returns each caller's result or exception, in the jobs' order,
    and the events each unit of work kept."""
    group = gated(len(jobs))
    outcomes = [None] * len(jobs)
    units = [UnitOfWork() for _ in jobs]

    def call(n):
        with app.app_context():
            try:
                outcomes[n] = group.run(units[n], jobs[n])
            except Exception as error:  # noqa: BLE001 (the caller's outcome)
                outcomes[n] = error

    threads = [threading.Thread(target=call, args=(n,)) for n in range(len(jobs))]
    for n, thread in enumerate(threads):
        thread.start()  # one after the other: the batch runs the jobs in their order
        deadline = time.monotonic() + 10
        # (once the last one has queued, the leader may empty the queue at once)
        while n < len(jobs) - 1 and len(group.queue) <= n:
            assert time.monotonic() < deadline, "a caller never queued"
            time.sleep(0.002)
    for thread in threads:
        thread.join(timeout=30)
    assert group.queue == [] and not group.leading
    together.units = units
    return outcomes


def new_group(workshop_id, changed=True):
    """A job that stores an item group and (if `changed`) records that it changed something."""

    def job():
        group = ItemGroup(workshop_id=workshop_id)
        db.session.add(group)
        db.session.flush()
        if changed:
            record(SettingsChanged(workshop_id, ()))
        return group.id

    return job


def stored_groups(app):
    with app.app_context():
        return {g.id for g in ItemGroup.query}


def test_callers_arriving_together_share_one_commit(app, workshop, commits):
    outcomes = together(app, [new_group(workshop["id"]) for _ in range(5)])
    assert len(set(outcomes)) == 5 and all(isinstance(o, int) for o in outcomes)
    assert len(commits) == 1
    assert stored_groups(app) == set(outcomes)


def test_a_refusal_reaches_its_caller_alone(app, workshop, commits):
    def refused():
        raise RuleError("no_dots_left")

    jobs = [new_group(workshop["id"]), refused, new_group(workshop["id"])]
    outcomes = together(app, jobs)
    assert isinstance(outcomes[1], RuleError) and outcomes[1].code == "no_dots_left"
    assert [len(u.events) for u in together.units] == [1, 0, 1]
    assert stored_groups(app) == {outcomes[0], outcomes[2]}
    assert len(commits) == 1


def test_a_failure_stores_nothing_of_the_batch(app, workshop, commits):
    def broken():
        raise ValueError("disk on fire")

    jobs = [new_group(workshop["id"]), broken, new_group(workshop["id"])]
    outcomes = together(app, jobs)
    assert all(isinstance(o, ValueError) for o in outcomes)
    assert all(u.events == [] for u in together.units)  # nothing to broadcast
    assert stored_groups(app) == set()
    assert commits == []


def test_nothing_changed_is_not_committed(app, workshop, commits):
    jobs = [new_group(workshop["id"], changed=False) for _ in range(3)]
    outcomes = together(app, jobs)
    assert all(isinstance(o, int) for o in outcomes)
    assert commits == [] and stored_groups(app) == set()


def test_one_caller_alone_needs_no_company(app, workshop, commits):
    with app.app_context():
        group_id = GroupCommit(lambda _s: None).run(UnitOfWork(), new_group(workshop["id"]))
    assert stored_groups(app) == {group_id} and len(commits) == 1


def test_votes_in_one_batch_keep_every_rule(app, workshop, facilitator, commits):
    """Six dots from one participant and a replay in one shared transaction: the budget
    (3 dots, 2 per item) holds, the replay is stored once, refusals reach their callers."""
    with app.app_context(), work():
        session = db.session.get(Session, workshop["en"]["id"])
        owner = db.session.get(Facilitator, facilitator)
        ids = []
        for key in "abcd":
            changed, _plan = items.add_by_facilitator(
                owner, session, {"client_id": key, "kind": "barrier", "text": key}
            )
            ids.append(changed[0]["id"] if isinstance(changed[0], dict) else changed[0].id)
        found = db.session.get(Workshop, workshop["id"])
        found.dots, found.dots_per_item = 3, 2
        db.session.commit()
        workshops.set_phase(session, "voting")
        bo = participants.join(
            workshop["en"]["code"], {"display_name": "Bo", "organisation": "O", "country": "N"}
        )
        voter = (bo.id, bo.session_id)

    def vote(client_id, item_id):
        payload = {"client_id": client_id, "item_id": item_id, "delta": 1}
        return lambda: voting.cast_by(*voter, payload)

    plan = [("v1", ids[0]), ("v2", ids[0]), ("v3", ids[0]), ("v1", ids[1])]
    plan += [("v4", ids[1]), ("v5", ids[2]), ("v6", ids[3])]
    commits.clear()
    outcomes = together(app, [vote(*p) for p in plan])
    codes = [o.code if isinstance(o, RuleError) else o.created for o in outcomes]
    assert codes == [True, True, "item_limit", False, True, "no_dots_left", "no_dots_left"]
    assert outcomes[3].votes == outcomes[1].votes  # the replay: the state at that point
    assert outcomes[4].votes["dots_left"] == {"all": 0}
    assert len(commits) == 1
    with app.app_context():
        stored = [(v.client_id, v.item_id) for v in Vote.query.order_by(Vote.id)]
    assert stored == [("v1", ids[0]), ("v2", ids[0]), ("v4", ids[1])]


def test_batches_of_two_processes_that_deadlock_are_run_again_one_by_one(app, workshop, commits):
    """Two batches (two processes' group commits, each in its own thread and session) lock
    two participants in opposite orders; PostgreSQL refuses one of them; that batch's jobs
    run again one transaction each, and every caller gets its result, stored once."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time: nothing to deadlock")
    with app.app_context(), work():
        first, second = (
            participants.join(
                workshop["en"]["code"], {"display_name": n, "organisation": "O", "country": "N"}
            ).id
            for n in ("Ann", "Bo")
        )
    holding = {"a": threading.Event(), "b": threading.Event()}

    def lock(pid, mine=None, other=None):
        def job():
            sequence.lock_participant(pid)
            if mine is not None:
                holding[mine].set()
                holding[other].wait(10)  # both hold their first lock before the second
            group = ItemGroup(workshop_id=workshop["id"])
            db.session.add(group)
            db.session.flush()
            record(SettingsChanged(workshop["id"], ()))
            return group.id

        return job

    runs = {"a": [lock(first, "a", "b"), lock(second)], "b": [lock(second, "b", "a"), lock(first)]}
    outcomes = {}
    commits.clear()

    def process(name):
        outcomes[name] = together(app, runs[name])

    threads = [threading.Thread(target=process, args=(name,)) for name in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    ids = outcomes["a"] + outcomes["b"]
    assert all(isinstance(o, int) for o in ids), ids
    assert stored_groups(app) == set(ids) and len(set(ids)) == 4
    assert len(commits) == 3  # one batch together, the other's two jobs alone
