"""Rooms by audience and the broadcasts to them; result broadcasts are coalesced.

- `session:<id>`: the participants of a session;
- `participant:<id>`: every connection of one participant (their own dots and picks);
- `workshop:<id>`: the facilitators' dashboards of a workshop;
- `projector:<id>`: the room screens of a workshop (they see what participants see);
- `workshop_board:<id>`: every participant of a workshop, for the initiatives of the
  other sessions (read only; the same messages as a session's participants get).
"""

import logging
import threading
import time

from flask import current_app

from .extensions import db, socketio
from .models import Workshop
from .services import results

NAMESPACE = "/live"

log = logging.getLogger(__name__)


def shared_redis(app):
    """A client of the message queue's Redis (several processes), or None (one process)."""
    queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
    if not queue.startswith(("redis://", "rediss://")):
        return None
    return redis_client(queue)


REDIS_CONNECTIONS = 50  # per client and process; more callers wait for one to be free


def redis_client(url, timeout=5):
    """A Redis client whose callers wait (cooperatively, up to `timeout`) for a free
    connection: a room connecting at once makes more calls at the same moment than a
    process should open connections, and none of them should fail for it."""
    import redis

    pool = redis.BlockingConnectionPool.from_url(
        url,
        max_connections=REDIS_CONNECTIONS,
        timeout=timeout,
        socket_timeout=timeout,
        socket_connect_timeout=timeout,
    )
    return redis.Redis(connection_pool=pool)


def session_room(session_id):
    return f"session:{session_id}"


def participant_room(participant_id):
    return f"participant:{participant_id}"


def workshop_room(workshop_id):
    return f"workshop:{workshop_id}"


def projector_room(workshop_id):
    return f"projector:{workshop_id}"


def workshop_board_room(workshop_id):
    return f"workshop_board:{workshop_id}"


def to_participants(session_id, event, data):
    socketio.emit(event, data, to=session_room(session_id), namespace=NAMESPACE)


def to_every_participant(workshop_id, session_id, event, data):
    """A session's initiative delta to its participants and to every other participant of
    the workshop (their "other groups" section): one emit, so a participant in both rooms
    gets it once."""
    rooms = [session_room(session_id), workshop_board_room(workshop_id)]
    socketio.emit(event, data, to=rooms, namespace=NAMESPACE)


def to_participant(participant_id, event, data):
    socketio.emit(event, data, to=participant_room(participant_id), namespace=NAMESPACE)


def to_facilitators(workshop_id, event, data):
    socketio.emit(event, data, to=workshop_room(workshop_id), namespace=NAMESPACE)


def to_projectors(workshop_id, event, data):
    socketio.emit(event, data, to=projector_room(workshop_id), namespace=NAMESPACE)


def results_changed(workshop_id):
    """Schedule one results broadcast for a workshop (ResultBroadcasts.schedule)."""
    current_app.extensions["facilitation"].broadcasts.schedule(workshop_id)


class Coalesced:
    """Broadcasts coalesced per workshop: however fast changes arrive, a workshop gets at
    most one `broadcast(workshop_id)` per `INTERVALS` RESULTS_INTERVAL seconds, computed when
    it is sent. Held by the runtime (runtime.py), which drains them when it stops.

    With several processes (`shared`, the message queue's Redis) the first process to
    schedule a workshop's broadcast claims it for the interval (a key that expires with it)
    and the others leave it to that one: every process's clients get it through the queue,
    and it is computed after every change made before the claim expires, wherever that
    change was committed. So a workshop's results are computed and published once per
    interval whatever the number of processes. Should Redis fail, each process sends its own.
    """

    INTERVALS = 1
    NAME = "results"

    def __init__(self, app, shared=None):
        self.app = app
        self.shared = shared
        self.pending = set()  # workshops with a broadcast scheduled, not yet computed
        self.covered = {}  # workshop -> until when another process's claim covers changes
        self.running = 0  # broadcasts scheduled and not yet sent
        self.changed = threading.Condition()

    @property
    def interval(self):
        return self.INTERVALS * self.app.config["RESULTS_INTERVAL"]

    def schedule(self, workshop_id):
        """Schedule one broadcast for a workshop; calls within the interval share it, those
        of every process when it is shared."""
        with self.changed:
            if workshop_id in self.pending or time.monotonic() < self.covered.get(workshop_id, 0):
                return
            self.pending.add(workshop_id)
            self.running += 1
        if not self._claimed(workshop_id):
            self._done(workshop_id)
            return
        socketio.start_background_task(self._send, workshop_id)

    def _claimed(self, workshop_id):
        """Whether this process sends the workshop's next broadcast: the claim is a key
        living one interval, set only if absent. The process holding it computes after
        sleeping that interval, so after any change made while the key exists. A process
        that did not get it asks again only once the key has expired (by its remaining time,
        counted from before asking: never later than the key's end)."""
        if self.shared is None:
            return True
        key = f"fg:{self.NAME}:{workshop_id}"
        asked = time.monotonic()
        try:
            with self.shared.pipeline(transaction=False) as pipe:
                pipe.set(key, 1, nx=True, px=max(1, int(self.interval * 1000)))
                pipe.pttl(key)
                claimed, remaining = pipe.execute()
        except Exception:
            log.exception("broadcast claim not shared; this process sends its own")
            return True
        if not claimed and remaining > 0:
            with self.changed:
                self.covered[workshop_id] = asked + remaining / 1000
        return bool(claimed)

    def _done(self, workshop_id):
        with self.changed:
            self.pending.discard(workshop_id)
            self.running -= 1
            self.changed.notify_all()

    def drain(self):
        """Wait until every scheduled broadcast has been sent."""
        with self.changed:
            while self.running:
                self.changed.wait()

    def _send(self, workshop_id):
        try:
            socketio.sleep(self.interval)
            with self.changed:
                self.pending.discard(workshop_id)
            self.broadcast(workshop_id)
        finally:
            with self.changed:
                self.running -= 1
                self.changed.notify_all()

    def broadcast(self, workshop_id):
        raise NotImplementedError


class ResultBroadcasts(Coalesced):
    """One process's result broadcasts (Coalesced): the workshop's results to its
    facilitators and projectors, and to participants where the workshop shows them."""

    def broadcast(self, workshop_id):
        with self.app.app_context():
            data = results.workshop_results(workshop_id)
            workshop = db.session.get(Workshop, workshop_id)
            public = workshop.results_to_participants
            session_ids = [s.id for s in workshop.sessions]
        to_facilitators(workshop_id, "workshop:results", data)
        to_projectors(workshop_id, "workshop:results", data)
        if public:
            for session_id in session_ids:
                to_participants(
                    session_id, "session:results", results.session_results(data, session_id)
                )
