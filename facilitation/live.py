"""Room names and broadcasts to them; result broadcasts are coalesced per workshop."""

import threading

from flask import current_app

from .extensions import socketio
from .services import results

NAMESPACE = "/live"
_pending = set()
_lock = threading.Lock()


def session_room(session_id):
    return f"session:{session_id}"


def workshop_room(workshop_id):
    return f"workshop:{workshop_id}"


def to_session(event, session_id, data):
    """Send a delta to everyone in a session: its participants and watching facilitators."""
    socketio.emit(event, data, to=session_room(session_id), namespace=NAMESPACE)


def results_changed(workshop_id):
    """Schedule one `workshop:results` broadcast; calls within the interval share it.

    However fast posts arrive, a workshop room gets at most one result broadcast per
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
    socketio.emit("workshop:results", data, to=workshop_room(workshop_id), namespace=NAMESPACE)
