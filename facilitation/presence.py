"""Who is connected now: the participants with a live socket connection, per session.

Held by the runtime (runtime.py) as `presence`; the socket handlers call `arrive` on a
participant's connect and `leave` on their disconnect (sockets/__init__.py), and
live_counters.py reads `connected` for `session:counters`. A participant with several
connections (two tabs, two devices) counts once.

One process: `LocalPresence`, in memory. Several processes (a Redis message queue):
`RedisPresence` keeps each process's participants of a session in a Redis set of its own
that expires unless the process refreshes it (every PRESENCE_TTL / 3 seconds), so the
connections of a process that was killed stop counting after PRESENCE_TTL at most; the
other processes notice and send the counters again.
"""

import logging
import threading
import uuid
from collections import Counter, defaultdict

log = logging.getLogger(__name__)


class LocalPresence:
    """This process's connections, counted per session and participant."""

    def __init__(self):
        self.lock = threading.Lock()
        self.here = defaultdict(Counter)  # session id -> participant id -> connections

    def arrive(self, session_id, participant_id):
        """One more connection; True when the participant was not connected here before."""
        with self.lock:
            self.here[session_id][participant_id] += 1
            return self.here[session_id][participant_id] == 1

    def leave(self, session_id, participant_id):
        """One connection fewer; True when it was the participant's last one here."""
        with self.lock:
            counts = self.here.get(session_id)
            if not counts or participant_id not in counts:
                return False
            counts[participant_id] -= 1
            if counts[participant_id] > 0:
                return False
            del counts[participant_id]
            if not counts:
                del self.here[session_id]
            return True

    def local(self):
        """{session id: [participant ids connected to this process]}."""
        with self.lock:
            return {sid: list(counts) for sid, counts in self.here.items()}

    def connected(self, session_ids):
        """{session id: participants connected now}."""
        with self.lock:
            return {sid: len(self.here.get(sid, ())) for sid in session_ids}

    def stop(self):
        pass


class RedisPresence(LocalPresence):
    """The sessions' participants connected to any process, kept in Redis.

    Keys (under `prefix`): `<sid>:<process>` a set of participant ids, expiring;
    `<sid>` the set of processes that have one; `sessions` the sessions with any.
    `on_gone(session_ids)` is called when a process's set of a session expired.
    """

    def __init__(self, client, ttl, start_task, sleep, on_gone, prefix="facilitation:presence"):
        super().__init__()
        self.redis = client
        self.ttl = max(1, int(round(ttl)))
        self.start_task, self.sleep, self.on_gone = start_task, sleep, on_gone
        self.prefix = prefix
        self.process = uuid.uuid4().hex
        self.running = False
        self.stopped = threading.Event()

    def _key(self, session_id, process=None):
        return f"{self.prefix}:{session_id}:{process or self.process}"

    def _index(self, session_id):
        return f"{self.prefix}:{session_id}"

    def arrive(self, session_id, participant_id):
        first = super().arrive(session_id, participant_id)
        if first:
            self._guarded(self._add, session_id, [participant_id])
        self._heartbeat_once_started()
        return first

    def leave(self, session_id, participant_id):
        last = super().leave(session_id, participant_id)
        if last:
            self._guarded(self.redis.srem, self._key(session_id), participant_id)
        return last

    def connected(self, session_ids):
        """{session id: participants connected to any live process}; None for a session
        when Redis cannot be reached."""
        found = {}
        for sid in session_ids:
            try:
                processes = self.redis.smembers(self._index(sid))
                keys = [self._key(sid, p.decode()) for p in processes]
                found[sid] = len(self.redis.sunion(keys)) if keys else 0
            except Exception:
                log.exception("presence: Redis unreachable")
                found[sid] = None
        return found

    def stop(self):
        self.stopped.set()

    # in Redis ------------------------------------------------------------------------

    def _guarded(self, call, *args):
        try:
            call(*args)
        except Exception:
            log.exception("presence: Redis unreachable")

    def _add(self, session_id, participant_ids):
        with self.redis.pipeline() as pipe:
            pipe.sadd(self._key(session_id), *participant_ids)
            pipe.expire(self._key(session_id), self.ttl)
            pipe.sadd(self._index(session_id), self.process)
            pipe.sadd(f"{self.prefix}:sessions", session_id)
            pipe.execute()

    def _heartbeat_once_started(self):
        with self.lock:
            if self.running:
                return
            self.running = True
        self.start_task(self._heartbeat)

    def _heartbeat(self):
        """Refresh this process's sets (writing them again whole: a Redis that lost them
        gets them back), then sweep the sets of processes gone quiet."""
        while not self.stopped.is_set():
            self.sleep(self.ttl / 3)
            if self.stopped.is_set():
                return
            for sid, participant_ids in self.local().items():
                if participant_ids:
                    self._guarded(self._add, sid, participant_ids)
            try:
                gone = self.sweep()
            except Exception:
                log.exception("presence: Redis unreachable")
                continue
            if gone:
                self.on_gone(gone)

    def sweep(self):
        """Forget the processes whose set of a session expired (or emptied); returns the
        sessions where one did. Of several processes sweeping at once, one finds each."""
        gone = []
        sessions_key = f"{self.prefix}:sessions"
        for raw_sid in self.redis.smembers(sessions_key):
            sid = int(raw_sid)
            processes = self.redis.smembers(self._index(sid))
            for process in processes:
                key = self._key(sid, process.decode())
                if not self.redis.exists(key) and self.redis.srem(self._index(sid), process):
                    gone.append(sid)
            if not self.redis.exists(self._index(sid)):
                self.redis.srem(sessions_key, raw_sid)
        return sorted(set(gone))


def make(app, client, start_task, sleep, on_gone):
    """RedisPresence when the message queue is Redis (`client`, several processes), else
    local."""
    if client is None:
        return LocalPresence()
    return RedisPresence(client, app.config["PRESENCE_TTL"], start_task, sleep, on_gone)
