"""The voting ledger replayed entry by entry under a budget, as the import checks it."""

import pytest

from facilitation.domain.errors import RuleError
from facilitation.domain.ledger import Ledger
from facilitation.domain.voting import Budget


def refused(ledger, *entry):
    with pytest.raises(RuleError) as error:
        ledger.add(*entry)
    return error.value.code


def test_an_item_holds_at_most_per_item_dots_of_one_participant():
    ledger = Ledger(Budget(dots=5, per_item=2))
    ledger.add("ana", 1, "barrier", 1)
    ledger.add("ana", 1, "barrier", 1)
    assert refused(ledger, "ana", 1, "barrier", 1) == "item_limit"
    ledger.add("bo", 1, "barrier", 1)  # another participant's dots are their own


def test_the_pool_is_checked_before_the_item():
    ledger = Ledger(Budget(dots=2, per_item=2))
    ledger.add("ana", 1, "barrier", 1)
    ledger.add("ana", 2, "enabler", 1)
    assert refused(ledger, "ana", 3, "barrier", 1) == "no_dots_left"


def test_separate_budgets_give_each_kind_its_dots():
    ledger = Ledger(Budget(dots=1, per_item=1, separate=True))
    ledger.add("ana", 1, "barrier", 1)
    ledger.add("ana", 2, "enabler", 1)
    assert refused(ledger, "ana", 3, "enabler", 1) == "no_dots_left"


def test_taking_back_needs_a_dot_on_that_very_item_and_frees_it():
    ledger = Ledger(Budget(dots=1, per_item=1))
    assert refused(ledger, "ana", 1, "barrier", -1) == "no_dot_here"
    ledger.add("ana", 1, "barrier", 1)
    assert refused(ledger, "ana", 2, "barrier", -1) == "no_dot_here"
    ledger.add("ana", 1, "barrier", -1)
    assert refused(ledger, "ana", 1, "barrier", -1) == "no_dot_here"
    ledger.add("ana", 2, "barrier", 1)
    assert ledger.held() == [("ana", 2)]
