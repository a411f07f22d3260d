"""Rooms by audience and the broadcasts to them; result broadcasts are coalesced.

- `session:<id>`: the participants of a session;
- `participant:<id>`: every connection of one participant (their own dots and picks);
- `workshop:<id>`: the facilitators' dashboards of a workshop;
- `projector:<id>`: the room screens of a workshop (they see what participants see);
- `workshop_board:<id>`: every participant of a workshop, for the initiatives of the
  other sessions (read only; the same messages as a session's participants get).
"""

import threading

from flask import current_app

from .extensions import db, socketio
from .models import Workshop
from .services import results

NAMESPACE = "/live"


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
    it is sent. Held by the runtime (runtime.py), which drains them when it stops."""

    INTERVALS = 1

    def __init__(self, app):
        self.app = app
        self.pending = set()  # workshops with a broadcast scheduled, not yet computed
        self.running = 0  # broadcasts scheduled and not yet sent
        self.changed = threading.Condition()

    def schedule(self, workshop_id):
        """Schedule one broadcast for a workshop; calls within the interval share it."""
        with self.changed:
            if workshop_id in self.pending:
                return
            self.pending.add(workshop_id)
            self.running += 1
        socketio.start_background_task(self._send, workshop_id)

    def drain(self):
        """Wait until every scheduled broadcast has been sent."""
        with self.changed:
            while self.running:
                self.changed.wait()

    def _send(self, workshop_id):
        try:
            socketio.sleep(self.INTERVALS * self.app.config["RESULTS_INTERVAL"])
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
