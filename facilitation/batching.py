"""Calls that arrive together, handled together: one transaction (group_commit.py) or one
Redis round trip (event_limits.py) for the handlers that were ready at the same time.

The first caller becomes the *leader*: it yields once (`sleep(gather)`, 0 by default) so
that the handlers ready to run, or becoming ready within `gather` seconds, queue their
calls too, hands the oldest queued ones (at most `size`) to `handle`, and wakes their
callers; the oldest of those still queued leads the next batch.
Each caller gets its own result or exception. Under light load a batch holds one call and
costs what a call alone would, plus the `gather` wait.
"""

import threading


class Entry:
    """One queued call: `value` for `handle`, which sets `result` or `error`."""

    __slots__ = ("value", "wake", "done", "result", "error")

    def __init__(self, value):
        self.value = value
        self.wake = threading.Event()
        self.done, self.result, self.error = False, None, None

    def outcome(self):
        if self.error is not None:
            raise self.error
        return self.result


class Batches:
    """Callers waiting for a batch, oldest first, and whether one of them is leading; one per
    process and purpose. `handle(entries)` runs a batch and sets every entry's outcome. The
    lock is never held across a yield or `handle`."""

    def __init__(self, handle, sleep, size, gather=0.0):
        self.handle, self.sleep, self.size, self.gather = handle, sleep, size, gather
        self.queue = []
        self.leading = False
        self.lock = threading.Lock()

    def submit(self, value):
        """The outcome `handle` gave `value`, run in a batch with the calls queued meanwhile."""
        entry = Entry(value)
        with self.lock:
            self.queue.append(entry)
            lead, self.leading = not self.leading, True
        if not lead:
            entry.wake.wait()  # woken when its batch is done, or to lead the next one
        if not entry.done:
            self._lead(entry)
        return entry.outcome()

    def _lead(self, entry):
        """Run one batch (the oldest queued calls, `entry` first), then hand over."""
        batch = []
        try:
            self.sleep(self.gather)  # handlers ready meanwhile queue their calls as well
            with self.lock:
                batch = self.queue[: self.size]
                del self.queue[: self.size]
            try:
                self.handle(batch)
            finally:
                for done in batch:
                    done.done = True
        finally:
            with self.lock:
                if entry in self.queue:  # interrupted before taking its batch: not a successor
                    self.queue.remove(entry)
                successor = self.queue[0] if self.queue else None
                self.leading = successor is not None
            for done in batch:
                done.wake.set()
            if successor is not None:
                successor.wake.set()
