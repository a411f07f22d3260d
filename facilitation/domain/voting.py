"""Dot voting: the budget a facilitator sets and the rules every placed dot must obey."""

from dataclasses import dataclass

from .errors import RuleError
from .items import KINDS


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


def check_sdg_pick(current_picks, limit):
    """Raise if a participant who picked `current_picks` SDGs for an axis may not add one."""
    if current_picks >= limit:
        raise RuleError("sdg_limit")
