"""What every handler shares: acknowledgements in a unit of work, callers' identities."""

import contextlib
import functools
import logging

from flask import current_app, request, session
from flask_login import current_user

from .. import event_limits, runtime, unit_of_work
from ..domain.errors import RuleError
from ..extensions import db
from ..i18n import error_payload
from ..services import participants

log = logging.getLogger(__name__)


def acknowledged(handler=None, *, shed=False, grouped=False):
    """Run a handler in a unit of work; its return value, once committed, becomes the ack
    (`{"ok": true, ...}`), then the events it recorded are broadcast (broadcast.py).
    RuleErrors become error acks, and nothing is stored or broadcast.

    `shed` (participants' writes): while this process lags more than OVERLOAD_LAG (its
    event loop, or its oldest write in progress), and has for OVERLOAD_WINDOW seconds lately
    (pressure.py), answer `busy` before any work, even spending a token of the event limit;
    the client sends it again later. `grouped` (votes): the handler reads what it
    needs of the connection and returns a job, which runs in a transaction shared with
    the jobs queued meanwhile (group_commit.py).
    """
    if handler is None:
        return functools.partial(acknowledged, shed=shed, grouped=grouped)

    @functools.wraps(handler)
    def wrapper(self, data=None, *_extra):
        try:
            with _shedding() if shed else contextlib.nullcontext():
                spend_token()
                if grouped:
                    body = unit_of_work.run(handler(self, data), grouped=True)
                else:
                    body = unit_of_work.run(lambda: handler(self, data))
            return {"ok": True, **body}
        except RuleError as error:
            db.session.rollback()
            return error_payload(error)
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            db.session.rollback()
            return error_payload(RuleError("server_error"))

    return wrapper


@contextlib.contextmanager
def _shedding():
    """`busy` while overloaded; else track the write while it runs (pressure.py)."""
    pressure = runtime.current().pressure
    config = current_app.config
    if pressure.overloaded(config["OVERLOAD_LAG"], config["OVERLOAD_WINDOW"]):
        raise RuleError("busy")
    with pressure.writes.track():
        yield


def spend_token():
    """The event limit (event_limits.py): one token per event from the participant's
    bucket, shared by all its connections and every process (a facilitator's or a room
    screen's connection has its own). An empty bucket answers `rate_limited`, nothing done."""
    participant_id = session.get("live_participant")
    key = f"p{participant_id}" if participant_id else f"c{request.sid}"
    config = current_app.config
    limits = event_limits.of(current_app)
    if not limits.spend(key, config["SOCKET_EVENTS_PER_SECOND"], config["SOCKET_EVENT_BURST"]):
        raise RuleError("rate_limited")


def payload(data):
    if not isinstance(data, dict):
        raise RuleError("bad_request")
    return data


def current_participant_ids():
    """(participant id, session id) this connection joined as, read from its session
    without a query, or RuleError('unauthorized'). The vote path checks them in its own
    lock statement; everything else calls current_participant."""
    participant_id, session_id = session.get("live_participant"), session.get("live_session")
    if not participant_id or session_id is None:
        raise RuleError("unauthorized")
    return participant_id, session_id


def current_participant():
    """The participant this connection joined as, or RuleError('unauthorized')."""
    participant_id, session_id = current_participant_ids()
    participant = participants.participant_in(session_id, participant_id)
    if participant is None:
        raise RuleError("unauthorized")
    return participant


def current_facilitator():
    if session.get("live_participant") or not current_user.is_authenticated:
        raise RuleError("unauthorized")
    return current_user
