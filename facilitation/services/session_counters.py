"""A session's counters for its facilitators: joined, initiatives, barriers, enablers,
who has voted and who has not, and who picked SDGs.

Read by live_counters.py when it sends `session:counters` (coalesced) and when a console
watches a workshop. Counts only, a few grouped statements per workshop whatever its size:
initiatives and voters come from the running counts, the rest from indexed COUNTs. Who is
connected now is not stored here: presence.py knows it, live_counters.py adds it.
"""

from sqlalchemy import distinct, func, select

from ..domain.items import ItemKind
from ..extensions import db
from ..models import InitiativeCount, Item, Participant, SdgPick
from . import dot_counts
from .initiative_counts import AXIS_ONLY

FIELDS = ("joined", "initiatives", "barriers", "enablers", "voted", "not_voted", "picked")


def _per_session(statement):
    return dict(db.session.execute(statement).all())


def counts(session_ids):
    """{session id: {field: count}} for FIELDS. Hidden barriers and enablers are left out,
    as are withdrawn initiatives (the running counts hold live ones only)."""
    session_ids = list(session_ids)
    if not session_ids:
        return {}
    joined = _per_session(
        select(Participant.session_id, func.count())
        .where(Participant.session_id.in_(session_ids))
        .group_by(Participant.session_id)
    )
    initiatives = _per_session(
        select(InitiativeCount.session_id, func.sum(InitiativeCount.count))
        .where(InitiativeCount.session_id.in_(session_ids), InitiativeCount.sdg == AXIS_ONLY)
        .group_by(InitiativeCount.session_id)
    )
    kinds = {}
    for session_id, kind, n in db.session.execute(
        select(Item.session_id, Item.kind, func.count())
        .where(Item.session_id.in_(session_ids), Item.hidden.is_(False))
        .group_by(Item.session_id, Item.kind)
    ):
        kinds[(session_id, ItemKind(kind))] = n
    voted = dot_counts.voters(session_ids)
    picked = _per_session(
        select(SdgPick.session_id, func.count(distinct(SdgPick.participant_id)))
        .where(SdgPick.session_id.in_(session_ids))
        .group_by(SdgPick.session_id)
    )
    return {
        sid: {
            "joined": joined.get(sid, 0),
            "initiatives": int(initiatives.get(sid) or 0),
            "barriers": kinds.get((sid, ItemKind.BARRIER), 0),
            "enablers": kinds.get((sid, ItemKind.ENABLER), 0),
            "voted": voted.get(sid, 0),
            "not_voted": joined.get(sid, 0) - voted.get(sid, 0),
            "picked": picked.get(sid, 0),
        }
        for sid in session_ids
    }
