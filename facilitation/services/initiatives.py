"""Dynamic one: participants post, edit and withdraw initiatives; everyone reads the board."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..domain.errors import RuleError
from ..domain.fields import is_id
from ..domain.initiatives import validate_initiative
from ..domain.phases import Phase
from ..extensions import db
from ..models import Initiative, InitiativeSdg, Session, utcnow
from . import initiative_counts, sequence

CLIENT_ID_MAX = 64


def to_data(initiative, names=True):
    """Plain data for clients: codes and the participant's own text, no UI sentences.

    `names` False leaves the author out, and the participant id that would link one
    person's posts (the workshop's anonymity setting decides).
    """
    author = initiative.participant
    data = {
        "id": initiative.id,
        "session_id": initiative.session_id,
        "participant_id": initiative.participant_id,
        "title": initiative.title,
        "description": initiative.description,
        "axis": initiative.axis,
        "sdgs": initiative.sdgs,
        "link": initiative.link,
        "author": {
            "display_name": author.display_name,
            "organisation": author.organisation,
            "country": author.country,
        },
        "created_at": initiative.created_at.isoformat() + "Z",
        "updated_at": initiative.updated_at.isoformat() + "Z",
        "withdrawn": initiative.withdrawn_at is not None,
    }
    if not names:
        data.update(author=None, participant_id=None)
    return data


def _open_session(participant):
    session = db.session.get(Session, participant.session_id)
    if not Phase(session.phase).accepts_initiatives:
        raise RuleError("phase_closed")
    return session


def _own(participant, initiative_id, withdrawn_ok=False):
    initiative = db.session.get(Initiative, initiative_id) if is_id(initiative_id) else None
    if initiative is None or (initiative.withdrawn_at is not None and not withdrawn_ok):
        raise RuleError("not_found")
    if initiative.participant_id != participant.id:
        raise RuleError("forbidden")
    return initiative


def _apply(initiative, draft):
    initiative.title = draft.title
    initiative.description = draft.description
    initiative.axis = draft.axis
    initiative.link = draft.link
    initiative.sdg_links = [InitiativeSdg(sdg=n) for n in draft.sdgs]


def _existing(participant, client_id):
    return Initiative.query.filter_by(participant_id=participant.id, client_id=client_id).first()


def post(participant, payload):
    """Store a new initiative once per client id. Returns (data, seq, created)."""
    client_id = payload.get("client_id") if isinstance(payload, dict) else None
    if not isinstance(client_id, str) or not 0 < len(client_id) <= CLIENT_ID_MAX:
        raise RuleError("invalid", {"client_id": "invalid"})
    earlier = _existing(participant, client_id)
    if earlier is not None:
        session = db.session.get(Session, participant.session_id)
        return to_data(earlier), session.seq, False
    draft = validate_initiative(payload)
    session = _open_session(participant)
    initiative = Initiative(session_id=session.id, participant=participant, client_id=client_id)
    _apply(initiative, draft)
    db.session.add(initiative)
    initiative_counts.add(session.id, draft.axis, draft.sdgs, 1)
    try:
        seq = sequence.bump(session.id)
        db.session.commit()
    except IntegrityError:
        # the same client id arrived twice at once: the first one won
        db.session.rollback()
        earlier = _existing(participant, client_id)
        return to_data(earlier), db.session.get(Session, participant.session_id).seq, False
    return to_data(initiative), seq, True


def edit(participant, payload):
    """Change one's own initiative while dynamic one is open. Returns (data, seq)."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    sequence.lock_participant(participant.id)
    initiative = _own(participant, payload.get("id"))
    draft = validate_initiative(payload)
    _open_session(participant)
    if (initiative.axis, initiative.sdgs) != (draft.axis, list(draft.sdgs)):
        initiative_counts.add(initiative.session_id, initiative.axis, initiative.sdgs, -1)
        initiative_counts.add(initiative.session_id, draft.axis, draft.sdgs, 1)
    _apply(initiative, draft)
    initiative.updated_at = utcnow()
    seq = sequence.bump(initiative.session_id)
    db.session.commit()
    return to_data(initiative), seq


def withdraw(participant, payload):
    """Withdraw one's own initiative (kept in the database, gone from boards and counts).

    Returns (data, seq, changed); withdrawing again changes nothing and is not an error.
    """
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    sequence.lock_participant(participant.id)
    initiative = _own(participant, payload.get("id"), withdrawn_ok=True)
    data = {"id": initiative.id, "session_id": initiative.session_id}
    if initiative.withdrawn_at is not None:
        db.session.commit()
        return data, sequence.current(initiative.session_id), False
    _open_session(participant)
    initiative.withdrawn_at = utcnow()
    initiative_counts.add(initiative.session_id, initiative.axis, initiative.sdgs, -1)
    seq = sequence.bump(initiative.session_id)
    db.session.commit()
    return data, seq, True


def ids_of(participant_id):
    """Ids of a participant's live initiatives: how their page knows its own posts."""
    return list(
        db.session.execute(
            db.select(Initiative.id).where(
                Initiative.participant_id == participant_id, Initiative.withdrawn_at.is_(None)
            )
        ).scalars()
    )


def board(session_id, names=True):
    """The initiatives of one session's board, oldest first."""
    rows = (
        Initiative.query.filter_by(session_id=session_id, withdrawn_at=None)
        .options(selectinload(Initiative.sdg_links), selectinload(Initiative.participant))
        .order_by(Initiative.id)
        .all()
    )
    return [to_data(i, names) for i in rows]
