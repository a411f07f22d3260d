"""Facilitators moderate initiatives: hide one (and show it again) and correct its wording,
the author's own wording kept in `original_title` / `original_description`.

Called by the facilitators' socket events (`initiative:set_hidden`, `initiative:correct`).
Each change bumps the session's seq and records InitiativeUpserted: broadcast.py sends the
facilitators the initiative (hidden and original fields included) and takes a hidden one
off the participants' boards and room screens. Barriers and enablers: services/items.py.
"""

from ..domain.errors import RuleError
from ..extensions import db
from ..models import Initiative, Session, utcnow
from ..schemas import InitiativeCorrection, check, is_id
from . import initiative_counts, sequence
from .events import InitiativeUpserted, record


def initiative_in(workshop_ids, initiative_id):
    """The live initiative if it belongs to a session of `workshop_ids`, else
    RuleError('not_found') (withdrawn ones are gone from every board: nothing to moderate).
    Its author is locked first, so that their own edit or withdrawal waits for the change."""
    initiative = db.session.get(Initiative, initiative_id) if is_id(initiative_id) else None
    session = db.session.get(Session, initiative.session_id) if initiative else None
    if session is None or session.workshop_id not in workshop_ids:
        raise RuleError("not_found")
    sequence.lock_participant(initiative.participant_id)
    db.session.refresh(initiative)
    if initiative.withdrawn_at is not None:
        raise RuleError("not_found")
    return initiative


def _changed(initiative):
    session = db.session.get(Session, initiative.session_id)
    seq = sequence.bump(session.id)
    record(InitiativeUpserted(session.workshop_id, session.id, seq, initiative.id))


def set_hidden(initiative, hidden):
    """Hide an initiative from participants, room screens and results (kept, marked hidden
    for facilitators and its author), or show it again. The running counts follow; hiding
    a hidden one (or showing a shown one) changes nothing. Returns the initiative."""
    hidden = bool(hidden)
    if initiative.hidden == hidden:
        return initiative
    initiative.hidden = hidden
    step = -1 if hidden else 1
    initiative_counts.add(initiative.session_id, initiative.axis, initiative.sdgs, step)
    _changed(initiative)
    return initiative


def correct(initiative, payload):
    """Correct an initiative's `title` and/or `description`; the author's wording is kept
    on the first correction (later ones keep that first original). Returns the initiative."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    wording = {"title": initiative.title, "description": initiative.description}
    fixed = check(InitiativeCorrection, {**wording, **payload})
    if (fixed.title, fixed.description) == (initiative.title, initiative.description):
        return initiative
    if initiative.corrected_at is None:
        initiative.original_title = initiative.title
        initiative.original_description = initiative.description
    initiative.title, initiative.description = fixed.title, fixed.description
    initiative.corrected_at = utcnow()
    _changed(initiative)
    return initiative
