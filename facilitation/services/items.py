"""Dynamic two: barriers and enablers proposed, corrected, hidden, merged and unmerged."""

import uuid

from sqlalchemy import func, or_
from sqlalchemy.exc import IntegrityError

from ..domain.errors import RuleError
from ..domain.items import check_mergeable, unit_key
from ..domain.phases import require_open
from ..extensions import db
from ..models import Item, ItemGroup, Session, Vote, utcnow
from ..schemas import MergeRequest, check, client_id_of, is_id, validate_item
from . import dot_counts, sequence
from .events import ItemsChanged, VotesChanged, record


def to_data(item, names):
    """Plain data for a client; `names` says whether the proposer's name may be shown."""
    author = None
    if item.participant is not None and names:
        author = {
            "display_name": item.participant.display_name,
            "organisation": item.participant.organisation,
            "country": item.participant.country,
        }
    data = {
        "id": item.id,
        "session_id": item.session_id,
        "lang": item.session.language,
        "kind": item.kind,
        "text": item.text,
        "axis": item.axis,
        "hidden": item.hidden,
        "group_id": item.group_id,
        "unit": unit_key(item.id, item.group_id),
        "participant_id": item.participant_id,
        "by_facilitator": item.facilitator_id is not None,
        "author": author,
        "created_at": item.created_at.isoformat() + "Z",
    }
    if not names:
        data["participant_id"] = None  # it would link one person's proposals
    return data


def _store(session, payload, **owner):
    """Create an item once per (session, client id); returns (item, created)."""
    client_id = client_id_of(payload)
    earlier = Item.query.filter_by(session_id=session.id, client_id=client_id).first()
    if earlier is not None:
        return earlier, False
    draft = validate_item(payload)
    item = Item(
        session=session,
        client_id=client_id,
        kind=draft.kind,
        text=draft.text,
        axis=draft.axis,
        **owner,
    )
    db.session.add(item)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return Item.query.filter_by(session_id=session.id, client_id=client_id).one(), False
    return item, True


def propose(participant, payload):
    """A participant proposes while the session is proposing. Returns ([item], created);
    a retried client id returns the first item and records nothing."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    session = db.session.get(Session, participant.session_id)
    earlier = Item.query.filter_by(session_id=session.id, client_id=client_id_of(payload))
    if earlier.first() is None:
        require_open(session, "proposals", utcnow())
    item, created = _store(session, payload, participant_id=participant.id)
    if created:
        _record([item])
    return [item], created


def add_by_facilitator(facilitator, session, payload):
    """A facilitator adds an item to a session in any phase. Returns ([item], created)."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    item, created = _store(session, payload, facilitator_id=facilitator.id)
    if created:
        _record([item])
    return [item], created


def item_in(workshop_ids, item_id):
    """The item if it belongs to one of `workshop_ids`, else RuleError('not_found')."""
    item = db.session.get(Item, item_id) if is_id(item_id) else None
    if item is None or item.session.workshop_id not in workshop_ids:
        raise RuleError("not_found")
    return item


def correct(item, payload):
    """A facilitator corrects an item's wording (and optionally its kind or axis). The
    first correction of the text keeps the proposer's wording in `original_text`."""
    draft = validate_item({"text": item.text, "kind": item.kind, "axis": item.axis, **payload})
    if draft.kind != item.kind and Vote.query.filter_by(item_id=item.id).first():
        raise RuleError("kind_has_votes")
    if draft.text != item.text:
        if item.corrected_at is None:
            item.original_text = item.text
        item.corrected_at = utcnow()
    item.text, item.kind, item.axis = draft.text, draft.kind, draft.axis
    item.updated_at = utcnow()
    if item.group_id:
        mates = Item.query.filter(Item.group_id == item.group_id, Item.id != item.id)
        if any(m.kind != item.kind for m in mates):
            raise RuleError("mixed_kinds")
    return _record([item])


