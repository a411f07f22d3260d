"""Barriers and enablers (dynamic two): what a valid proposal is, and how merges group them."""

from dataclasses import dataclass
from enum import StrEnum

from .errors import RuleError
from .fields import FieldErrors
from .taxonomy import taxonomy

TEXT_MAX = 280


class ItemKind(StrEnum):
    BARRIER = "barrier"
    ENABLER = "enabler"


KINDS = tuple(ItemKind)


@dataclass(frozen=True)
class ItemDraft:
    text: str
    kind: str
    axis: str | None


def validate_item(payload):
    """Return a clean ItemDraft, or raise RuleError('invalid', fields)."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    check = FieldErrors()
    text = check.text(payload, "text", TEXT_MAX)
    kind = payload.get("kind")
    if kind not in KINDS:
        check.add("kind", "required" if not kind else "unknown")
    axis = payload.get("axis") or None
    if axis is not None and axis not in taxonomy().axis_codes:
        check.add("axis", "unknown")
    check.raise_if_any()
    return ItemDraft(text, kind, axis)


def check_mergeable(kinds):
    """Items merge only with items of the same kind, and at least two are needed."""
    if len(kinds) < 2:
        raise RuleError("invalid", {"item_ids": "too_short"})
    if len(set(kinds)) != 1:
        raise RuleError("mixed_kinds")


def unit_key(item_id, group_id):
    """What votes and rankings count: the merge group, or the item on its own."""
    return f"g{group_id}" if group_id else f"i{item_id}"
