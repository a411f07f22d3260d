"""Per-session sequence numbers: every change a session's clients must see bumps one."""

from ..extensions import db
from ..models import Participant, Session


def bump(session_id):
    """The session's next sequence number, inside the caller's transaction."""
    db.session.execute(
        db.update(Session).where(Session.id == session_id).values(seq=Session.seq + 1)
    )
    return db.session.execute(db.select(Session.seq).where(Session.id == session_id)).scalar_one()


def current(session_id):
    return db.session.execute(db.select(Session.seq).where(Session.id == session_id)).scalar_one()


def lock_participant(participant_id):
    """Serialise one participant's votes, picks and edits across connections and processes.

    The UPDATE takes the participant's row lock (PostgreSQL) or the write lock (SQLite)
    before anything is read, so two simultaneous requests cannot both pass a budget check.
    """
    db.session.execute(
        db.update(Participant)
        .where(Participant.id == participant_id)
        .values(lock_version=Participant.lock_version + 1)
    )
