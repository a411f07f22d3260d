"""Joining a session by its code: no account, a display name, organisation and country."""

from ..domain.errors import RuleError
from ..domain.join_codes import normalise_join_code
from ..domain.phases import Phase
from ..extensions import db
from ..models import Participant, Session
from ..schemas import validate_participant
from .events import ParticipantJoined, record


def session_by_code(raw_code):
    """The open session with this join code, or RuleError('unknown_code' / 'session_closed')."""
    code = normalise_join_code(raw_code)
    session = Session.query.filter_by(join_code=code).first() if code else None
    if session is None:
        raise RuleError("unknown_code")
    if session.phase == Phase.CLOSED.value:
        raise RuleError("session_closed")
    return session


def join(raw_code, payload):
    """A new participant of the open session `raw_code` names; records ParticipantJoined."""
    return add(session_by_code(raw_code), payload)


def add(session, payload, entered_by_id=None):
    """A new participant of `session` from the join form's fields and checks, entered by the
    facilitator `entered_by_id` for someone without a device; records ParticipantJoined."""
    draft = validate_participant(payload)
    participant = Participant(
        session_id=session.id,
        display_name=draft.display_name,
        organisation=draft.organisation,
        country=draft.country,
        entered_by_id=entered_by_id,
    )
    db.session.add(participant)
    db.session.flush()
    record(ParticipantJoined(session.workshop_id, session.id, participant.id))
    return participant


NAMES_SHOWN = 100  # the newest names a room screen receives in a snapshot


def joined(session_id, names):
    """How many joined a session and, with `names`, the newest names (oldest first)."""
    count = Participant.query.filter_by(session_id=session_id).count()
    if not names:
        return {"count": count, "names": None}
    newest = (
        Participant.query.filter_by(session_id=session_id)
        .order_by(Participant.id.desc())
        .limit(NAMES_SHOWN)
    )
    return {"count": count, "names": [p.display_name for p in reversed(newest.all())]}


def in_ids(participant_ids):
    if not participant_ids:
        return []
    return Participant.query.filter(Participant.id.in_(participant_ids)).all()


def workshop_id_of(participant):
    """The id of the workshop a participant's session belongs to (one small query)."""
    return db.session.execute(
        db.select(Session.workshop_id).where(Session.id == participant.session_id)
    ).scalar_one()


def participant_in(session_id, participant_id):
    """The participant if they joined `session_id`, else None."""
    participant = db.session.get(Participant, participant_id) if participant_id else None
    if participant is None or participant.session_id != session_id:
        return None
    return participant
