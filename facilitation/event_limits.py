"""The Socket.IO event limit: a token bucket per participant, shared by every process.

Each acknowledged event costs one token (sockets/common.py `spend_token`); tokens come back
at SOCKET_EVENTS_PER_SECOND up to SOCKET_EVENT_BURST; an empty bucket answers
`rate_limited`. A participant's bucket is keyed by the participant, not the connection: a
reconnect, a second tab or a connection to another process spends from the same bucket.
Other connections (facilitators' consoles, room screens) have a bucket per connection.

Where the buckets live: in Redis when the app has one (RATELIMIT_STORAGE_URI, else
SOCKETIO_MESSAGE_QUEUE, when it is a redis:// URL), updated by one script run atomically
on Redis's own clock; otherwise in this process's memory. Should Redis fail, the process
falls back to its memory (logged once) rather than refuse everyone.
"""

import logging
import math
import threading
import time

log = logging.getLogger(__name__)

KEY = "facilitation.event_limits"
PREFIX = "fg:events:"

# KEYS[1] the bucket; ARGV rate, burst. Returns 1 when a token was taken, else 0.
SPEND = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local held = redis.call('HMGET', KEYS[1], 't', 's')
local tokens = tonumber(held[1]) or burst
local since = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - since) * rate)
local taken = 0
if tokens >= 1 then
  tokens = tokens - 1
  taken = 1
end
redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 's', string.format('%.6f', now))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
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
    """Buckets in Redis, one hash per key, expiring once they would be full again."""

    def __init__(self, url):
        import redis

        self.errors = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.script = self.client.register_script(SPEND)

    def spend(self, key, rate, burst):
        keep_ms = int(min(refill_seconds(rate, burst), 86400) * 1000) + 1000
        return bool(self.script(keys=[PREFIX + key], args=[rate, burst, keep_ms]))


class EventLimits:
    """The buckets of one app: Redis's if configured, with this process's as the fallback."""

    def __init__(self, redis_url=None):
        self.memory = MemoryBuckets()
        self.shared = RedisBuckets(redis_url) if redis_url else None
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
        limits = app.extensions[KEY] = EventLimits(redis_url(app.config))
    return limits
