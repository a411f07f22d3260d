"""A participant's dots replayed from the voting ledger, entry by entry, under the rules the
app checks when a dot is placed or taken back (voting.Budget). The import calls it to refuse
a ledger the app could not have written.

Every dot lands on one item (a dot on a merged group lands on the voter's own item of it),
and no item ever holds more of one participant's dots than the budget's `per_item` (the
limit is checked on the group when the dot is placed, and a group's dots include the
item's), nor fewer than none. Groups are left out here: they change after dots are placed.
"""

from .errors import RuleError
from .voting import Budget


class Ledger:
    """Dots per (participant, item) and per (participant, pool), kept as entries are added."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self._on_item = {}
        self._in_pool = {}

    def add(self, participant, item, kind, delta):
        """Apply one entry (`delta` 1 or -1), or raise RuleError with the code the app
        answers: no_dots_left, item_limit (a dot placed), no_dot_here (a dot taken back)."""
        pool = (participant, self.budget.pool(kind))
        on_item = self._on_item.get((participant, item), 0)
        if delta == 1:
            if self._in_pool.get(pool, 0) >= self.budget.dots:
                raise RuleError("no_dots_left")
            if on_item >= self.budget.per_item:
                raise RuleError("item_limit")
        elif on_item <= 0:
            raise RuleError("no_dot_here")
        self._on_item[(participant, item)] = on_item + delta
        self._in_pool[pool] = self._in_pool.get(pool, 0) + delta

    def held(self):
        """(participant, item) for every item a participant still has dots on."""
        return [key for key, dots in self._on_item.items() if dots > 0]
