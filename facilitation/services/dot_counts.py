"""Running sums of the vote ledger: dots per item (`item_dots`) and per participant
(`participant_dots`).

`voting.cast` and the refund of a hidden item (`items`) call `add` in the transaction that
writes the votes; the import and bulk loaders call `rebuild`; `results` reads them, so
results cost the same after 100 votes or 100,000. Each change is one upsert per row.
"""

from sqlalchemy import func, select

from ..extensions import db
from ..models import ItemDots, ParticipantDots, Vote
from . import counters


def add(session_id, item_id, participant_id, delta):
    """Count `delta` dots (1, -1, or minus a refund) of a participant on an item."""
    counters.add(ItemDots, "dots", {"item_id": item_id, "session_id": session_id, "dots": delta})
    counters.add(
        ParticipantDots,
        "dots",
        {"participant_id": participant_id, "session_id": session_id, "dots": delta},
    )


def item_dots(session_ids):
    """{(session_id, item_id): dots} for the items holding any."""
    return {
        (s, i): n
        for s, i, n in db.session.execute(
            select(ItemDots.session_id, ItemDots.item_id, ItemDots.dots).where(
                ItemDots.session_id.in_(session_ids), ItemDots.dots != 0
            )
        )
    }


def voters(session_ids):
    """{session_id: participants with at least one dot placed}."""
    return dict(
        db.session.execute(
            select(ParticipantDots.session_id, func.count())
            .where(ParticipantDots.session_id.in_(session_ids), ParticipantDots.dots > 0)
            .group_by(ParticipantDots.session_id)
        ).all()
    )


def rebuild(connection, session_ids):
    """Sum the sessions' votes again from the ledger (after a bulk load)."""
    mine = Vote.session_id.in_(session_ids)
    for model, key in ((ItemDots, Vote.item_id), (ParticipantDots, Vote.participant_id)):
        counters.replace(
            connection,
            model,
            session_ids,
            [key.key, "session_id", "dots"],
            select(key, Vote.session_id, func.sum(Vote.delta))
            .where(mine)
            .group_by(key, Vote.session_id),
        )
