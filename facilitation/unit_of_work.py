"""One unit of work per Socket.IO event and per HTTP request that writes.

Opened by the socket decorator (sockets/common.py `acknowledged`), and by `work()` around
the service calls of views that write, the command line and tests. Services change state and
record domain events (services/events.py) into the unit of work that is open; it commits,
and only after the commit hands the events to broadcast.py. A failed commit rolls back and
sends nothing; the caller acknowledges nothing.

Two ways of committing: a transaction of its own (`work`, `run`), or on SQLite, for votes,
a transaction shared with the votes arriving together (`run(job, grouped=True)`, see
group_commit.py): committed once for all of them, each caller answered after that commit.
"""

import contextlib

from flask import g

from . import broadcast, group_commit, runtime
from .extensions import db


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
    broadcast.publish(unit.events)


def run(job, grouped=False):
    """`job()` in a unit of work of its own, returned once committed and broadcast.

    `grouped` (votes): on SQLite the job shares a transaction with the jobs queued
    meanwhile; it must then use nothing of its caller's request context but the database.
    """
    if grouped and group_commit.enabled():
        unit = UnitOfWork()
        result = runtime.current().group_commit.run(unit, job)
        broadcast.publish(unit.events)
        return result
    with work():
        return job()
