"""Group commit: on SQLite, writes that arrive together share one transaction and one commit.

SQLite (WAL, synchronous=FULL) waits for the disk at every commit, 0.5 to 2 ms on the
project's machine, and under eventlet or gevent the whole process waits with it: one commit
per vote caps a process well below 500 votes a second whatever the rest costs. Here the first
caller becomes the *leader*: it lets the handlers that are ready to run queue their jobs too,
runs every queued job in one transaction of its session, commits once and wakes the others
(the oldest of those still queued leads the next batch); each caller gets its own result (or
its own refusal) only after that commit, so an acknowledged write is still on disk. Under
light load a batch holds one job and nothing changes.

Only for one process on SQLite, which has one writer at a time anyway: on PostgreSQL several
processes would hold one another's row locks for a whole batch.
"""

import threading

from ..extensions import db, socketio

BATCH_MAX = 64  # jobs per transaction: bounds how long one batch keeps the event loop

# callers waiting for a batch, oldest first, and whether one of them is running batches;
# the lock is never held across a yield (green under eventlet's and gevent's monkey patching)
_queue = []
_leading = False
_lock = threading.Lock()


class _Entry:
    __slots__ = ("job", "refusals", "changed", "wake", "done", "result", "error")

    def __init__(self, job, refusals, changed):
        self.job, self.refusals, self.changed = job, refusals, changed
        self.wake = threading.Event()
        self.done, self.result, self.error = False, None, None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


def enabled():
    return db.engine.dialect.name == "sqlite"


def run(job, refusals=(), changed=lambda result: True):
    """Return `job()`, run in a transaction shared with the jobs queued meanwhile, once that
    transaction is committed. The job must not commit or roll back, and runs in the leader's
    database session: a caller must have no transaction of its own under way.

    An exception of a type in `refusals` (raised before the job wrote anything that
    matters) goes to its caller alone; any other exception rolls back the whole batch and
    reaches every caller in it. A batch where `changed(result)` is false for every job is
    rolled back instead of committed: no wait for the disk when nothing was stored.
    """
    global _leading
    entry = _Entry(job, refusals, changed)
    with _lock:
        _queue.append(entry)
        lead, _leading = not _leading, True
    if not lead:
        entry.wake.wait()  # woken when its batch is committed, or to lead the next one
    if not entry.done:
        _lead(entry)
    return entry.outcome()


def _lead(entry):
    """Run one batch (the oldest queued jobs, `entry` first), then hand over."""
    global _leading
    batch = []
    try:
        socketio.sleep(0)  # handlers ready to run queue their jobs as well
        with _lock:
            batch = _queue[:BATCH_MAX]
            del _queue[:BATCH_MAX]
        _run(batch)
    finally:
        with _lock:
            if entry in _queue:  # interrupted before taking its batch: not a successor
                _queue.remove(entry)
            successor = _queue[0] if _queue else None
            _leading = successor is not None
        for entry in batch:
            entry.wake.set()
        if successor is not None:
            successor.wake.set()


def _run(batch):
    try:
        stored = False
        for entry in batch:
            try:
                entry.result = entry.job()
                stored = entry.changed(entry.result) or stored
            except entry.refusals as error:
                entry.error = error
        if stored:
            db.session.commit()
        else:
            db.session.rollback()
    except BaseException as error:
        db.session.rollback()
        for entry in batch:
            entry.error = error if isinstance(error, Exception) else RuntimeError("interrupted")
        if not isinstance(error, Exception):
            raise
    finally:
        for entry in batch:
            entry.done = True
