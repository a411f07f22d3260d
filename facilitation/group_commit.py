"""Group commit: on SQLite, writes that arrive together share one transaction and one commit.

SQLite (WAL, synchronous=FULL) waits for the disk at every commit, 0.5 to 2 ms on the
project's machine, and under eventlet or gevent the whole process waits with it: one commit
per vote caps a process well below 500 votes a second whatever the rest costs. Here the first
caller becomes the *leader*: it lets the handlers that are ready to run queue their jobs too,
runs every queued job in one transaction of its session, commits once and wakes the others
(batching.py); each caller gets its own result (or its own refusal) only after that
commit, so an acknowledged write is still on disk. Under light load a batch holds one job
and nothing changes.

A way of committing a unit of work (unit_of_work.py), chosen for votes. Only for one
process on SQLite, which has one writer at a time anyway: on PostgreSQL several
processes would hold one another's row locks for a whole batch.
"""

from .batching import Batches
from .domain.errors import RuleError
from .extensions import db

BATCH_MAX = 64  # jobs per transaction: bounds how long one batch keeps the event loop


def enabled():
    return db.engine.dialect.name == "sqlite"


class GroupCommit(Batches):
    """Votes waiting to share a transaction; one per process (runtime.py). `sleep(0)` is the
    yield that lets ready handlers queue (socketio.sleep)."""

    def __init__(self, sleep):
        super().__init__(_run, sleep, BATCH_MAX)

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
    try:
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
    except BaseException as error:
        db.session.rollback()
        for entry in batch:
            entry.value[0].events.clear()
            entry.error = error if isinstance(error, Exception) else RuntimeError("interrupted")
        if not isinstance(error, Exception):
            raise
