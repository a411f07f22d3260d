"""Barriers and enablers (dynamic two): what a valid proposal is, and how merges group them."""

from dataclasses import dataclass

from .errors import RuleError
from .taxonomy import taxonomy

TEXT_MAX = 280
KINDS = ("barrier", "enabler")


@dataclass(frozen=True)
class ItemDraft:
    text: str
    kind: str
    axis: str | None


def validate_item(payload):
    """Return a clean ItemDraft, or raise RuleError('invalid', fields)."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    errors = {}
    text = payload.get("text", "")
    text = " ".join(text.split()) if isinstance(text, str) else None
    if text is None:
        errors["text"] = "invalid"
    elif not text:
        errors["text"] = "required"
    elif len(text) > TEXT_MAX:
        errors["text"] = "too_long"
    kind = payload.get("kind")
    if kind not in KINDS:
        errors["kind"] = "required" if not kind else "unknown"
    axis = payload.get("axis") or None
    if axis is not None and axis not in taxonomy().axis_codes:
        errors["axis"] = "unknown"
    if errors:
        raise RuleError("invalid", errors, {"text": TEXT_MAX})
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
