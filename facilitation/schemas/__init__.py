"""One declaration per event payload and per form (payloads.py), the field types they are
made of (types.py) and every limit, defined once (limits.py).

Services call the `validate_*` functions (or `check`) where a payload enters; each returns
clean values or raises RuleError("invalid", {field: code}, {field: limit}).
"""

import datetime as dt
from collections.abc import Mapping

from ..domain.voting import Budget
from .limits import (
    DOTS_MAX,
    EMAIL_MAX,
    ID_MAX,
    LIMITS,
    NUMBERS,
    PASSWORD_MIN,
    SDG_PICKS_MAX,
    TIMER_MAX_MINUTES,
)
from .payloads import (
    AccountDraft,
    AutoClose,
    ClientKey,
    CountdownAction,
    Credentials,
    DisplaySettings,
    DotBudget,
    HiddenFlag,
    InitiativeCorrection,
    InitiativeDraft,
    InitiativePage,
    Invitation,
    ItemDraft,
    MergePair,
    MergeRequest,
    OwnInitiative,
    ParticipantDraft,
    PhaseChange,
    ProjectorDisplay,
    SdgLimit,
    SdgPickRequest,
    SessionDraft,
    SnapshotRequest,
    TranslationCorrection,
    VoteCast,
    WatchRequest,
    WorkshopDraft,
)
from .types import check, is_id

__all__ = [
    "DOTS_MAX",
    "EMAIL_MAX",
    "ID_MAX",
    "LIMITS",
    "NUMBERS",
    "PASSWORD_MIN",
    "SDG_PICKS_MAX",
    "TIMER_MAX_MINUTES",
    "AccountDraft",
    "Credentials",
    "DisplaySettings",
    "DotBudget",
    "HiddenFlag",
    "AutoClose",
    "CountdownAction",
    "validate_phase_change",
    "InitiativeCorrection",
    "InitiativeDraft",
    "Invitation",
    "ItemDraft",
    "MergePair",
    "MergeRequest",
    "ParticipantDraft",
    "PhaseChange",
    "ProjectorDisplay",
    "SessionDraft",
    "SdgLimit",
    "SdgPickRequest",
    "SnapshotRequest",
    "TranslationCorrection",
    "VoteCast",
    "WatchRequest",
    "WorkshopDraft",
    "check",
    "client_id_of",
    "is_id",
    "before_id_of",
    "own_initiative_id",
    "phase_change",
    "validate_account",
    "validate_budget",
    "validate_initiative",
    "validate_item",
    "validate_participant",
    "validate_sdg_limit",
    "validate_session",
    "validate_voting_rules",
    "validate_workshop",
]


def validate_initiative(payload):
    """A clean InitiativeDraft (every wrong field reported at once)."""
    return check(InitiativeDraft, payload)


def validate_item(payload):
    return check(ItemDraft, payload)


def validate_participant(payload):
    return check(ParticipantDraft, payload)


def validate_workshop(payload):
    return check(WorkshopDraft, payload)


def validate_session(payload, languages):
    """A session needs a name and one of `languages` (the locales with a catalogue)."""
    return check(SessionDraft, payload, {"languages": languages})


def validate_account(payload):
    return check(AccountDraft, payload)


def client_id_of(payload):
    """The payload's `client_id`, checked before anything else an event carries."""
    return check(ClientKey, payload if isinstance(payload, Mapping) else {}).client_id


def own_initiative_id(payload):
    """The `id` of `initiative:edit` / `initiative:withdraw`, or None (not_found)."""
    return check(OwnInitiative, payload).id


def before_id_of(payload):
    """`initiative:page`'s cursor: `required` when absent or null, else an id."""
    return check(InitiativePage, payload).before_id


def validate_budget(payload):
    """A Budget from the facilitator's values, or RuleError('invalid', fields): every wrong
    field at once (DotBudget)."""
    budget = check(DotBudget, payload)
    return Budget(budget.dots, budget.per_item, budget.separate)


def validate_sdg_limit(value):
    return check(SdgLimit, {"sdg_limit": value}).sdg_limit


def validate_voting_rules(payload, sdg_limit):
    """`workshop:set_voting_rules`: (Budget, SDG limit); the budget's fields first, then
    `sdg_limit` (absent: the workshop's current `sdg_limit`)."""
    return validate_budget(payload), validate_sdg_limit(payload.get("sdg_limit", sdg_limit))


def phase_change(value, minutes, now):
    """Validate a move to phase `value` with an optional countdown of `minutes`: returns
    `(phase, ends_at)`, ends_at None without a countdown."""
    return validate_phase_change({"phase": value, "minutes": minutes}, now)[:2]


def validate_phase_change(payload, now):
    """`session:set_phase`: `(phase, ends_at, auto_close)`, ends_at None without a
    countdown, auto_close None when the payload leaves it as it is."""
    change = check(PhaseChange, payload, first_only=True)
    if change.minutes is None:
        return change.phase, None, change.auto_close
    ends_at = now + dt.timedelta(seconds=round(change.minutes * 60))
    return change.phase, ends_at, change.auto_close
