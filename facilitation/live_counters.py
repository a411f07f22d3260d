"""`session:counters` to the facilitators' consoles: each session's counters (services/
session_counters.py) with who is connected now (presence.py), coalesced per workshop
(at most one message a second by default).

broadcast.publish calls `published` after the events that may move a counter (joins,
posts, withdrawals, items, votes, picks), the socket handlers `sessions_changed` after a
participant's connect and disconnect; a workshop's sessions are counted once per
four RESULTS_INTERVALs at most, when sent. `for_workshop` gives the same counters for the
`workshop:watch` answer.
"""

import logging

from flask import current_app

from . import live
from .extensions import db
from .models import Session
from .services import events, results, session_counters

log = logging.getLogger(__name__)

# the events after which no counter can differ; every other event schedules the counters of
# its workshop (joins, posts, withdrawals, items, votes, picks, and events added later)
LEAVE_COUNTERS = (events.PhaseChanged, events.SettingsChanged, events.ProjectorChanged)


def for_sessions(session_ids, presence):
    """{session id: the `session:counters` message}."""
    counted = session_counters.counts(session_ids)
    connected = presence.connected(session_ids)
    return {
        sid: {"session_id": sid, **counted[sid], "connected": connected.get(sid)}
        for sid in session_ids
    }


def for_workshop(workshop_id):
    """{"<session id>": counters} of a workshop's sessions, for `workshop:watch`."""
    presence = current_app.extensions["facilitation"].presence
    counted = for_sessions(results.session_ids_of(workshop_id), presence)
    return {str(sid): message for sid, message in counted.items()}


def changed(workshop_id):
    """Schedule one counters broadcast for a workshop (CounterBroadcasts.schedule)."""
    current_app.extensions["facilitation"].counters.schedule(workshop_id)


def published(recorded):
    """After a unit of work's events went out (broadcast.publish): schedule the counters
    of the workshops they touched."""
    touched = (e for e in recorded if not isinstance(e, LEAVE_COUNTERS))
    for workshop_id in dict.fromkeys(getattr(e, "workshop_id", None) for e in touched):
        if workshop_id is not None:
            changed(workshop_id)


def sessions_changed(session_ids):
    """Who is connected changed in these sessions (a participant's connect or disconnect,
    a process's connections expired: presence.py): schedule their workshops' counters.
    Needs an app context."""
    broadcasts = current_app.extensions["facilitation"].counters
    for workshop_id in dict.fromkeys(broadcasts.workshop_of(sid) for sid in session_ids):
        if workshop_id is not None:
            changed(workshop_id)


class CounterBroadcasts(live.Coalesced):
    """One process's counter broadcasts, coalesced like the results (live.ResultBroadcasts)
    but over four times their interval (a second by default): whatever the rate of joins and
    votes, a workshop's consoles get at most one message per session per interval, counted
    when sent (a few statements and Redis calls). Held by the runtime, drained on stop."""

    INTERVALS = 4
    NAME = "counters"

    def __init__(self, app, presence, shared=None):
        super().__init__(app, shared)
        self.presence = presence
        self.workshops = {}  # session id -> workshop id: a session never moves

    def workshop_of(self, session_id):
        """The session's workshop (None if there is no such session), read once: a burst
        of reconnections costs no query each."""
        if session_id not in self.workshops:
            found = db.session.execute(
                db.select(Session.workshop_id).where(Session.id == session_id)
            ).scalar()
            if found is None:
                return None
            if len(self.workshops) > 100_000:
                self.workshops.clear()
            self.workshops[session_id] = found
        return self.workshops[session_id]

    def broadcast(self, workshop_id):
        try:
            with self.app.app_context():
                counted = for_sessions(results.session_ids_of(workshop_id), self.presence)
            for message in counted.values():
                live.to_facilitators(workshop_id, "session:counters", message)
        except Exception:
            log.exception("counters of workshop %s not sent", workshop_id)
