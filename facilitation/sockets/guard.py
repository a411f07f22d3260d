"""The flood guard: a connection that sends far more than any page does is cut off at once.

Engine.IO hands every message to Socket.IO, which decodes it and starts a task for its
handler; the per-connection limit in `common.spend_token` answers `rate_limited` only inside
that task, so a tight loop of messages would still queue thousands of tasks. The guard sits
before all of that: each message a connection sends takes a token from a bucket that refills
at WIRE_FACTOR times the event limit (the page never comes near it: its outbox keeps a few
events in flight), and the message that finds the bucket empty closes the connection. What
that connection sends afterwards is dropped, one message per turn of the event loop, so it
cannot keep the loop to itself before its socket is closed.
"""

import time

WIRE_FACTOR = 2  # the guard's rate and burst, as multiples of the per-connection event limit


class Bucket:
    """A token bucket; `clock` is injected so tests drive time."""

    __slots__ = ("rate", "burst", "tokens", "since", "clock")

    def __init__(self, rate, burst, clock=time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self.tokens, self.since = float(burst), clock()

    def take(self):
        """Spend one token; False when none is left."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.since) * self.rate)
        self.since = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class FloodGuard:
    """Wraps a Socket.IO server's Engine.IO message handler (see `install`)."""

    def __init__(self, server, rate, burst, clock=time.monotonic):
        self.server = server
        self.rate, self.burst, self.clock = rate * WIRE_FACTOR, burst * WIRE_FACTOR, clock
        self.buckets = {}  # Engine.IO session id -> Bucket, while the connection is open
        self.cut = 0  # connections cut off since the start (logged by tests and benchmarks)
        self._dispatch = server.eio.handlers["message"]
        self._disconnected = server.eio.handlers["disconnect"]
        server.eio.on("message", self.message)
        server.eio.on("disconnect", self.disconnect)

    def message(self, eio_sid, data):
        """Called by Engine.IO for every message, before Socket.IO decodes it."""
        if eio_sid not in self.server.eio.sockets:
            self.server.sleep(0)  # a cut connection's leftovers: one per turn of the loop
            return None
        bucket = self.buckets.get(eio_sid)
        if bucket is None:
            bucket = self.buckets[eio_sid] = Bucket(self.rate, self.burst, self.clock)
        if bucket.take():
            return self._dispatch(eio_sid, data)
        self.cut += 1
        self.server.eio.disconnect(eio_sid)
        return None

    def disconnect(self, eio_sid, *reason):
        self.buckets.pop(eio_sid, None)
        return self._disconnected(eio_sid, *reason)


def install(server, config):
    """Put a guard in front of `server` (a python-socketio Server); called by create_app."""
    return FloodGuard(server, config["SOCKET_EVENTS_PER_SECOND"], config["SOCKET_EVENT_BURST"])
