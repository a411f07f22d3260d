"""The one Socket.IO namespace, `/live`: thin handlers that read the caller, call a service.

Every client event is answered through its acknowledgement: `{"ok": true, ...}` once the
change is committed, or `{"error": {...}}` in the caller's language with nothing stored.
"""

from flask import current_app, request, session
from flask_login import current_user
from flask_socketio import ConnectionRefusedError, Namespace, join_room

from .. import live, live_counters, runtime
from ..domain.errors import RuleError
from ..extensions import socketio
from ..schemas import SnapshotRequest, check, is_id
from ..security import account_room
from ..services import participants, snapshots, workshops
from . import guard
from .common import acknowledged, current_facilitator, current_participant, payload
from .facilitator import FacilitatorEvents
from .merging import MergingEvents
from .participant import ParticipantEvents
from .proxy import ProxyEvents
from .translation import TranslationEvents


def _is_handshake(args):
    """A real connection carries its WSGI environ; a client *event* named "connect" not."""
    return len(args) >= 2 and isinstance(args[1], dict) and "REQUEST_METHOD" in args[1]


class LiveNamespace(
    ParticipantEvents, FacilitatorEvents, ProxyEvents, MergingEvents, TranslationEvents, Namespace
):
    def trigger_event(self, event, *args):
        """Route `noun:verb` events to `on_noun_verb` methods; unknown ones get an error."""
        if event == "disconnect":
            return self.socketio._handle_event(self.disconnected, event, self.namespace, *args)
        if event == "connect" and _is_handshake(args):
            return super().trigger_event(event, *args)
        if event == guard.MALFORMED:  # no client-chosen name reaches this handler
            return self.socketio._handle_event(self.malformed, event, self.namespace, *args)
        name = event.replace(":", "_") if isinstance(event, str) else ""
        if name not in ("connect", "disconnect") and hasattr(self, f"on_{name}"):
            return super().trigger_event(name, *args)
        return super().trigger_event("unknown_event", *args)

    @acknowledged
    def malformed(self, data=None):
        """A payload too deep, or with text no database stores (sockets/guard.py)."""
        raise RuleError("bad_request")

    @acknowledged
    def on_unknown_event(self, data=None):
        """Any event this namespace does not define: an error ack, nothing else."""
        raise RuleError("unknown_event")

    def on_connect(self, auth=None):
        """Participants connect with `{"session_id": N}` and join their session's, their
        own and their workshop's board room, and count as connected (presence.py:
        `session:counters` to the facilitators); signed-in facilitators connect without
        auth, then watch."""
        runtime.current().pressure.watch(current_app.config["OVERLOAD_LAG"])  # once
        session_id = auth.get("session_id") if isinstance(auth, dict) else None
        if session_id is not None:
            joined = session.get("participants", {}).get(str(session_id))
            participant = participants.participant_in(session_id, joined)
            if participant is None:
                raise ConnectionRefusedError("unauthorized")
            session["live_session"] = participant.session_id
            session["live_participant"] = participant.id
            join_room(live.session_room(participant.session_id))
            join_room(live.participant_room(participant.id))
            join_room(live.workshop_board_room(participants.workshop_id_of(participant)))
            if runtime.current().presence.arrive(participant.session_id, participant.id):
                live_counters.sessions_changed([participant.session_id])
        elif not current_user.is_authenticated:
            raise ConnectionRefusedError("unauthorized")
        else:
            join_room(account_room(current_user.id))  # closed when the account signs out

    def disconnected(self, *_reason):
        """A participant's connection closed: one fewer connected, if it was their last.
        A client *event* named "disconnect" (the connection still open) changes nothing.
        (Not `on_disconnect`: every `on_` method is a client event.)"""
        if self.socketio.server.manager.is_connected(request.sid, self.namespace):
            return
        participant_id = session.get("live_participant")
        session_id = session.get("live_session")
        if not participant_id or session_id is None:
            return
        if runtime.current().presence.leave(session_id, participant_id):
            live_counters.sessions_changed([session_id])

    @acknowledged
    def on_session_snapshot(self, data):
        """A (re)connecting client asks for a session's state; `since_seq` equal to the
        current seq answers `unchanged`. Facilitators name the `session_id`."""
        data = payload(data)
        since_seq = check(SnapshotRequest, data).since_seq
        if session.get("live_participant"):
            participant = current_participant()
            target = participant.session_id
        else:
            found = workshops.session_for(current_facilitator(), data.get("session_id"))
            target, participant = found.id, None
        if participant is not None:
            # dots, picks and results change without a seq bump: always the full state
            return snapshots.participant_snapshot(participant)
        seq = snapshots.current_seq(target)
        if since_seq == seq:
            return {"session_id": target, "seq": seq, "unchanged": True}
        if session.get("live_view") == "projector":
            return snapshots.projector_snapshot(found)
        return snapshots.facilitator_snapshot(found)

    @acknowledged
    def on_initiative_page(self, data):
        """A board asks for the next older page of a session's initiatives, below
        `before_id` (a snapshot's `initiatives_older`). Read only: nothing is broadcast.
        Facilitators name the `session_id`; participants page their own session only."""
        data = payload(data)
        if session.get("live_participant"):
            target = current_participant().session_id
            named = data.get("session_id")
            if named is not None and not (is_id(named) and named == target):
                raise RuleError("not_found")
        else:
            target = workshops.session_for(current_facilitator(), data.get("session_id")).id
        facilitator = (
            not session.get("live_participant") and session.get("live_view") != "projector"
        )
        return snapshots.older_initiatives(target, data.get("before_id"), facilitator)


socketio.on_namespace(LiveNamespace(live.NAMESPACE))
