"""Dot budgets: per participant, per item, shared or separate pools, taking dots back, and the
facilitator's form values (budget, SDG picks per axis). Plain rules, no app."""

import pytest

from facilitation.domain.errors import RuleError
from facilitation.domain.voting import Budget, check_sdg_pick
from facilitation.schemas import DOTS_MAX, SDG_PICKS_MAX, validate_budget, validate_sdg_limit


def place_all(budget, units):
    """Place one dot after another on `units` [(unit, kind)], as a participant would;
    returns the placed list and the code of every refused dot (None when accepted)."""
    placed, outcomes = [], []
    for unit, kind in units:
        try:
            budget.check_place(placed, unit, kind)
        except RuleError as error:
            outcomes.append(error.code)
            continue
        placed.append((unit, kind, 1))
        outcomes.append(None)
    return placed, outcomes


def code_of(call, *args):
    with pytest.raises(RuleError) as caught:
        call(*args)
    return caught.value.code


# the budget


def test_defaults_are_five_dots_two_per_item_shared():
    budget = Budget()
    assert (budget.dots, budget.per_item, budget.separate) == (5, 2, False)
    assert budget.dots_left([]) == {"all": 5}


def test_participant_limit_refuses_the_dot_after_the_last():
    budget = Budget(dots=3, per_item=3)
    placed, outcomes = place_all(budget, [("i1", "barrier")] * 2 + [("i2", "enabler")] * 2)
    assert outcomes == [None, None, None, "no_dots_left"]
    assert budget.dots_left(placed) == {"all": 0}


def test_item_limit_refuses_a_third_dot_on_one_unit():
    budget = Budget(dots=5, per_item=2)
    placed, outcomes = place_all(budget, [("i1", "barrier")] * 3 + [("i2", "barrier")])
    assert outcomes == [None, None, "item_limit", None]
    assert budget.dots_left(placed) == {"all": 2}


def test_item_limit_counts_every_item_of_a_merged_unit():
    # a group's items all share the unit key: dots on two of its items add up
    budget = Budget(dots=5, per_item=2)
    placed = [("g7", "barrier", 1), ("g7", "barrier", 1)]
    assert code_of(budget.check_place, placed, "g7", "barrier") == "item_limit"
    budget.check_place(placed, "g8", "barrier")  # another unit is fine


def test_no_dots_left_is_reported_before_the_item_limit():
    budget = Budget(dots=2, per_item=2)
    placed = [("i1", "barrier", 2)]
    assert code_of(budget.check_place, placed, "i1", "barrier") == "no_dots_left"


def test_shared_budget_is_one_pool_for_barriers_and_enablers():
    budget = Budget(dots=2, per_item=1, separate=False)
    assert budget.pools() == ("all",)
    assert {budget.pool("barrier"), budget.pool("enabler")} == {"all"}
    placed, outcomes = place_all(budget, [("i1", "barrier"), ("i2", "barrier"), ("i3", "enabler")])
    assert outcomes == [None, None, "no_dots_left"]
    assert budget.dots_left(placed) == {"all": 0}


def test_separate_budgets_give_each_kind_its_own_dots():
    budget = Budget(dots=2, per_item=1, separate=True)
    assert budget.pools() == ("barrier", "enabler")
    assert budget.dots_left([]) == {"barrier": 2, "enabler": 2}
    units = [("i1", "barrier"), ("i2", "barrier"), ("i3", "barrier")]
    units += [("i4", "enabler"), ("i5", "enabler"), ("i6", "enabler")]
    placed, outcomes = place_all(budget, units)
    assert outcomes == [None, None, "no_dots_left", None, None, "no_dots_left"]
    assert budget.dots_left(placed) == {"barrier": 0, "enabler": 0}


def test_separate_budget_spent_on_barriers_leaves_enablers_free():
    budget = Budget(dots=1, per_item=1, separate=True)
    placed = [("i1", "barrier", 1)]
    assert code_of(budget.check_place, placed, "i2", "barrier") == "no_dots_left"
    budget.check_place(placed, "i3", "enabler")
    assert budget.dots_left(placed) == {"barrier": 0, "enabler": 1}


def test_taking_a_dot_back_frees_it():
    budget = Budget(dots=2, per_item=2)
    placed = [("i1", "barrier", 2)]
    assert code_of(budget.check_place, placed, "i2", "barrier") == "no_dots_left"
    Budget.check_remove(placed, "i1")
    placed.append(("i1", "barrier", -1))
    assert budget.dots_left(placed) == {"all": 1}
    budget.check_place(placed, "i2", "barrier")
    budget.check_place(placed, "i1", "barrier")  # back under the item limit too


def test_taking_back_needs_a_dot_on_that_unit():
    assert code_of(Budget.check_remove, [], "i1") == "no_dot_here"
    assert code_of(Budget.check_remove, [("i2", "barrier", 1)], "i1") == "no_dot_here"
    # placed and taken back again: nothing left to take
    assert code_of(Budget.check_remove, [("i1", "barrier", 1), ("i1", "barrier", -1)], "i1") == (
        "no_dot_here"
    )
    Budget.check_remove([("g3", "enabler", 1)], "g3")


