"""Dot voting and SDG picks: every change is checked against the budget inside a
transaction that first locks the participant, so no race or replay can exceed it."""

from typing import NamedTuple

from sqlalchemy import bindparam, delete, exists, func, insert, select

from ..domain.errors import RuleError
from ..domain.items import unit_key
from ..domain.phases import require_open
from ..domain.voting import Budget, check_sdg_pick
from ..extensions import db
from ..models import Item, SdgPick, Session, Vote, Workshop, utcnow
from ..prepared import Prepared
from ..schemas import SdgPickRequest, VoteCast, check, validate_voting_rules
from . import dot_counts, sequence
from .events import PicksChanged, SettingsChanged, VotesChanged, record
from .sequence import lock_participant

# a vote reads and writes through Core statements on the tables, compiled once per dialect
# and run on the driver's cursor (prepared.py): no ORM objects, no execution context
_items, _votes = Item.__table__, Vote.__table__
_sessions, _workshops = Session.__table__, Workshop.__table__
_CONTEXT_COLUMNS = (
    _sessions.c.phase,
    _sessions.c.phase_ends_at,
    _sessions.c.phase_paused_seconds,
    _sessions.c.phase_auto_close,
    _workshops.c.id.label("workshop_id"),
    _workshops.c.dots,
    _workshops.c.dots_per_item,
    _workshops.c.separate_budgets,
    exists()
    .where(
        _votes.c.participant_id == bindparam("participant_id"),
        _votes.c.client_id == bindparam("client_id"),
    )
    .label("replayed"),
)
_SESSION_AND_WORKSHOP = _sessions.join(_workshops, _workshops.c.id == _sessions.c.workshop_id)
# the context of a vote (see _context); with the item, read under a shared row lock
_CONTEXT = Prepared(
    select(*_CONTEXT_COLUMNS)
    .select_from(_SESSION_AND_WORKSHOP)
    .where(_sessions.c.id == bindparam("session_id"))
)
_CONTEXT_AND_ITEM = Prepared(
    select(
        *_CONTEXT_COLUMNS,
        _items.c.id.label("item_id"),
        _items.c.session_id.label("item_session_id"),
        _items.c.group_id,
        _items.c.kind,
        _items.c.hidden,
    )
    .select_from(_SESSION_AND_WORKSHOP.join(_items, _items.c.id == bindparam("item_id")))
    .where(_sessions.c.id == bindparam("session_id"))
    .with_for_update(read=True, of=_items)
)
_OWN_ITEM_OF_GROUP = Prepared(
    select(_items.c.id, _items.c.group_id, _items.c.kind)
    .where(
        _items.c.group_id == bindparam("group_id"),
        _items.c.session_id == bindparam("session_id"),
        _items.c.hidden.is_(False),
    )
    .order_by(_items.c.id)
    .limit(1)
    .with_for_update(read=True)
)
_LOCK_GROUP = Prepared(
    select(_items.c.id).where(_items.c.group_id == bindparam("group_id")).with_for_update(read=True)
)
_DOTS_BY_ITEM = Prepared(
    select(_items.c.id, _items.c.group_id, _items.c.kind, func.sum(_votes.c.delta))
    .join(_votes, _votes.c.item_id == _items.c.id)
    .where(_votes.c.participant_id == bindparam("participant_id"))
    .group_by(_items.c.id, _items.c.group_id, _items.c.kind)
    .order_by(_items.c.id)
)
# every column named, the time too: a Prepared statement applies no Python-side default
_VOTE_COLUMNS = ("participant_id", "session_id", "item_id", "delta", "client_id", "created_at")
_ADD_VOTE = Prepared(insert(_votes).values({name: bindparam(name) for name in _VOTE_COLUMNS}))
# an SDG pick's context: the phase, the workshop's limit, and the participant's picks
_picks = SdgPick.__table__
_PICK_CONTEXT = Prepared(
    select(
        _sessions.c.phase,
        _sessions.c.phase_ends_at,
        _sessions.c.phase_paused_seconds,
        _sessions.c.phase_auto_close,
        _workshops.c.id.label("workshop_id"),
        _workshops.c.sdg_limit,
        _picks.c.axis,
        _picks.c.sdg,
    )
    .select_from(
        _SESSION_AND_WORKSHOP.outerjoin(
            _picks, _picks.c.participant_id == bindparam("participant_id")
        )
    )
    .where(_sessions.c.id == bindparam("session_id"))
    .order_by(_picks.c.axis, _picks.c.sdg)
)
_ADD_PICK = Prepared(
    insert(_picks).values(
        {name: bindparam(name) for name in ("participant_id", "axis", "sdg", "session_id")}
    )
)
_REMOVE_PICK = Prepared(
    delete(_picks).where(
        _picks.c.participant_id == bindparam("participant_id"),
        _picks.c.axis == bindparam("axis"),
        _picks.c.sdg == bindparam("sdg"),
    )
)


