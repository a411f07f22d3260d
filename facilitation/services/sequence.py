"""Per-session sequence numbers: every change a session's clients must see bumps one."""

from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Participant, Session
from ..prepared import Prepared


def bump(session_id):
    """The session's next sequence number, inside the caller's transaction (a Session
    object already loaded sees it too)."""
    db.session.execute(
        db.update(Session).where(Session.id == session_id).values(seq=Session.seq + 1)
    )
    seq = db.session.execute(db.select(Session.seq).where(Session.id == session_id)).scalar_one()
    loaded = db.session.identity_map.get(db.session.identity_key(Session, session_id))
    if loaded is not None:
        set_committed_value(loaded, "seq", seq)
    return seq


def current(session_id):
    return db.session.execute(db.select(Session.seq).where(Session.id == session_id)).scalar_one()


def lock_participant(participant_id, session_id=None, connection=None):
    """Serialise one participant's votes, picks and edits across connections and processes.

    The UPDATE takes the participant's row lock (PostgreSQL) or the write lock (SQLite)
    before anything is read, so two simultaneous requests cannot both pass a budget check.
    With `session_id`, only a participant of that session is locked. Returns whether the
    participant was found (a Core UPDATE: no ORM objects are looked at). `connection`: the
    session's, if the caller has it already.
    """
    connection = connection or db.session.connection()
    if session_id is None:
        return _LOCK.count(connection, {"pid": participant_id}) == 1
    return _LOCK_IN_SESSION.count(connection, {"pid": participant_id, "sid": session_id}) == 1


_participants = Participant.__table__
_lock = (
    db.update(_participants)
    .where(_participants.c.id == db.bindparam("pid"))
    .values(lock_version=_participants.c.lock_version + 1)
)
_LOCK = Prepared(_lock)
_LOCK_IN_SESSION = Prepared(_lock.where(_participants.c.session_id == db.bindparam("sid")))
