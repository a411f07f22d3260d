"""Workshops and their parallel sessions, seen only by the workshop's facilitators."""

from sqlalchemy.exc import IntegrityError

from ..domain.errors import RuleError
from ..domain.join_codes import new_join_code
from ..domain.phases import countdown_of
from ..extensions import db
from ..models import Session, Workshop, utcnow
from ..schemas import (
    AutoClose,
    CountdownAction,
    DisplaySettings,
    ProjectorDisplay,
    check,
    is_id,
    validate_phase_change,
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
    """What every screen of a session needs to show its phase and countdown: `ends_at`
    of a running countdown, `paused_seconds` left of a paused one, `auto_close` (the phase
    refuses its writes at zero), and the server's clock `server_now` to count from."""
    return {
        "session_id": session.id,
        "phase": session.phase,
        "started_at": iso(session.phase_started_at),
        "ends_at": iso(session.phase_ends_at),
        "paused_seconds": session.phase_paused_seconds,
        "auto_close": bool(session.phase_auto_close),
        "server_now": iso(utcnow()),
        "seq": session.seq,
    }


def _record_phase(session):
    seq = sequence.bump(session.id)
    change = {**phase_data(session), "seq": seq}
    record(PhaseChanged(session.workshop_id, session.id, change))
    return change


def set_phase(session, phase_value, minutes=None, auto_close=None):
    """Move a session to a phase, with an optional countdown kept by the server (and, when
    `auto_close` is a bool, whether it closes the phase at zero; else that stays); returns
    and records the change (`phase_data`, broadcast as `session:phase`)."""
    now = utcnow()
    change = {"phase": phase_value, "minutes": minutes, "auto_close": auto_close}
    phase, ends_at, auto_close = validate_phase_change(change, now)
    if auto_close is not None:
        session.phase_auto_close = auto_close
    session.phase = phase.value
    session.phase_started_at = now
    session.phase_ends_at = ends_at
    session.phase_paused_seconds = None
    return _record_phase(session)


def _apply_countdown(session, countdown):
    session.phase_ends_at = countdown.ends_at
    session.phase_paused_seconds = countdown.paused_seconds
    session.phase_auto_close = countdown.auto_close


def change_countdown(session, payload):
    """`session:countdown`: pause, resume or add a minute to the phase's countdown; returns
    and records the change (`session:phase`)."""
    action = check(CountdownAction, payload).action
    now = utcnow()
    countdown = countdown_of(session)
    changed = {
        "pause": countdown.pause,
        "resume": countdown.resume,
        "add_minute": countdown.add_minute,
    }[action](now)
    _apply_countdown(session, changed)
    return _record_phase(session)


def set_auto_close(session, payload):
    """`session:set_auto_close`: whether the phase refuses its writes once its countdown
    reaches zero; returns and records the change (`session:phase`)."""
    session.phase_auto_close = check(AutoClose, payload).auto_close
    return _record_phase(session)


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
    """Anonymity, whether participants see live results, and whether authors may
    translate their own texts. Bumps every session's seq."""
    unchanged = {
        "anonymity": workshop.anonymity,
        "results_to_participants": workshop.results_to_participants,
        "authors_translate": workshop.authors_translate,
    }
    display = check(DisplaySettings, {**unchanged, **payload}, first_only=True)
    workshop.anonymity = display.anonymity
    workshop.results_to_participants = display.results_to_participants
    workshop.authors_translate = display.authors_translate
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
