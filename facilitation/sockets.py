"""The one Socket.IO namespace, `/live`: thin handlers that validate, call a service, emit.

Every client event is answered through its acknowledgement: `{"ok": true, ...}` once the
change is committed, or `{"error": {...}}` in the caller's language with nothing stored.
"""

import functools
import logging

from flask import session
from flask_login import current_user
from flask_socketio import Namespace, join_room

from . import live
from .domain.errors import RuleError
from .extensions import db, socketio
from .i18n import error_payload
from .models import Session
from .services import initiatives, participants, results, workshops

log = logging.getLogger(__name__)


def acknowledged(handler):
    """Turn a handler's return value into an ack, and RuleErrors into error acks."""

    @functools.wraps(handler)
    def wrapper(self, data=None):
        try:
            return {"ok": True, **handler(self, data)}
        except RuleError as error:
            db.session.rollback()
            return error_payload(error)
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            db.session.rollback()
            return error_payload(RuleError("server_error"))

    return wrapper


def _payload(data):
    if not isinstance(data, dict):
        raise RuleError("bad_request")
    return data


def _participant():
    """The participant this connection joined as, or RuleError('unauthorized')."""
    participant = participants.participant_in(
        session.get("live_session"), session.get("live_participant")
    )
    if participant is None:
        raise RuleError("unauthorized")
    return participant


def _facilitator():
    if not current_user.is_authenticated:
        raise RuleError("unauthorized")
    return current_user


class LiveNamespace(Namespace):
    def trigger_event(self, event, *args):
        """Route `noun:verb` events to `on_noun_verb` methods."""
        return super().trigger_event(event.replace(":", "_"), *args)

    def on_connect(self, auth=None):
        """Participants connect with `{"session_id": N}` and join that session's room;
        signed-in facilitators connect without auth and then watch a workshop."""
        session_id = auth.get("session_id") if isinstance(auth, dict) else None
        if session_id is not None:
            joined = session.get("participants", {}).get(str(session_id))
            participant = participants.participant_in(session_id, joined)
            if participant is None:
                raise ConnectionRefusedError("unauthorized")
            session["live_session"] = participant.session_id
            session["live_participant"] = participant.id
            join_room(live.session_room(participant.session_id))
        elif not current_user.is_authenticated:
            raise ConnectionRefusedError("unauthorized")

    @acknowledged
    def on_session_snapshot(self, data):
        """Any client asks for a session's board; `since_seq` equal to the current one
        answers `unchanged`. Facilitators name the `session_id`."""
        data = _payload(data)
        if session.get("live_participant"):
            session_id = _participant().session_id
        else:
            session_id = workshops.session_for(_facilitator(), data.get("session_id")).id
        if data.get("since_seq") is not None:
            seq = db.session.execute(db.select(Session.seq).where(Session.id == session_id))
            seq = seq.scalar_one()
            if data["since_seq"] == seq:
                return {"session_id": session_id, "seq": seq, "unchanged": True}
        return initiatives.board(session_id)

    @acknowledged
    def on_initiative_post(self, data):
        """A participant posts; broadcasts `initiative:upserted` to the session."""
        participant = _participant()
        item, seq, created = initiatives.post(participant, _payload(data))
        if created:
            self._changed("initiative:upserted", item, seq, {"initiative": item})
        return {"initiative": item, "seq": seq, "created": created}

    @acknowledged
    def on_initiative_edit(self, data):
        """A participant edits their own; broadcasts `initiative:upserted`."""
        item, seq = initiatives.edit(_participant(), _payload(data))
        self._changed("initiative:upserted", item, seq, {"initiative": item})
        return {"initiative": item, "seq": seq}

    @acknowledged
    def on_initiative_withdraw(self, data):
        """A participant withdraws their own; broadcasts `initiative:withdrawn`."""
        item, seq = initiatives.withdraw(_participant(), _payload(data))
        self._changed("initiative:withdrawn", item, seq, {"id": item["id"]})
        return {"id": item["id"], "seq": seq}

    @acknowledged
    def on_workshop_watch(self, data):
        """A facilitator opens a dashboard: joins the workshop's and its sessions' rooms."""
        workshop = workshops.workshop_for(_facilitator(), _payload(data).get("workshop_id"))
        join_room(live.workshop_room(workshop.id))
        for s in workshop.sessions:
            join_room(live.session_room(s.id))
        return {
            "results": results.workshop_results(workshop.id),
            "boards": [initiatives.board(s.id) for s in workshop.sessions],
        }

    @acknowledged
    def on_session_set_phase(self, data):
        """A facilitator moves a session to a phase; broadcasts `session:phase`."""
        data = _payload(data)
        target = workshops.session_for(_facilitator(), data.get("session_id"))
        change = workshops.set_phase(target, data.get("phase"))
        live.to_session("session:phase", target.id, change)
        return change

    def _changed(self, event, item, seq, body):
        session_id = item["session_id"]
        live.to_session(event, session_id, {"session_id": session_id, "seq": seq, **body})
        workshop_id = db.session.get(Session, session_id).workshop_id
        live.results_changed(workshop_id)


socketio.on_namespace(LiveNamespace(live.NAMESPACE))
