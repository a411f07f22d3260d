"""Dynamic one: participants post, edit and withdraw initiatives; everyone reads the board."""

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from ..domain.errors import RuleError
from ..domain.phases import require_open
from ..extensions import db
from ..models import Initiative, InitiativeSdg, Session, utcnow
from ..schemas import before_id_of, client_id_of, is_id, validate_initiative
from . import initiative_counts, sequence
from .events import InitiativeUpserted, InitiativeWithdrawn, record


def to_data(initiative, names=True, moderator=False):
    """Plain data for clients: codes and the participant's own text, no UI sentences.

    `names` False leaves the author out, and the participant id that would link one
    person's posts (the workshop's anonymity setting decides). `moderator` (facilitators
    only) adds the author's original wording of a corrected initiative.
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
        "hidden": initiative.hidden,
    }
    if moderator:
        data.update(
            original_title=initiative.original_title,
            original_description=initiative.original_description,
            corrected_at=initiative.corrected_at.isoformat() + "Z"
            if initiative.corrected_at
            else None,
        )
    if not names:
        data.update(author=None, participant_id=None)
    return data


def _open_session(participant):
    session = db.session.get(Session, participant.session_id)
    require_open(session, "initiatives", utcnow())
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
    client_id = client_id_of(payload)
    earlier = _existing(participant, client_id)
    if earlier is not None:
        session = db.session.get(Session, participant.session_id)
        return to_data(earlier), session.seq, False
    draft = validate_initiative(payload)
    session = _open_session(participant)
    initiative = Initiative(session_id=session.id, participant=participant, client_id=client_id)
    _apply(initiative, draft)
    db.session.add(initiative)
    try:
        db.session.flush()
        initiative_counts.add(session.id, draft.axis, draft.sdgs, 1)
        seq = sequence.bump(session.id)
    except IntegrityError:
        # the same client id arrived twice at once: the first one won
        db.session.rollback()
        earlier = _existing(participant, client_id)
        return to_data(earlier), db.session.get(Session, participant.session_id).seq, False
    record(InitiativeUpserted(session.workshop_id, session.id, seq, initiative.id))
    return to_data(initiative), seq, True


def edit(participant, payload):
    """Change one's own initiative while dynamic one is open. Returns (data, seq)."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    sequence.lock_participant(participant.id)
    initiative = _own(participant, payload.get("id"))
    draft = validate_initiative(payload)
    session = _open_session(participant)
    moved = (initiative.axis, initiative.sdgs) != (draft.axis, list(draft.sdgs))
    if moved and not initiative.hidden:  # a hidden one is out of the counts already
        initiative_counts.add(initiative.session_id, initiative.axis, initiative.sdgs, -1)
        initiative_counts.add(initiative.session_id, draft.axis, draft.sdgs, 1)
    _apply(initiative, draft)
    initiative.updated_at = utcnow()
    seq = sequence.bump(initiative.session_id)
    record(InitiativeUpserted(session.workshop_id, session.id, seq, initiative.id))
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
        return data, sequence.current(initiative.session_id), False
    session = _open_session(participant)
    initiative.withdrawn_at = utcnow()
    if not initiative.hidden:  # a hidden one is out of the counts already
        initiative_counts.add(initiative.session_id, initiative.axis, initiative.sdgs, -1)
    seq = sequence.bump(initiative.session_id)
    record(InitiativeWithdrawn(session.workshop_id, session.id, seq, initiative.id))
    return data, seq, True


def ids_of(participant_id):
    """Ids of a participant's live initiatives (hidden ones too: their author still sees
    them, marked hidden): how their page knows its own posts."""
    return list(
        db.session.execute(
            db.select(Initiative.id).where(
                Initiative.participant_id == participant_id, Initiative.withdrawn_at.is_(None)
            )
        ).scalars()
    )


def _live(session_id, hidden=False):
    """A session's initiatives on its board: not withdrawn, and not hidden unless `hidden`
    (facilitators see hidden ones, marked)."""
    conditions = (Initiative.session_id == session_id, Initiative.withdrawn_at.is_(None))
    return conditions if hidden else (*conditions, Initiative.hidden.is_(False))


def _newest(conditions, limit=None):
    """Initiatives matching `conditions`, newest first, with their SDGs and authors."""
    query = (
        Initiative.query.filter(*conditions)
        .options(selectinload(Initiative.sdg_links), selectinload(Initiative.participant))
        .order_by(Initiative.id.desc())
    )
    return (query.limit(limit) if limit else query).all()


def counts(session_id):
    """The board's size and its size per axis, from the running counts (a COUNT(*) would
    read every row of the session): `initiatives_total` and `initiatives_axes`. Hidden
    initiatives are not counted, on facilitators' boards either."""
    axes = initiative_counts.axis_counts(session_id)
    return {"initiatives_total": sum(axes.values()), "initiatives_axes": axes}


def page(session_id, size, before_id=None, names=True, moderator=False):
    """The newest `size` live initiatives of a session (below `before_id` if given), oldest
    first, and `older`: the id to pass as `before_id` for the next older page, or None.
    Hidden ones only for a `moderator` (see `to_data`).

    A keyset query (id < before_id, newest first, size + 1 rows) on the session's index,
    so its cost follows the page, not the board.
    """
    conditions = [*_live(session_id, hidden=moderator)]
    if before_id is not None:
        conditions.append(Initiative.id < before_id)
    rows = _newest(conditions, size + 1)
    older = rows[size - 1].id if len(rows) > size else None
    return [to_data(i, names, moderator) for i in reversed(rows[:size])], older


def board(session_id, size, names=True, own_ids=(), moderator=False):
    """What a snapshot shows of a session's board: the newest page (`initiatives`, oldest
    first), its `counts` and `initiatives_older` (see `page`).

    `own_ids` (a participant's live initiatives, `ids_of`) not on the page come first:
    older ones, so that their page can still edit them (paging sends them again later),
    and hidden ones, which their author alone sees. They are loaded by id: a query on the
    session's index below the page would read the whole board.
    """
    shown, older = page(session_id, size, names=names, moderator=moderator)
    on_page = {i["id"] for i in shown}
    own = [i for i in own_ids if i not in on_page]
    if own:
        rows = _newest([*_live(session_id, hidden=True), Initiative.id.in_(own)])
        shown = sorted([to_data(i, names) for i in rows] + shown, key=lambda i: i["id"])
    return {"initiatives": shown, **counts(session_id), "initiatives_older": older}


def older_page(session_id, before_id, size, names=True, moderator=False):
    """The page below `before_id`, which must be an initiative of that session (withdrawn
    ones too: a cursor may have been withdrawn since). For `initiative:page`."""
    before_id = before_id_of({"before_id": before_id})
    cursor = db.session.get(Initiative, before_id)
    if cursor is None or cursor.session_id != session_id:
        raise RuleError("not_found")
    shown, older = page(session_id, size, before_id, names, moderator)
    return {
        "session_id": session_id,
        "initiatives": shown,
        **counts(session_id),
        "initiatives_older": older,
    }
