"""Workshops and their parallel sessions, seen only by the workshop's facilitators."""

from sqlalchemy.exc import IntegrityError

from ..domain.errors import RuleError
from ..domain.join_codes import new_join_code
from ..extensions import db
from ..models import Session, Workshop, utcnow
from ..schemas import (
    DisplaySettings,
    ProjectorDisplay,
    check,
    is_id,
    phase_change,
    validate_session,
    validate_workshop,
)
from . import sequence
from .events import PhaseChanged, ProjectorChanged, SettingsChanged, record


def workshops_for(facilitator):
    return (
        Workshop.query.filter(Workshop.facilitators.contains(facilitator))
        .order_by(Workshop.date.desc(), Workshop.id.desc())
        .all()
    )


def workshop_for(facilitator, workshop_id):
    """The workshop if `facilitator` runs it, else RuleError('not_found')."""
    workshop = db.session.get(Workshop, workshop_id) if is_id(workshop_id) else None
    if workshop is None or facilitator not in workshop.facilitators:
        raise RuleError("not_found")
    return workshop


def session_for(facilitator, session_id):
    """The session if `facilitator` runs its workshop, else RuleError('not_found')."""
    session = db.session.get(Session, session_id) if is_id(session_id) else None
    if session is None or facilitator not in session.workshop.facilitators:
        raise RuleError("not_found")
    return session


def create_workshop(facilitator, payload):
    draft = validate_workshop(payload)
    workshop = Workshop(title=draft.title, date=draft.date, description=draft.description)
    workshop.facilitators.append(facilitator)
    db.session.add(workshop)
    db.session.flush()
    return workshop


def add_session(workshop, payload, languages):
    """Add a parallel session with a fresh join code (retried on the rare clash)."""
    draft = validate_session(payload, languages)
    for _ in range(10):
        session = Session(
            workshop_id=workshop.id,
            name=draft.name,
            language=draft.language,
            join_code=new_join_code(),
        )
        try:
            with db.session.begin_nested():  # a clash undoes this session alone
                db.session.add(session)
        except IntegrityError:
            continue
        session.workshop = workshop
        return session
    raise RuleError("unavailable")


def iso(moment):
    return moment.isoformat() + "Z" if moment else None


def phase_data(session):
    """What every screen of a session needs to show its phase and countdown."""
    return {
        "session_id": session.id,
        "phase": session.phase,
        "started_at": iso(session.phase_started_at),
        "ends_at": iso(session.phase_ends_at),
        "server_now": iso(utcnow()),
        "seq": session.seq,
    }


def set_phase(session, phase_value, minutes=None):
    """Move a session to a phase, with an optional countdown kept by the server; returns
    and records the change (`phase_data`)."""
    now = utcnow()
    phase, ends_at = phase_change(phase_value, minutes, now)
    session.phase = phase.value
    session.phase_started_at = now
    session.phase_ends_at = ends_at
    seq = sequence.bump(session.id)
    change = {**phase_data(session), "seq": seq}
    record(PhaseChanged(session.workshop_id, session.id, change))
    return change


def settings_data(workshop):
    return {
        "anonymity": workshop.anonymity,
        "budget": {
            "dots": workshop.dots,
            "per_item": workshop.dots_per_item,
            "separate": workshop.separate_budgets,
        },
        "sdg_limit": workshop.sdg_limit,
        "results_to_participants": workshop.results_to_participants,
        "authors_translate": workshop.authors_translate,
    }


def set_display(workshop, payload):
    """Anonymity and whether participants see live results. Bumps every session's seq."""
    unchanged = {
        "anonymity": workshop.anonymity,
        "results_to_participants": workshop.results_to_participants,
    }
    display = check(DisplaySettings, {**unchanged, **payload}, first_only=True)
    workshop.anonymity = display.anonymity
    workshop.results_to_participants = display.results_to_participants
    seqs = tuple((s.id, sequence.bump(s.id)) for s in workshop.sessions)
    record(SettingsChanged(workshop.id, seqs))


def projector_data(workshop):
    """What the room screens show of the results and how the whole-workshop screen is
    laid out: `results_shown` (rankings and heatmaps, else hidden until the reveal) and
    `layout` ("combined" or "side_by_side")."""
    return {"results_shown": workshop.projector_results, "layout": workshop.projector_layout}


def set_projector(workshop, payload):
    """Hide or reveal results on the room screens, choose their layout; records
    ProjectorChanged (`projector:display` to the projectors and facilitators)."""
    display = check(ProjectorDisplay, payload)
    workshop.projector_results = display.results_shown
    workshop.projector_layout = display.layout
    data = projector_data(workshop)
    record(ProjectorChanged(workshop.id, data))
    return data
