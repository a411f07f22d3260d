"""Dot voting: the budget a facilitator sets and the rules every placed dot must obey."""

import re
from dataclasses import dataclass

from .errors import RuleError
from .items import KINDS

DOTS_MAX = 50
SDG_PICKS_MAX = 17


@dataclass(frozen=True)
class Budget:
    dots: int = 5
    per_item: int = 2
    separate: bool = False  # True: barriers and enablers each get `dots`

    def pools(self):
        return KINDS if self.separate else ("all",)

    def pool(self, kind):
        return kind if self.separate else "all"

    def dots_left(self, placed):
        """Dots still free per pool, from `placed`: an iterable of (unit, kind, dots)."""
        left = {pool: self.dots for pool in self.pools()}
        for _unit, kind, dots in placed:
            left[self.pool(kind)] -= dots
        return left

    def check_place(self, placed, unit, kind):
        """Raise unless one more dot on `unit` (of `kind`) stays within the budget."""
        placed = list(placed)
        if self.dots_left(placed)[self.pool(kind)] <= 0:
            raise RuleError("no_dots_left")
        on_unit = sum(d for u, _k, d in placed if u == unit)
        if on_unit >= self.per_item:
            raise RuleError("item_limit")

    @staticmethod
    def check_remove(placed, unit):
        """Raise unless the participant has a dot on `unit` to take back."""
        if sum(d for u, _k, d in placed if u == unit) <= 0:
            raise RuleError("no_dot_here")


def validate_budget(payload):
    """A Budget from the facilitator's form values, or RuleError('invalid', fields)."""
    errors = {}
    dots, per_item = _whole(payload.get("dots")), _whole(payload.get("per_item"))
    if dots is None or not 1 <= dots <= DOTS_MAX:
        errors["dots"] = "invalid"
    if per_item is None or not 1 <= per_item <= DOTS_MAX:
        errors["per_item"] = "invalid"
    elif dots is not None and per_item > dots:
        errors["per_item"] = "above_budget"
    separate = payload.get("separate") in (True, "1", "on", "true")
    if errors:
        raise RuleError("invalid", errors)
    return Budget(dots, per_item, separate)


def validate_sdg_limit(value):
    limit = _whole(value)
    if limit is None or not 1 <= limit <= SDG_PICKS_MAX:
        raise RuleError("invalid", {"sdg_limit": "invalid"})
    return limit


def _whole(value):
    if type(value) is int:
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{1,4}", value.strip()):
        return int(value)
    return None


def check_sdg_pick(current_picks, limit):
    """Raise if a participant who picked `current_picks` SDGs for an axis may not add one."""
    if current_picks >= limit:
        raise RuleError("sdg_limit")
