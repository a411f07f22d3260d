"""One declaration per event payload and per form (payloads.py), the field types they are
made of (types.py) and every limit, defined once (limits.py).

Services call the `validate_*` functions (or `check`) where a payload enters; each returns
clean values or raises RuleError("invalid", {field: code}, {field: limit}).
"""

from collections.abc import Mapping

from .limits import EMAIL_MAX, ID_MAX, LIMITS, PASSWORD_MIN
from .payloads import (
    AccountDraft,
    ClientKey,
    InitiativeDraft,
    InitiativePage,
    ItemDraft,
    OwnInitiative,
    ParticipantDraft,
    ProjectorDisplay,
    SdgPickRequest,
    SessionDraft,
    VoteCast,
    WorkshopDraft,
)
from .types import check, is_id

__all__ = [
    "EMAIL_MAX",
    "ID_MAX",
    "LIMITS",
    "PASSWORD_MIN",
    "AccountDraft",
    "InitiativeDraft",
    "ItemDraft",
    "ParticipantDraft",
    "ProjectorDisplay",
    "SessionDraft",
    "SdgPickRequest",
    "VoteCast",
    "WorkshopDraft",
    "check",
    "client_id_of",
    "is_id",
    "before_id_of",
    "own_initiative_id",
    "validate_account",
    "validate_initiative",
    "validate_item",
    "validate_participant",
    "validate_session",
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
