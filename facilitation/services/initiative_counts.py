"""Running counts of live initiatives per session, axis and SDG (`initiative_counts`).
Hidden initiatives are not counted.

`initiatives` calls `add` inside the transaction of every post, edit and withdrawal,
`moderation` when a facilitator hides an initiative or shows it again; the
import and bulk loaders call `rebuild`; `results` reads them with `tallies`. A count is
changed by one upsert per row, so concurrent posts never lose an update.
"""

from collections import defaultdict

from sqlalchemy import func, literal, select

from ..domain.tally import tally
from ..domain.taxonomy import taxonomy
from ..extensions import db
from ..models import Initiative, InitiativeCount, InitiativeSdg
from . import counters

AXIS_ONLY = 0  # the `sdg` of the row that counts an axis's initiatives


def add(session_id, axis, sdgs, step):
    """Count one initiative of `axis` naming `sdgs` in (`step` 1) or out (`step` -1)."""
    rows = [
        {"session_id": session_id, "axis": axis, "sdg": sdg, "count": step}
        for sdg in (AXIS_ONLY, *sdgs)
    ]
    counters.add(InitiativeCount, "count", rows)


def tallies(session_ids):
    """The initiative tally (domain.tally) of each session, from the counts."""
    axes, cells = defaultdict(list), defaultdict(list)
    for sid, axis, sdg, n in db.session.execute(
        select(
            InitiativeCount.session_id,
            InitiativeCount.axis,
            InitiativeCount.sdg,
            InitiativeCount.count,
        ).where(InitiativeCount.session_id.in_(session_ids), InitiativeCount.count != 0)
    ):
        if sdg == AXIS_ONLY:
            axes[sid].append((axis, n))
        else:
            cells[sid].append((axis, sdg, n))
    return {sid: tally(axes[sid], cells[sid]) for sid in session_ids}


def rebuild(connection, session_ids):
    """Count the sessions' live initiatives again from their rows (after a bulk load)."""
    live = (
        Initiative.session_id.in_(session_ids),
        Initiative.withdrawn_at.is_(None),
        Initiative.hidden.is_(False),
    )
    counters.replace(
        connection,
        InitiativeCount,
        session_ids,
        ["session_id", "axis", "sdg", "count"],
        select(Initiative.session_id, Initiative.axis, literal(AXIS_ONLY), func.count())
        .where(*live)
        .group_by(Initiative.session_id, Initiative.axis),
        select(Initiative.session_id, Initiative.axis, InitiativeSdg.sdg, func.count())
        .join(InitiativeSdg, InitiativeSdg.initiative_id == Initiative.id)
        .where(*live)
        .group_by(Initiative.session_id, Initiative.axis, InitiativeSdg.sdg),
    )


def axis_counts(session_id):
    """{axis: live initiatives} of one session, every axis present (no recount)."""
    counts = dict.fromkeys(taxonomy().axis_codes, 0)
    for axis, n in db.session.execute(
        select(InitiativeCount.axis, InitiativeCount.count).where(
            InitiativeCount.session_id == session_id, InitiativeCount.sdg == AXIS_ONLY
        )
    ):
        counts[axis] = n
    return counts
