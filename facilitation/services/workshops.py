"""Workshops and their parallel sessions, seen only by the workshop's facilitators."""

from sqlalchemy.exc import IntegrityError

from ..domain.errors import RuleError
from ..domain.join_codes import new_join_code
from ..domain.phases import Phase
from ..domain.workshops import validate_session, validate_workshop
from ..extensions import db
from ..models import Session, Workshop


def workshops_for(facilitator):
    return (
        Workshop.query.filter(Workshop.facilitators.contains(facilitator))
        .order_by(Workshop.date.desc(), Workshop.id.desc())
        .all()
    )


def workshop_for(facilitator, workshop_id):
    """The workshop if `facilitator` runs it, else RuleError('not_found')."""
    workshop = db.session.get(Workshop, workshop_id) if isinstance(workshop_id, int) else None
    if workshop is None or facilitator not in workshop.facilitators:
        raise RuleError("not_found")
    return workshop


def session_for(facilitator, session_id):
    """The session if `facilitator` runs its workshop, else RuleError('not_found')."""
    session = db.session.get(Session, session_id) if isinstance(session_id, int) else None
    if session is None or facilitator not in session.workshop.facilitators:
        raise RuleError("not_found")
    return session


def create_workshop(facilitator, payload):
    draft = validate_workshop(payload)
    workshop = Workshop(title=draft.title, date=draft.date, description=draft.description)
    workshop.facilitators.append(facilitator)
    db.session.add(workshop)
    db.session.commit()
    return workshop


def add_session(workshop, payload, languages):
    """Add a parallel session with a fresh join code (retried on the rare clash)."""
    draft = validate_session(payload, languages)
    for _ in range(10):
        session = Session(
            workshop=workshop, name=draft.name, language=draft.language, join_code=new_join_code()
        )
        db.session.add(session)
        try:
            db.session.commit()
            return session
        except IntegrityError:
            db.session.rollback()
    raise RuleError("unavailable")


def set_phase(session, phase_value):
    """Move a session to another phase; returns (phase, seq) for the broadcast."""
    phase = Phase.parse(phase_value)
    if phase is None:
        raise RuleError("invalid", {"phase": "unknown"})
    session.phase = phase.value
    session.seq = Session.seq + 1
    db.session.commit()
    db.session.refresh(session)
    return {"session_id": session.id, "phase": session.phase, "seq": session.seq}