def test_dots_left_sums_per_pool():
    placed = [("i1", "barrier", 2), ("i2", "enabler", 1), ("i1", "barrier", -1)]
    assert Budget(dots=5, separate=False).dots_left(placed) == {"all": 3}
    assert Budget(dots=5, separate=True).dots_left(placed) == {"barrier": 4, "enabler": 4}


def test_check_place_accepts_any_iterable():
    budget = Budget(dots=1, per_item=1)
    placed = iter([("i1", "barrier", 1)])
    assert code_of(budget.check_place, placed, "i2", "barrier") == "no_dots_left"


# the facilitator's values


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ({"dots": 5, "per_item": 2}, Budget(5, 2, False)),
        ({"dots": "7", "per_item": " 3 "}, Budget(7, 3, False)),
        ({"dots": 1, "per_item": 1, "separate": True}, Budget(1, 1, True)),
        ({"dots": DOTS_MAX, "per_item": DOTS_MAX, "separate": "on"}, Budget(50, 50, True)),
        ({"dots": 3, "per_item": 3, "separate": "1"}, Budget(3, 3, True)),
        ({"dots": 3, "per_item": 3, "separate": "true"}, Budget(3, 3, True)),
        ({"dots": 3, "per_item": 3, "separate": "yes please"}, Budget(3, 3, False)),
        ({"dots": 3, "per_item": 3, "separate": False}, Budget(3, 3, False)),
    ],
)
def test_validate_budget_accepts(payload, expected):
    assert validate_budget(payload) == expected


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({}, {"dots": "invalid", "per_item": "invalid"}),
        ({"dots": 0, "per_item": 1}, {"dots": "invalid"}),
        ({"dots": DOTS_MAX + 1, "per_item": 1}, {"dots": "invalid"}),
        ({"dots": -3, "per_item": 1}, {"dots": "invalid"}),
        ({"dots": "-3", "per_item": 1}, {"dots": "invalid"}),
        ({"dots": 2.0, "per_item": 1}, {"dots": "invalid"}),
        ({"dots": True, "per_item": 1}, {"dots": "invalid"}),
        ({"dots": "five", "per_item": 1}, {"dots": "invalid"}),
        ({"dots": None, "per_item": 1}, {"dots": "invalid"}),
        ({"dots": [5], "per_item": 1}, {"dots": "invalid"}),
        ({"dots": 5, "per_item": 0}, {"per_item": "invalid"}),
        ({"dots": 5, "per_item": "2.5"}, {"per_item": "invalid"}),
        ({"dots": 5, "per_item": 6}, {"per_item": "above_budget"}),
        ({"dots": 0, "per_item": 0}, {"dots": "invalid", "per_item": "invalid"}),
    ],
)
def test_validate_budget_refuses(payload, fields):
    with pytest.raises(RuleError) as caught:
        validate_budget(payload)
    assert caught.value.code == "invalid"
    # every expected field is named; a too-small budget may also flag per_item above it
    assert caught.value.fields.items() >= fields.items()
    assert set(caught.value.fields.values()) <= {"invalid", "above_budget"}


def test_only_the_bad_field_is_named():
    with pytest.raises(RuleError) as caught:
        validate_budget({"dots": 5, "per_item": 0})
    assert caught.value.fields == {"per_item": "invalid"}


def test_validate_budget_refuses_superscript_digits_as_a_field_error():
    """str.isdigit() holds for superscripts, which int() cannot read: such a form value must
    come back as a field error, not as an unhandled ValueError (a server_error ack)."""
    with pytest.raises(RuleError) as caught:
        validate_budget({"dots": "5\u00b2", "per_item": 1})
    assert caught.value.fields == {"dots": "invalid"}


def test_validate_sdg_limit_refuses_superscript_digits_as_a_rule_error():
    with pytest.raises(RuleError) as caught:
        validate_sdg_limit("\u00b2")
    assert caught.value.fields == {"sdg_limit": "invalid"}


@pytest.mark.parametrize("value", [1, 3, SDG_PICKS_MAX, "2", " 17 "])
def test_validate_sdg_limit_accepts(value):
    assert validate_sdg_limit(value) == int(value)


@pytest.mark.parametrize("value", [0, -1, SDG_PICKS_MAX + 1, "0", "18", "x", "", None, 2.0, True])
def test_validate_sdg_limit_refuses(value):
    with pytest.raises(RuleError) as caught:
        validate_sdg_limit(value)
    assert caught.value.code == "invalid"
    assert caught.value.fields == {"sdg_limit": "invalid"}


def test_sdg_pick_limit():
    check_sdg_pick(0, 1)
    check_sdg_pick(2, 3)
    assert code_of(check_sdg_pick, 3, 3) == "sdg_limit"
    assert code_of(check_sdg_pick, 4, 3) == "sdg_limit"
