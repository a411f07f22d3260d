"""Barriers and enablers (dynamic two): their kinds, and how merges group them."""

from enum import StrEnum

from .errors import RuleError


class ItemKind(StrEnum):
    BARRIER = "barrier"
    ENABLER = "enabler"


KINDS = tuple(ItemKind)


def check_mergeable(kinds):
    """Items merge only with items of the same kind, and at least two are needed."""
    if len(kinds) < 2:
        raise RuleError("invalid", {"item_ids": "too_short"})
    if len(set(kinds)) != 1:
        raise RuleError("mixed_kinds")


def unit_key(item_id, group_id):
    """What votes and rankings count: the merge group, or the item on its own."""
    return f"g{group_id}" if group_id else f"i{item_id}"