class _Votable(NamedTuple):
    id: int
    group_id: int | None
    kind: str


def budget_of(workshop):
    return Budget(workshop.dots, workshop.dots_per_item, workshop.separate_budgets)


def placed(participant_id):
    """The participant's dots as (unit, kind, dots) per item with dots on it."""
    return _placed(_dots_by_item(db.session.connection(), participant_id))


def _dots_by_item(connection, participant_id):
    """{item id: (group id, kind, dots)} for every item the participant's votes add up on
    to anything but zero, in item order."""
    rows = _DOTS_BY_ITEM.rows(connection, {"participant_id": participant_id})
    return {i: (g, kind, int(d)) for i, g, kind, d in rows if d}


def _placed(dots):
    return [(unit_key(i, g), kind, d) for i, (g, kind, d) in dots.items()]


def my_votes(participant, workshop=None):
    """What a participant's page shows: dots left per pool and dots per unit."""
    workshop = workshop or db.session.get(Session, participant.session_id).workshop
    return _page_state(budget_of(workshop), placed(participant.id))


def _page_state(budget, mine):
    by_unit = {}
    for unit, _kind, dots in mine:
        by_unit[unit] = by_unit.get(unit, 0) + dots
    return {
        "dots_left": budget.dots_left(mine),
        "units": by_unit,
        "budget": {"dots": budget.dots, "per_item": budget.per_item, "separate": budget.separate},
    }


class Cast(NamedTuple):
    votes: dict  # what my_votes answers, after this vote
    created: bool
    workshop_id: int


def cast(participant, payload):
    """Place (`delta` 1) or take back (`delta` -1) one dot on an item, once per client id.

    Returns (my_votes, created). A retried client id changes nothing and returns the state.
    """
    done = cast_by(participant.id, participant.session_id, payload)
    return done.votes, done.created


def cast_by(participant_id, session_id, payload):
    """`cast` for the participant `participant_id` of `session_id`, as a connection knows
    them (RuleError('unauthorized') if that participant does not exist): a few Core
    statements, no ORM objects. Returns a Cast; records VotesChanged when a dot moved.

    Nothing is written before every rule has passed, so a refusal leaves the transaction
    as it was: votes arriving together share one (group_commit.py).
    """
    client_id, delta, item_id = _valid_vote(payload)
    connection = db.session.connection()
    if not lock_participant(participant_id, session_id, connection):
        raise RuleError("unauthorized")
    ctx = _context(connection, participant_id, session_id, client_id, item_id)
    budget = Budget(ctx.dots, ctx.dots_per_item, ctx.separate_budgets)
    if ctx.replayed:
        mine = _placed(_dots_by_item(connection, participant_id))
        return Cast(_page_state(budget, mine), False, ctx.workshop_id)
    now = utcnow()
    require_open(ctx, "votes", now)
    item = _votable(connection, session_id, ctx)
    if delta == -1 and item.group_id:
        _lock_group(connection, item.group_id)
    dots = _dots_by_item(connection, participant_id)
    mine, unit = _placed(dots), unit_key(item.id, item.group_id)
    if delta == 1:
        budget.check_place(mine, unit, item.kind)
        target = (item.id, item.group_id, item.kind)
    else:
        Budget.check_remove(mine, unit)
        target = _item_with_my_dot(dots, unit)
    _ADD_VOTE.count(
        connection,
        {
            "participant_id": participant_id,
            "session_id": session_id,
            "item_id": target[0],
            "delta": delta,
            "client_id": client_id,
            "created_at": now,
        },
    )
    dot_counts.add(session_id, target[0], participant_id, delta)
    # the answer is the state read under the lock plus this vote: no query after commit
    _old_group, _kind, before = dots.get(target[0], (None, None, 0))
    dots[target[0]] = (target[1], target[2], before + delta)
    after = {i: dots[i] for i in sorted(dots) if dots[i][2]}
    done = Cast(_page_state(budget, _placed(after)), True, ctx.workshop_id)
    record(VotesChanged(ctx.workshop_id, participant_id, done.votes))
    return done


def _valid_vote(payload):
    """(client_id, delta, item_id or None); only the first wrong field is reported."""
    vote = check(VoteCast, payload, first_only=True)
    return vote.client_id, vote.delta, vote.item_id