def set_hidden(item, hidden):
    """Hide (or show again) an item. Hiding gives every dot on it back to its voter, so no
    budget is held by something nobody can see; each refunded voter's dots change too.
    Returns the changed items."""
    item.hidden = bool(hidden)
    item.updated_at = utcnow()
    refunded = _refund_dots(item) if item.hidden else []
    # group mates may appear or disappear with it in sessions that only saw them through it
    mates = (
        Item.query.filter(Item.group_id == item.group_id, Item.id != item.id).all()
        if item.group_id
        else []
    )
    changed = _record([item, *mates])
    workshop_id = item.session.workshop_id
    for participant_id in refunded:
        record(VotesChanged(workshop_id, participant_id))
    return changed


def _refund_dots(item):
    """Ledger entries that take back every dot placed on `item`; returns the voters."""
    rows = db.session.execute(
        db.select(Vote.participant_id, Vote.session_id, func.sum(Vote.delta))
        .where(Vote.item_id == item.id)
        .group_by(Vote.participant_id, Vote.session_id)
    ).all()
    for participant_id, session_id, dots in rows:
        db.session.add_all(
            Vote(
                participant_id=participant_id,
                session_id=session_id,
                item_id=item.id,
                delta=-1,
                client_id=f"hidden:{item.id}:{uuid.uuid4().hex}",
            )
            for _ in range(int(dots or 0))
        )
        if dots:
            dot_counts.add(session_id, item.id, participant_id, -int(dots))
    return [participant_id for participant_id, _s, dots in rows if dots]


def merge(workshop, item_ids):
    """Merge items (any sessions of the workshop) into one group; existing groups join it."""
    request = check(MergeRequest, {"item_ids": item_ids})
    items = [item_in({workshop.id}, i) for i in request.item_ids]
    check_mergeable([i.kind for i in items])
    groups = {i.group_id for i in items if i.group_id}
    members = set(items)
    if groups:
        members |= set(Item.query.filter(Item.group_id.in_(groups)))
    check_mergeable([i.kind for i in members])
    target = min(groups) if groups else None
    if target is None:
        group = ItemGroup(workshop_id=workshop.id)
        db.session.add(group)
        db.session.flush()
        target = group.id
    for item in members:
        item.group_id = target
    db.session.flush()
    db.session.query(ItemGroup).filter(ItemGroup.id.in_(groups - {target})).delete()
    return _record(sorted(members, key=lambda i: i.id))


def unmerge(item):
    """Take an item out of its group; a group left with one item dissolves."""
    if not item.group_id:
        raise RuleError("not_merged")
    group_id = item.group_id
    item.group_id = None
    rest = Item.query.filter(Item.group_id == group_id).all()
    if len(rest) == 1:
        rest[0].group_id = None
        db.session.query(ItemGroup).filter_by(id=group_id).delete()
    return _record([item, *rest])


def visible_items(session_id):
    """Items a session's participants see: their own session's, and the other languages'
    texts of groups those belong to. Hidden items are left out."""
    own_groups = db.select(Item.group_id).where(
        Item.session_id == session_id, Item.group_id.isnot(None), Item.hidden.is_(False)
    )
    return (
        Item.query.filter(
            Item.hidden.is_(False),
            or_(Item.session_id == session_id, Item.group_id.in_(own_groups)),
        )
        .order_by(Item.id)
        .all()
    )


def session_items(session_id):
    """Every item proposed in a session, hidden ones included, for its facilitators."""
    return Item.query.filter_by(session_id=session_id).order_by(Item.id).all()


def workshop_items(workshop_id):
    """Every item of a workshop, hidden ones included, for its facilitators."""
    return (
        Item.query.join(Session).filter(Session.workshop_id == workshop_id).order_by(Item.id).all()
    )


def _record(items):
    """Bump the seq of every session that shows these items and record the change;
    returns the items.

    An item concerns its own session and every session with an item in the same group.
    """
    sessions = {i.session_id for i in items}
    groups = {i.group_id for i in items if i.group_id}
    if groups:
        sessions |= set(
            db.session.execute(
                db.select(Item.session_id).where(Item.group_id.in_(groups))
            ).scalars()
        )
    seqs = tuple((sid, sequence.bump(sid)) for sid in sorted(sessions))
    workshop_id = items[0].session.workshop_id
    record(ItemsChanged(workshop_id, tuple(i.id for i in items), seqs))
    return items
