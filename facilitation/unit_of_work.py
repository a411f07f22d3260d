"""One unit of work per Socket.IO event and per HTTP request that writes.

Opened by the socket decorator (sockets/common.py `acknowledged`), and by `work()` around
the service calls of views that write, the command line and tests. Services change state and
record domain events (services/events.py) into the unit of work that is open; it commits,
and only after the commit hands the events to broadcast.py, and to the translation worker
(translation/worker.py: it notes the texts to translate, later). A failed commit rolls back
and sends nothing; the caller acknowledges nothing.

Two ways of committing: a transaction of its own (`work`, `run`), or for votes and SDG
picks, a transaction shared with those arriving together (`run(job, grouped=True)`, see
group_commit.py): committed once for all of them, each caller answered after that commit.

On SQLite, another process (a `flask import`, a backup) may hold the database's write lock.
SQLite's own wait would stop the whole process (create_app sets it to 0), so `run` waits
here instead: it rolls back, sleeps without blocking the event loop, and runs the job again,
for up to LOCK_WAIT seconds; then it answers `busy`. Reads never wait (WAL).
"""

import contextlib
import sqlite3

from flask import current_app, g
from sqlalchemy.exc import OperationalError

from . import broadcast, runtime, translation
from .domain.errors import RuleError
from .extensions import db, socketio

LOCK_WAIT = 10.0  # seconds a unit of work waits for another process's write lock (SQLite)


class UnitOfWork:
    """The events recorded by the services during one event or request."""

    def __init__(self):
        self.events = []

    def record(self, event):
        self.events.append(event)

    @contextlib.contextmanager
    def bound(self):
        """Make this the unit of work services record into (flask.g), for a while."""
        previous = g.get("unit_of_work")
        g.unit_of_work = self
        try:
            yield self
        finally:
            g.unit_of_work = previous


@contextlib.contextmanager
def work():
    """Open a unit of work; commit it at the end of the block, then broadcast its events.
    An exception rolls everything back and broadcasts nothing."""
    unit = UnitOfWork()
    try:
        with unit.bound():
            yield unit
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    _committed(unit.events)


def _committed(events):
    """After a commit: the broadcasts, and the texts to translate noted (never waited for)."""
    broadcast.publish(events)
    translation.committed(current_app, events)


def run(job, grouped=False):
    """`job()` in a unit of work of its own, returned once committed and broadcast; run
    again while another process holds SQLite's write lock (see above), else `busy`.

    `grouped` (votes, picks): the job shares a transaction with the jobs queued
    meanwhile; it must then use nothing of its caller's request context but the database.
    """
    waited, pause = 0.0, 0.005
    while True:
        try:
            return _run_once(job, grouped)
        except OperationalError as error:
            if not _locked(error):
                raise
            if waited >= LOCK_WAIT:
                raise RuleError("busy") from None
        socketio.sleep(pause)
        waited, pause = waited + pause, min(pause * 2, 0.25)


def _locked(error):
    """Whether SQLite refused because another connection holds the write lock."""
    orig = error.orig
    return isinstance(orig, sqlite3.OperationalError) and "locked" in str(orig)


def _run_once(job, grouped):
    if grouped:
        unit = UnitOfWork()
        result = runtime.current().group_commit.run(unit, job)
        _committed(unit.events)
        return result
    with work():
        return job()
