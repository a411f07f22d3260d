"""What every handler shares: acknowledgements, callers' identities, audience views."""

import functools
import logging
import time

from flask import current_app, session
from flask_login import current_user

from .. import pressure
from ..domain.anonymity import Anonymity
from ..domain.errors import RuleError
from ..extensions import db
from ..i18n import error_payload
from ..services import participants

log = logging.getLogger(__name__)


def acknowledged(handler):
    """Turn a handler's return value into an ack, and RuleErrors into error acks."""

    @functools.wraps(handler)
    def wrapper(self, data=None, *_extra):
        try:
            spend_token()
            return {"ok": True, **handler(self, data)}
        except RuleError as error:
            db.session.rollback()
            return error_payload(error)
        except Exception:
            log.exception("socket handler %s failed", handler.__name__)
            db.session.rollback()
            return error_payload(RuleError("server_error"))

    return wrapper


def shed_when_busy(handler):
    """For participants' writes, under @acknowledged (so after the rate limit): while this
    process lags more than OVERLOAD_LAG (its event loop, or its oldest write in progress:
    see pressure.py), answer `busy` before any work; the client sends it again later."""

    @functools.wraps(handler)
    def wrapper(self, data=None, *_extra):
        if pressure.overloaded(current_app.config["OVERLOAD_LAG"]):
            raise RuleError("busy")
        with pressure.writes.track():
            return handler(self, data)

    return wrapper


def spend_token():
    """Per-connection rate limit: a token bucket kept in the connection's own session copy.

    Each event costs one token; tokens come back at SOCKET_EVENTS_PER_SECOND up to
    SOCKET_EVENT_BURST. An empty bucket answers `rate_limited` and does nothing.
    """
    rate = current_app.config["SOCKET_EVENTS_PER_SECOND"]
    burst = current_app.config["SOCKET_EVENT_BURST"]
    now = time.monotonic()
    tokens, since = session.get("bucket", (burst, now))
    tokens = min(burst, tokens + (now - since) * rate)
    if tokens < 1:
        session["bucket"] = (tokens, now)
        raise RuleError("rate_limited")
    session["bucket"] = (tokens - 1, now)


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


def without_author(data, workshop, facilitator):
    """A copy of an initiative's data fit for the audience under the anonymity setting."""
    if Anonymity(workshop.anonymity).names_for(facilitator):
        return data
    return {**data, "author": None, "participant_id": None}
