"""Group commit: on SQLite, writes that arrive together share one transaction and one commit.

SQLite (WAL, synchronous=FULL) waits for the disk at every commit, 0.5 to 2 ms on the
project's machine, and under eventlet or gevent the whole process waits with it: one commit
per vote caps a process well below 500 votes a second whatever the rest costs. Here the first
caller becomes the *leader*: it lets the handlers that are ready to run queue their jobs too,
runs every queued job in one transaction of its session, commits once and wakes the others
(the oldest of those still queued leads the next batch); each caller gets its own result (or
its own refusal) only after that commit, so an acknowledged write is still on disk. Under
light load a batch holds one job and nothing changes.

A way of committing a unit of work (unit_of_work.py), chosen for votes. Only for one
process on SQLite, which has one writer at a time anyway: on PostgreSQL several
processes would hold one another's row locks for a whole batch.
"""

import threading

from .domain.errors import RuleError
from .extensions import db

BATCH_MAX = 64  # jobs per transaction: bounds how long one batch keeps the event loop


def enabled():
    return db.engine.dialect.name == "sqlite"


class _Entry:
    __slots__ = ("work", "job", "wake", "done", "result", "error")

    def __init__(self, work, job):
        self.work, self.job = work, job
        self.wake = threading.Event()
        self.done, self.result, self.error = False, None, None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


class GroupCommit:
    """Callers waiting for a batch, oldest first, and whether one of them is running
    batches; one per process (runtime.py). `sleep(0)` is the yield that lets ready handlers
    queue (socketio.sleep). The lock is never held across a yield."""

    def __init__(self, sleep):
        self.sleep = sleep
        self.queue = []
        self.leading = False
        self.lock = threading.Lock()

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
        entry = _Entry(work, job)
        with self.lock:
            self.queue.append(entry)
            lead, self.leading = not self.leading, True
        if not lead:
            entry.wake.wait()  # woken when its batch is committed, or to lead the next one
        if not entry.done:
            self._lead(entry)
        return entry.outcome()

    def _lead(self, entry):
        """Run one batch (the oldest queued jobs, `entry` first), then hand over."""
        batch = []
        try:
            self.sleep(0)  # handlers ready to run queue their jobs as well
            with self.lock:
                batch = self.queue[:BATCH_MAX]
                del self.queue[:BATCH_MAX]
            _run(batch)
        finally:
            with self.lock:
                if entry in self.queue:  # interrupted before taking its batch: not a successor
                    self.queue.remove(entry)
                successor = self.queue[0] if self.queue else None
                self.leading = successor is not None
            for entry in batch:
                entry.wake.set()
            if successor is not None:
                successor.wake.set()


def _run(batch):
    try:
        stored = False
        for entry in batch:
            try:
                with entry.work.bound():
                    entry.result = entry.job()
                stored = stored or bool(entry.work.events)
            except RuleError as error:
                entry.error = error
                entry.work.events.clear()
        if stored:
            db.session.commit()
        else:
            db.session.rollback()
    except BaseException as error:
        db.session.rollback()
        for entry in batch:
            entry.work.events.clear()
            entry.error = error if isinstance(error, Exception) else RuntimeError("interrupted")
        if not isinstance(error, Exception):
            raise
    finally:
        for entry in batch:
            entry.done = True