def _context(connection, participant_id, session_id, client_id, item_id):
    """One row: the session's phase, the workshop's budget (and id), whether `client_id`
    was stored already and, when there is an item `item_id`, that item (else `item_id` None).

    The item is read with a shared row lock: a facilitator hiding it waits for this vote,
    and the vote waits for (and then sees) a hide already under way (PostgreSQL; SQLite has
    one writer at a time anyway, and ignores FOR SHARE)."""
    params = {"participant_id": participant_id, "session_id": session_id, "client_id": client_id}
    if item_id is not None:
        rows = _CONTEXT_AND_ITEM.rows(connection, {**params, "item_id": item_id})
        if rows:
            return rows[0]
    (row,) = _CONTEXT.rows(connection, params)
    return _NoItem(*row)


class _PickContext(NamedTuple):
    phase: str
    phase_ends_at: object
    phase_paused_seconds: int | None
    phase_auto_close: bool
    workshop_id: int
    sdg_limit: int


class _NoItem(NamedTuple):
    phase: str
    phase_ends_at: object
    phase_paused_seconds: int | None
    phase_auto_close: bool
    workshop_id: int
    dots: int
    dots_per_item: int
    separate_budgets: bool
    replayed: bool
    item_id: None = None


def _votable(connection, session_id, ctx):
    """The item to put a dot on, if this participant's session shows the one in `ctx`.

    A session shows its own items and the other languages' items of a group holding one of
    its own. For such a group the dot goes on the group's item from the participant's own
    session (read with a shared row lock, as in `_context`), so it stays visible to them if
    the group is ever unmerged.
    """
    if ctx.item_id is None or ctx.hidden:
        raise RuleError("not_found")
    if ctx.item_session_id == session_id:
        return _Votable(ctx.item_id, ctx.group_id, ctx.kind)
    own = None
    if ctx.group_id:
        own = _OWN_ITEM_OF_GROUP.rows(
            connection, {"group_id": ctx.group_id, "session_id": session_id}
        )
    if not own:
        raise RuleError("not_found")
    return _Votable(*own[0])


def _lock_group(connection, group_id):
    """Shared row locks on every item of a group before a dot is taken back from one of
    them, so that a facilitator hiding (and refunding) that item waits for this vote or
    is seen by it (PostgreSQL)."""
    _LOCK_GROUP.rows(connection, {"group_id": group_id})


def _item_with_my_dot(dots, unit):
    """Which item of the unit to take a dot back from (its group may hold several):
    (item id, group id, kind)."""
    for item_id, (group_id, kind, n) in dots.items():
        if n > 0 and unit_key(item_id, group_id) == unit:
            return item_id, group_id, kind
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
    return pick_by(participant.id, participant.session_id, payload)


def pick_by(participant_id, session_id, payload):
    """`pick` for the participant `participant_id` of `session_id`, as a connection knows
    them (RuleError('unauthorized') if that participant does not exist), on the votes'
    lean path: the participant's lock, one read (phase, limit, the participant's picks),
    the insert or delete; no ORM objects, nothing read after the write. Records
    PicksChanged; returns {"picks": {axis: [sdg, ...]}, "limit": n}.

    Nothing is written before every rule has passed (see `cast_by`)."""
    wanted = check(SdgPickRequest, payload, first_only=True)
    axis, sdg, picked = wanted.axis, wanted.sdg, wanted.picked
    connection = db.session.connection()
    if not lock_participant(participant_id, session_id, connection):
        raise RuleError("unauthorized")
    rows = _PICK_CONTEXT.rows(
        connection, {"participant_id": participant_id, "session_id": session_id}
    )
    context = _PickContext(*rows[0][:6])
    require_open(context, "sdg_picks", utcnow())
    workshop_id, limit = context.workshop_id, context.sdg_limit
    picks = {}
    for *_, picked_axis, picked_sdg in rows:
        if picked_axis is not None:
            picks.setdefault(picked_axis, []).append(picked_sdg)
    on_axis = picks.setdefault(axis, [])
    key = {"participant_id": participant_id, "axis": axis, "sdg": sdg}
    if picked and sdg not in on_axis:
        check_sdg_pick(len(on_axis), limit)
        _ADD_PICK.count(connection, {**key, "session_id": session_id})
        on_axis.append(sdg)
    elif not picked and sdg in on_axis:
        _REMOVE_PICK.count(connection, key)
        on_axis.remove(sdg)
    mine = {"picks": {a: sorted(s) for a, s in picks.items() if s}, "limit": limit}
    record(PicksChanged(workshop_id, participant_id, mine))
    return mine


def set_voting_rules(workshop, payload):
    """The facilitator's budget and SDG limit; refused once any dot has been placed."""
    budget, limit = validate_voting_rules(payload, workshop.sdg_limit)
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
    seqs = tuple((s.id, sequence.bump(s.id)) for s in workshop.sessions)
    record(SettingsChanged(workshop.id, seqs))
