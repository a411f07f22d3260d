"""Live results of a workshop: initiative tallies per session and combined."""

from collections import defaultdict

from sqlalchemy import func

from ..domain.tally import combine, tally
from ..extensions import db
from ..models import Initiative, InitiativeSdg, Session


def _session_tallies(session_ids):
    """One grouped query for axis counts and one for matrix cells, for all sessions."""
    live = (Initiative.session_id.in_(session_ids), Initiative.withdrawn_at.is_(None))
    axes, cells = defaultdict(list), defaultdict(list)
    for sid, axis, n in db.session.execute(
        db.select(Initiative.session_id, Initiative.axis, func.count())
        .where(*live)
        .group_by(Initiative.session_id, Initiative.axis)
    ):
        axes[sid].append((axis, n))
    for sid, axis, sdg, n in db.session.execute(
        db.select(Initiative.session_id, Initiative.axis, InitiativeSdg.sdg, func.count())
        .join(InitiativeSdg, InitiativeSdg.initiative_id == Initiative.id)
        .where(*live)
        .group_by(Initiative.session_id, Initiative.axis, InitiativeSdg.sdg)
    ):
        cells[sid].append((axis, sdg, n))
    return {sid: tally(axes[sid], cells[sid]) for sid in session_ids}


def workshop_results(workshop_id):
    """Tallies of every session of a workshop and their sum; keys are codes, never names."""
    session_ids = list(
        db.session.execute(
            db.select(Session.id).where(Session.workshop_id == workshop_id).order_by(Session.id)
        ).scalars()
    )
    per_session = _session_tallies(session_ids)
    return {
        "workshop_id": workshop_id,
        "combined": combine(per_session.values()),
        "sessions": {str(sid): t for sid, t in per_session.items()},
    }
