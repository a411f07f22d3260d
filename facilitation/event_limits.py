"""The Socket.IO event limit: a token bucket per participant, shared by every process.

Each acknowledged event costs one token (sockets/common.py `spend_token`); tokens come back
at SOCKET_EVENTS_PER_SECOND up to SOCKET_EVENT_BURST; an empty bucket answers
`rate_limited`. A participant's bucket is keyed by the participant, not the connection: a
reconnect, a second tab or a connection to another process spends from the same bucket.
Other connections (facilitators' consoles, room screens) have a bucket per connection.

Where the buckets live: in Redis when the app has one (RATELIMIT_STORAGE_URI, else
SOCKETIO_MESSAGE_QUEUE, when it is a redis:// URL), updated by one script run atomically
on Redis's own clock (one run for the events of the handlers ready at the same time);
otherwise in this process's memory. Should Redis fail, the process
falls back to its memory (logged once) rather than refuse everyone.
"""

import logging
import math
import threading
import time

from .batching import Batches

log = logging.getLogger(__name__)

KEY = "facilitation.event_limits"
PREFIX = "fg:events:"

# KEYS the buckets; ARGV rate, burst and milliseconds to keep, three per key. Returns a
# list: 1 where a token was taken, else 0 (a key listed twice is spent twice, in order).
SPEND = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local taken = {}
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[3 * i - 2])
  local burst = tonumber(ARGV[3 * i - 1])
  local held = redis.call('HMGET', key, 't', 's')
  local tokens = tonumber(held[1]) or burst
  local since = tonumber(held[2]) or now
  tokens = math.min(burst, tokens + math.max(0, now - since) * rate)
  taken[i] = 0
  if tokens >= 1 then
    tokens = tokens - 1
    taken[i] = 1
  end
  redis.call('HSET', key, 't', string.format('%.6f', tokens), 's', string.format('%.6f', now))
  redis.call('PEXPIRE', key, tonumber(ARGV[3 * i]))
end
return taken
"""


def refill_seconds(rate, burst):
    """How long an empty bucket takes to fill: after that a forgotten bucket is a full one."""
    return burst / rate if rate > 0 else math.inf


class MemoryBuckets:
    """Buckets in this process; full ones are forgotten now and then. `clock` is injected."""

    PRUNE_EVERY = 1000

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.buckets = {}  # key -> (tokens, since)
        self.lock = threading.Lock()
        self.spent = 0

    def spend(self, key, rate, burst):
        now = self.clock()
        with self.lock:
            tokens, since = self.buckets.get(key, (burst, now))
            tokens = min(burst, tokens + max(0.0, now - since) * rate)
            taken = tokens >= 1
            self.buckets[key] = (tokens - 1 if taken else tokens, now)
            self.spent += 1
            if self.spent % self.PRUNE_EVERY == 0:
                self._prune(now, refill_seconds(rate, burst))
        return taken

    def _prune(self, now, full_after):
        self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < full_after}


class RedisBuckets:
    """Buckets in Redis, one hash per key, expiring once they would be full again. The
    events of handlers ready at the same time spend in one script run (batching.py)."""

    BATCH_MAX = 256

    def __init__(self, url, sleep):
        import redis

        from .live import redis_client

        self.errors = (redis.RedisError, OSError)
        self.client = redis_client(url, timeout=2)
        self.script = self.client.register_script(SPEND)
        self.batches = Batches(self._spend_all, sleep, self.BATCH_MAX)

    def spend(self, key, rate, burst):
        return self.batches.submit((key, rate, burst))

    def _spend_all(self, batch):
        keys, args = [], []
        for entry in batch:
            key, rate, burst = entry.value
            keep_ms = int(min(refill_seconds(rate, burst), 86400) * 1000) + 1000
            keys.append(PREFIX + key)
            args += [rate, burst, keep_ms]
        try:
            taken = self.script(keys=keys, args=args)
        except self.errors as error:
            for entry in batch:
                entry.error = error
            return
        for entry, one in zip(batch, taken, strict=True):
            entry.result = bool(one)


class EventLimits:
    """The buckets of one app: Redis's if configured, with this process's as the fallback."""

    def __init__(self, redis_url=None, sleep=time.sleep):
        self.memory = MemoryBuckets()
        self.shared = RedisBuckets(redis_url, sleep) if redis_url else None
        self.failed = False

    def spend(self, key, rate, burst):
        """True if `key` had a token (now spent)."""
        if self.shared is not None:
            try:
                taken = self.shared.spend(key, rate, burst)
                if self.failed:
                    self.failed = False
                    log.warning("socket event limits are kept in Redis again")
                return taken
            except self.shared.errors:
                if not self.failed:
                    self.failed = True
                    log.exception("Redis unreachable: socket event limits kept per process")
        return self.memory.spend(key, rate, burst)


def redis_url(config):
    """The Redis the buckets go to, or None (memory)."""
    for name in ("RATELIMIT_STORAGE_URI", "SOCKETIO_MESSAGE_QUEUE"):
        url = config.get(name) or ""
        if url.startswith(("redis://", "rediss://", "unix://")):
            return url
    return None


def of(app):
    """The app's limits, made on first use."""
    limits = app.extensions.get(KEY)
    if limits is None:
        from .extensions import socketio

        limits = app.extensions[KEY] = EventLimits(redis_url(app.config), socketio.sleep)
    return limits
