"""How far behind a process is, and whether participants' writes should wait.

Every Socket.IO event runs as a task of its own, queued behind those before it. One
background task per process sleeps INTERVAL seconds, takes one more turn at the back of the
ready queue (`sleep(0)`), and records how late it got back: about how long an event arriving
now waits before its handler starts. The extra turn matters: gevent runs a due timer ahead of
ready greenlets, so the timer alone stays punctual behind thousands of queued events; eventlet
fires timers first in, first out, so the timer waits behind the events that came before it
was due, and the extra turn adds those that came meanwhile. `current()` also counts a pending
wake-up that is already overdue, so handlers see a growing queue before the monitor wakes.

Writes can also queue where the loop does not see them: parked on a shared commit
(group_commit.py) or a lock, they leave the loop idle. So the age of the oldest
participant write still in progress counts too, and the lag is the larger of the two.

Shedding answers overload, not hiccups: a lag above OVERLOAD_LAG sheds only once it has been
above it for OVERLOAD_WINDOW seconds in all within the last SPAN_FACTOR windows
(`SustainedLag`, fed by every tick of the monitor and every participant's write). A pause
of the machine (another process holding the CPU, a collection) makes one late wake-up, not
seconds of them; a process that cannot keep up is late tick after tick, and once it has
been for a window, every new dip above the threshold within the span sheds at once. While
shedding, participants' writes answer `busy` and do nothing (sockets/common.py): the queues
drain, accepted writes stay fast, Engine.IO pings are answered, and clients send again
later.
"""

import contextlib
import itertools
import logging
import threading
import time
from collections import OrderedDict, deque

INTERVAL = 0.1  # seconds between wake-ups
SPAN_FACTOR = 5  # the lag is summed over this many windows
KEEP = 600.0  # seconds of lag history kept at most

log = logging.getLogger(__name__)


class LagMonitor:
    """Measures how late wake-ups come; `sleep` and `clock` are injected (tests drive it)."""

    def __init__(self, sleep, clock=time.monotonic, interval=INTERVAL, threshold=0.0, on_tick=None):
        self.sleep = sleep
        self.on_tick = on_tick  # called after each tick (Pressure feeds SustainedLag)
        self.clock = clock
        self.interval = interval
        self.threshold = threshold  # only for the log lines
        self.lag = 0.0  # seconds the last wake-up came late
        self.due = None  # when the pending wake-up should come
        self.running = True  # until stop()

    def tick(self):
        """Sleep one interval, queue once behind the ready tasks, record the lateness."""
        self.due = self.clock() + self.interval
        self.sleep(self.interval)
        self.sleep(0)
        was = self.lag
        self.lag = max(0.0, self.clock() - self.due)
        if self.threshold > 0 and (was > self.threshold) != (self.lag > self.threshold):
            state = "shedding participants' writes" if self.lag > self.threshold else "recovered"
            log.warning("event loop %.2f s late: %s", self.lag, state)
        if self.on_tick is not None:
            self.on_tick()

    def current(self):
        """The last wake-up's lag, or how overdue the pending one already is, if more:
        a handler running behind a long queue sees the lag before the monitor wakes."""
        due = self.due
        return max(self.lag, self.clock() - due if due is not None else 0.0)

    def run(self):
        """Tick until stopped; should a tick fail, stop with the lag at 0: never shed
        blindly."""
        try:
            while self.running:
                self.tick()
        except Exception:
            log.exception("event-loop lag monitor stopped: no more `busy` answers")
        self.due, self.lag = None, 0.0

    def stop(self):
        """End `run` after its current tick."""
        self.running = False


class SustainedLag:
    """How long the lag has been seen above the threshold lately: the time between the
    first and the last of each run of observations above it, summed. Pure; `clock` is
    injected. A single late observation adds nothing: it takes two in a row, and as
    many seconds of them as the rule asks."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.runs = deque()  # (first, last) observation above the threshold, closed runs
        self.first = self.last = None  # the run going on, if the last observation was above

    def observe(self, above):
        now = self.clock()
        if above:
            if self.first is None:
                self.first = now
            self.last = now
        elif self.first is not None:
            self.runs.append((self.first, self.last))
            self.first = self.last = None
        while self.runs and self.runs[0][1] < now - KEEP:
            self.runs.popleft()

    def above_for(self, span):
        """Seconds above the threshold within the last `span` seconds."""
        start = self.clock() - span
        runs = [*self.runs, (self.first, self.last)] if self.first is not None else self.runs
        return sum(max(0.0, last - max(first, start)) for first, last in runs)

    def sustained(self, above, window):
        """Observe; True when above now and above for `window` seconds in all within the
        last SPAN_FACTOR windows (at once when `window` is 0)."""
        self.observe(above)
        return above and self.above_for(SPAN_FACTOR * window) >= window


class Writes:
    """Participants' writes being handled in this process, oldest first. Their queue is not
    always the event loop's: a write parked on a lock or on a shared commit (group_commit)
    waits without making the loop late, yet the writes behind it wait as long."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.started = OrderedDict()  # key -> when the write's handler started
        self.keys = itertools.count()
        self.lock = threading.Lock()

    @contextlib.contextmanager
    def track(self):
        key = next(self.keys)
        with self.lock:
            self.started[key] = self.clock()
        try:
            yield
        finally:
            with self.lock:
                del self.started[key]

    def oldest_age(self):
        """Seconds the oldest write still in progress has been at it (0 if none)."""
        with self.lock:
            oldest = next(iter(self.started.values()), None)
        return 0.0 if oldest is None else max(0.0, self.clock() - oldest)


class Pressure:
    """One process's lag: its monitor (started by the first connection, never at import)
    and its participants' writes in progress. Held by the runtime (runtime.py)."""

    def __init__(self, socketio):
        self.socketio = socketio
        self.monitor = None
        self.writes = Writes()
        self.recent = SustainedLag()
        self.lock = threading.Lock()

    def watch(self, threshold):
        """Start the monitor once; returns it. Each tick tells `recent` whether the lag is
        above `threshold`."""
        with self.lock:
            if self.monitor is not None:
                return self.monitor

            def observe():
                self.recent.observe(threshold > 0 and self.lag() > threshold)

            self.monitor = LagMonitor(self.socketio.sleep, threshold=threshold, on_tick=observe)
        self.socketio.start_background_task(self.monitor.run)
        return self.monitor

    def stop(self):
        with self.lock:
            if self.monitor is not None:
                self.monitor.stop()

    def lag(self):
        """How far behind this process is, in seconds: its event-loop lag (0 before the
        monitor starts) or the age of its oldest write in progress, whichever is more."""
        loop = self.monitor.current() if self.monitor is not None else 0.0
        return max(loop, self.writes.oldest_age())

    def overloaded(self, threshold, window=0.0):
        """True while the lag is above `threshold` seconds and has been for `window`
        seconds lately (SustainedLag); a threshold of 0 never sheds."""
        if threshold <= 0:
            return False
        return self.recent.sustained(self.lag() > threshold, window)
