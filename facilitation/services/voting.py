"""Dot voting and SDG picks: every change is checked against the budget inside a
transaction that first locks the participant, so no race or replay can exceed it."""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from ..domain.errors import RuleError
from ..domain.fields import is_id
from ..domain.items import unit_key
from ..domain.phases import Phase
from ..domain.taxonomy import taxonomy
from ..domain.voting import Budget, check_sdg_pick, validate_budget, validate_sdg_limit
from ..extensions import db
from ..models import Item, SdgPick, Session, Vote
from . import sequence
from .sequence import lock_participant

CLIENT_ID_MAX = 64


def budget_of(workshop):
    return Budget(workshop.dots, workshop.dots_per_item, workshop.separate_budgets)


def placed(participant_id):
    """The participant's dots as (unit, kind, dots) per item with dots on it."""
    rows = db.session.execute(
        db.select(Item.id, Item.group_id, Item.kind, func.sum(Vote.delta))
        .join(Vote, Vote.item_id == Item.id)
        .where(Vote.participant_id == participant_id)
        .group_by(Item.id, Item.group_id, Item.kind)
    )
    return [(unit_key(i, g), kind, int(d)) for i, g, kind, d in rows if d]


def my_votes(participant, workshop=None):
    """What a participant's page shows: dots left per pool and dots per unit."""
    workshop = workshop or db.session.get(Session, participant.session_id).workshop
    mine = placed(participant.id)
    by_unit = {}
    for unit, _kind, dots in mine:
        by_unit[unit] = by_unit.get(unit, 0) + dots
    budget = budget_of(workshop)
    return {
        "dots_left": budget.dots_left(mine),
        "units": by_unit,
        "budget": {"dots": budget.dots, "per_item": budget.per_item, "separate": budget.separate},
    }


def _votable(participant, item_id):
    """The item to put a dot on, if this participant's session shows `item_id`.

    A session shows its own items and the other languages' items of a group holding one of
    its own. For such a group the dot goes on the group's item from the participant's own
    session, so it stays visible to them if the group is ever unmerged.
    """
    item = db.session.get(Item, item_id) if is_id(item_id) else None
    if item is None or item.hidden:
        raise RuleError("not_found")
    if item.session_id == participant.session_id:
        return item
    own = None
    if item.group_id:
        own = (
            Item.query.filter_by(
                group_id=item.group_id, session_id=participant.session_id, hidden=False
            )
            .order_by(Item.id)
            .first()
        )
    if own is None:
        raise RuleError("not_found")
    return own


def cast(participant, payload):
    """Place (`delta` 1) or take back (`delta` -1) one dot on an item, once per client id.

    Returns (my_votes, created). A retried client id changes nothing and returns the state.
    """
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    client_id, delta = payload.get("client_id"), payload.get("delta")
    if not isinstance(client_id, str) or not 0 < len(client_id) <= CLIENT_ID_MAX:
        raise RuleError("invalid", {"client_id": "invalid"})
    if type(delta) is not int or delta not in (1, -1):
        raise RuleError("invalid", {"delta": "invalid"})
    lock_participant(participant.id)
    if Vote.query.filter_by(participant_id=participant.id, client_id=client_id).first():
        db.session.commit()
        return my_votes(participant), False
    session = db.session.get(Session, participant.session_id)
    if not Phase(session.phase).accepts_votes:
        raise RuleError("phase_closed")
    item = _votable(participant, payload.get("item_id"))
    # a shared row lock: a facilitator hiding this item waits for this vote, and the
    # vote waits for (and then sees) a hide already under way (PostgreSQL; SQLite has
    # one writer at a time anyway)
    hidden = db.session.execute(
        db.select(Item.hidden).where(Item.id == item.id).with_for_update(read=True)
    ).scalar_one()
    if hidden:
        raise RuleError("not_found")
    budget, mine = budget_of(session.workshop), placed(participant.id)
    unit = unit_key(item.id, item.group_id)
    if delta == 1:
        budget.check_place(mine, unit, item.kind)
        target = item
    else:
        Budget.check_remove(mine, unit)
        target = _item_with_my_dot(participant.id, item)
    db.session.add(
        Vote(
            participant_id=participant.id,
            session_id=session.id,
            item_id=target.id,
            delta=delta,
            client_id=client_id,
        )
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return my_votes(participant), False
    return my_votes(participant, session.workshop), True


def _item_with_my_dot(participant_id, item):
    """Which item of the unit to take a dot back from (its group may hold several)."""
    ids = [item.id]
    if item.group_id:
        ids = [
            i
            for (i,) in db.session.execute(db.select(Item.id).where(Item.group_id == item.group_id))
        ]
    for item_id, dots in db.session.execute(
        db.select(Vote.item_id, func.sum(Vote.delta))
        .where(Vote.participant_id == participant_id, Vote.item_id.in_(ids))
        .group_by(Vote.item_id)
    ):
        if dots > 0:
            return db.session.get(Item, item_id)
    raise RuleError("no_dot_here")


def my_picks(participant_id):
    picks = {}
    for axis, sdg in db.session.execute(
        db.select(SdgPick.axis, SdgPick.sdg).where(SdgPick.participant_id == participant_id)
    ):
        picks.setdefault(axis, []).append(sdg)
    return {axis: sorted(sdgs) for axis, sdgs in picks.items()}


def pick(participant, payload):
    """Pick (`picked` true) or unpick an SDG for an axis; at most the workshop's limit."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    axis, sdg, picked = payload.get("axis"), payload.get("sdg"), payload.get("picked")
    if axis not in taxonomy().axis_codes:
        raise RuleError("invalid", {"axis": "unknown"})
    if type(sdg) is not int or sdg not in taxonomy().sdg_numbers:
        raise RuleError("invalid", {"sdg": "unknown"})
    if not isinstance(picked, bool):
        raise RuleError("invalid", {"picked": "invalid"})
    lock_participant(participant.id)
    session = db.session.get(Session, participant.session_id)
    if not Phase(session.phase).accepts_sdg_picks:
        raise RuleError("phase_closed")
    existing = db.session.get(SdgPick, (participant.id, axis, sdg))
    if picked and existing is None:
        count = SdgPick.query.filter_by(participant_id=participant.id, axis=axis).count()
        check_sdg_pick(count, session.workshop.sdg_limit)
        db.session.add(
            SdgPick(participant_id=participant.id, axis=axis, sdg=sdg, session_id=session.id)
        )
    elif not picked and existing is not None:
        db.session.delete(existing)
    db.session.commit()
    return {"picks": my_picks(participant.id), "limit": session.workshop.sdg_limit}


def set_voting_rules(workshop, payload):
    """The facilitator's budget and SDG limit; refused once any dot has been placed."""
    budget = validate_budget(payload)
    limit = validate_sdg_limit(payload.get("sdg_limit", workshop.sdg_limit))
    has_votes = db.session.execute(
        db.select(Vote.id)
        .join(Session, Session.id == Vote.session_id)
        .where(Session.workshop_id == workshop.id)
        .limit(1)
    ).first()
    changed = (budget.dots, budget.per_item, budget.separate) != (
        workshop.dots,
        workshop.dots_per_item,
        workshop.separate_budgets,
    )
    if has_votes and changed:
        raise RuleError("votes_exist")
    workshop.dots, workshop.dots_per_item = budget.dots, budget.per_item
    workshop.separate_budgets = budget.separate
    workshop.sdg_limit = limit
    plan = {s.id: sequence.bump(s.id) for s in workshop.sessions}
    db.session.commit()
    return plan
