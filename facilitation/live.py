"""Rooms by audience and the broadcasts to them; result broadcasts are coalesced.

- `session:<id>`: the participants of a session;
- `participant:<id>`: every connection of one participant (their own dots and picks);
- `workshop:<id>`: the facilitators' dashboards and projectors of a workshop.
"""

import threading

from flask import current_app

from .extensions import db, socketio
from .models import Workshop
from .services import results

NAMESPACE = "/live"
_pending = set()
_lock = threading.Lock()


def session_room(session_id):
    return f"session:{session_id}"


def participant_room(participant_id):
    return f"participant:{participant_id}"


def workshop_room(workshop_id):
    return f"workshop:{workshop_id}"


def to_participants(session_id, event, data):
    socketio.emit(event, data, to=session_room(session_id), namespace=NAMESPACE)


def to_participant(participant_id, event, data):
    socketio.emit(event, data, to=participant_room(participant_id), namespace=NAMESPACE)


def to_facilitators(workshop_id, event, data):
    socketio.emit(event, data, to=workshop_room(workshop_id), namespace=NAMESPACE)


def results_changed(workshop_id):
    """Schedule one results broadcast for a workshop; calls within the interval share it.

    However fast posts and votes arrive, each room gets at most one result broadcast per
    RESULTS_INTERVAL seconds, computed from the database when it is sent.
    """
    with _lock:
        if workshop_id in _pending:
            return
        _pending.add(workshop_id)
    app = current_app._get_current_object()
    socketio.start_background_task(_send_results, app, workshop_id)


def _send_results(app, workshop_id):
    socketio.sleep(app.config["RESULTS_INTERVAL"])
    with _lock:
        _pending.discard(workshop_id)
    with app.app_context():
        data = results.workshop_results(workshop_id)
        workshop = db.session.get(Workshop, workshop_id)
        public = workshop.results_to_participants
        session_ids = [s.id for s in workshop.sessions]
    to_facilitators(workshop_id, "workshop:results", data)
    if public:
        for session_id in session_ids:
            to_participants(
                session_id, "session:results", results.session_results(data, session_id)
            )
