"""Barriers and enablers: what a valid proposal is, which items may merge, unit keys. No app."""

import pytest

from facilitation.domain.errors import RuleError
from facilitation.domain.items import KINDS, check_mergeable, unit_key
from facilitation.schemas import LIMITS, ItemDraft, validate_item

TEXT_MAX = LIMITS["item.text"]


def fields_of(payload):
    with pytest.raises(RuleError) as caught:
        validate_item(payload)
    assert caught.value.code == "invalid"
    return caught.value.fields


def test_kinds_and_limit():
    assert KINDS == ("barrier", "enabler")
    assert TEXT_MAX == 280


@pytest.mark.parametrize("kind", ["barrier", "enabler"])
def test_a_valid_item_without_axis(kind):
    assert validate_item({"text": "Slow procurement", "kind": kind}) == ItemDraft(
        "Slow procurement", kind, None
    )


@pytest.mark.parametrize("axis", [None, ""])
def test_an_empty_axis_means_no_axis(axis):
    assert validate_item({"text": "x", "kind": "barrier", "axis": axis}).axis is None


def test_a_known_axis_is_kept():
    assert validate_item({"text": "x", "kind": "enabler", "axis": "mobility"}).axis == "mobility"


@pytest.mark.parametrize("axis", ["space", "Mobility", 3, ["mobility"]])
def test_an_unknown_axis_is_refused(axis):
    assert fields_of({"text": "x", "kind": "barrier", "axis": axis}) == {"axis": "unknown"}


def test_text_of_exactly_280_characters_is_accepted():
    text = "é" * TEXT_MAX
    assert validate_item({"text": text, "kind": "barrier"}).text == text


def test_text_of_281_characters_is_too_long():
    assert fields_of({"text": "a" * (TEXT_MAX + 1), "kind": "barrier"}) == {"text": "too_long"}


def test_whitespace_is_collapsed_before_counting():
    text = "  Slow \n\t procurement  " + " " * 400
    assert validate_item({"text": text, "kind": "barrier"}).text == "Slow procurement"
    long_words = " ".join(["ab"] * 94)  # 94 * 2 + 93 spaces = 281
    assert fields_of({"text": long_words, "kind": "barrier"}) == {"text": "too_long"}
    assert validate_item({"text": long_words[:-3], "kind": "barrier"})


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_blank_text_is_required(text):
    assert fields_of({"text": text, "kind": "barrier"}) == {"text": "required"}


def test_missing_text_is_required():
    assert fields_of({"kind": "barrier"}) == {"text": "required"}


@pytest.mark.parametrize("text", [None, 5, ["x"], {"t": 1}])
def test_non_string_text_is_invalid(text):
    assert fields_of({"text": text, "kind": "barrier"}) == {"text": "invalid"}


@pytest.mark.parametrize(("kind", "code"), [(None, "required"), ("", "required")])
def test_missing_kind(kind, code):
    assert fields_of({"text": "x", "kind": kind}) == {"kind": code}


@pytest.mark.parametrize("kind", ["Barrier", "driver", "barriers", 1])
def test_unknown_kind(kind):
    assert fields_of({"text": "x", "kind": kind}) == {"kind": "unknown"}


def test_every_bad_field_is_reported_at_once():
    assert fields_of({"text": "", "kind": "x", "axis": "y"}) == {
        "text": "required",
        "kind": "unknown",
        "axis": "unknown",
    }


@pytest.mark.parametrize("payload", [None, "text", ["barrier"], 3])
def test_a_non_dict_payload_is_invalid(payload):
    with pytest.raises(RuleError) as caught:
        validate_item(payload)
    assert caught.value.code == "invalid"
    assert caught.value.fields == {}


# merging


@pytest.mark.parametrize("kinds", [["barrier", "barrier"], ["enabler"] * 4])
def test_items_of_one_kind_merge(kinds):
    assert check_mergeable(kinds) is None


@pytest.mark.parametrize("kinds", [[], ["barrier"]])
def test_merging_needs_two_items(kinds):
    with pytest.raises(RuleError) as caught:
        check_mergeable(kinds)
    assert caught.value.code == "invalid"
    assert caught.value.fields == {"item_ids": "too_short"}


@pytest.mark.parametrize("kinds", [["barrier", "enabler"], ["enabler", "enabler", "barrier"]])
def test_barriers_and_enablers_do_not_merge(kinds):
    with pytest.raises(RuleError) as caught:
        check_mergeable(kinds)
    assert caught.value.code == "mixed_kinds"


def test_unit_key_is_the_group_or_the_item():
    assert unit_key(12, None) == "i12"
    assert unit_key(12, 0) == "i12"
    assert unit_key(12, 3) == "g3"
    assert unit_key(13, 3) == unit_key(12, 3)
