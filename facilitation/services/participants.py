"""Joining a session by its code: no account, a display name, organisation and country."""

from ..domain.errors import RuleError
from ..domain.join_codes import normalise_join_code
from ..domain.phases import Phase
from ..extensions import db
from ..models import Participant, Session
from ..schemas import validate_participant


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
    session = session_by_code(raw_code)
    draft = validate_participant(payload)
    participant = Participant(
        session_id=session.id,
        display_name=draft.display_name,
        organisation=draft.organisation,
        country=draft.country,
    )
    db.session.add(participant)
    db.session.flush()
    return participant


def in_ids(participant_ids):
    if not participant_ids:
        return []
    return Participant.query.filter(Participant.id.in_(participant_ids)).all()


def participant_in(session_id, participant_id):
    """The participant if they joined `session_id`, else None."""
    participant = db.session.get(Participant, participant_id) if participant_id else None
    if participant is None or participant.session_id != session_id:
        return None
    return participant
