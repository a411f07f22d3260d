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

import re
import time

from engineio import json
from socketio.packet import Packet

WIRE_FACTOR = 2  # the guard's rate and burst, as multiples of the per-connection event limit
DEPTH_MAX = 32  # lists and objects inside one another in a payload; the app needs 4
MALFORMED = "\x00malformed"  # the event a payload that cannot be taken in becomes
_UNSAFE = re.compile("[\x00\ud800-\udfff]")  # NUL, and surrogates not in a pair


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
    """Put a guard in front of `server` (a python-socketio Server); called by create_app.
    Only clients' packets go through PayloadJSON's checks: the message queue carries what
    this app's own processes published (results, deltas), decoded with plain JSON."""
    server.manager.json = json
    return FloodGuard(server, config["SOCKET_EVENTS_PER_SECOND"], config["SOCKET_EVENT_BURST"])


class TextPacket(Packet):
    """The Socket.IO packets of this app, which sends JSON only: what it emits is not
    searched for bytes first (python-socketio would search every emit and every
    acknowledgement through all its levels). A client's binary packet is still decoded."""

    uses_binary_events = False


class PayloadJSON:
    """The JSON module Socket.IO decodes packets with. A payload nested deeper than
    DEPTH_MAX, or holding a NUL or a lone surrogate in any string (no database stores them),
    becomes the one event MALFORMED, which the namespace answers `bad_request`: such input
    never reaches a handler, a database or a recursion limit."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text, *args, **kwargs):
        try:
            data = json.loads(text, *args, **kwargs)
        except RecursionError:
            return [MALFORMED]
        return data if _acceptable(data) else [MALFORMED]


def _acceptable(data):
    """Whether `data` is shallow enough and its strings and keys are storable text."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if _UNSAFE.search(value):
                return False
        elif isinstance(value, list | dict):
            if depth >= DEPTH_MAX:
                return False
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                value = value.values()
            stack.extend((item, depth + 1) for item in value)
    return True
