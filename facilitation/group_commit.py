"""Group commit: votes and SDG picks that arrive together share one transaction and one
commit.

SQLite (WAL, synchronous=FULL) waits for the disk at every commit, 0.5 to 2 ms on the
project's machine, and under eventlet or gevent the whole process waits with it: one commit
per vote caps a process well below 500 votes a second whatever the rest costs. On
PostgreSQL each transaction costs its own round trips, its commit and its flush of the
write-ahead log. Here the first caller becomes the *leader*: it lets the handlers that are
ready to run queue their jobs too, runs every queued job in one transaction of its session,
commits once and wakes the others (batching.py); each caller gets its own result (or its
own refusal) only after that commit, so an acknowledged write is stored. Under light load a
batch holds one job and nothing changes.

On PostgreSQL, batches of several processes run side by side. The rows every vote changes
(running counts: the dots of an item, of a participant) are written at the commit in one
order (services/counters.py), so batches cannot deadlock on them; each job locks its own
participant, and a participant's connections share a process (the routing cookie,
docs/deployment.md). Should two batches still deadlock (a participant voting through two
processes at once), PostgreSQL refuses one of them, and its jobs are run again one
transaction each.

A way of committing a unit of work (unit_of_work.py), chosen for votes and SDG picks.
"""

from sqlalchemy.exc import DBAPIError

from .batching import Batches
from .domain.errors import RuleError
from .extensions import db

BATCH_MAX = 64  # jobs per transaction: bounds how long one batch keeps the event loop
GATHER = 0.005  # seconds a batch's leader waits for more jobs (6 to 9 at 500 votes a second)
CONFLICTS = ("40P01", "40001")  # deadlock detected, serialization failure


class GroupCommit(Batches):
    """Votes waiting to share a transaction; one per process (runtime.py). `sleep`
    (socketio.sleep) is the leader's wait of GATHER seconds while other handlers queue."""

    def __init__(self, sleep):
        super().__init__(_run, sleep, BATCH_MAX, GATHER)

    def run(self, work, job):
        """Return `job()`, run in unit of work `work` inside a transaction shared with the
        jobs queued meanwhile, once that transaction is committed. The job must not commit
        or roll back, and runs in the leader's database session: a caller must have no
        transaction of its own under way.

        A RuleError (a refusal, raised before the job wrote anything that matters) goes to
        its caller alone, and its events are dropped; any other exception rolls back the
        whole batch and reaches every caller in it. A batch where no job recorded an event
        is rolled back instead of committed: no wait for the disk when nothing was stored.
        """
        return self.submit((work, job))


def _run(batch):
    """The batch in one transaction; after a conflict between processes, each job alone."""
    try:
        _together(batch)
    except DBAPIError as error:
        if len(batch) == 1 or getattr(error.orig, "sqlstate", None) not in CONFLICTS:
            _failed(batch, error)
            return
        db.session.rollback()
        for entry in batch:
            entry.value[0].events.clear()
            entry.result, entry.error = None, RuntimeError("interrupted")
        for entry in batch:
            entry.error = None
            try:
                _together([entry])
            except BaseException as alone:
                _failed([entry], alone)
    except BaseException as error:
        _failed(batch, error)


def _together(batch):
    """Run the jobs in one transaction and commit it. A RuleError (a refusal, raised before
    the job wrote anything that matters) goes to its caller alone, and its events are
    dropped; a batch where no job recorded an event is rolled back instead of committed: no
    wait for the disk when nothing was stored."""
    stored = False
    for entry in batch:
        work, job = entry.value
        try:
            with work.bound():
                entry.result = job()
            stored = stored or bool(work.events)
        except RuleError as error:
            entry.error = error
            work.events.clear()
    if stored:
        db.session.commit()
    else:
        db.session.rollback()


def _failed(batch, error):
    """Nothing of the batch is stored: every caller in it gets the error."""
    db.session.rollback()
    for entry in batch:
        entry.value[0].events.clear()
        entry.error = error if isinstance(error, Exception) else RuntimeError("interrupted")
    if not isinstance(error, Exception):
        raise error
