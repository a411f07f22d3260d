"""Initiative validation (dynamic one): every rule of the `InitiativeDraft` schema, no app."""

import pytest

from facilitation.domain.errors import RuleError
from facilitation.schemas import LIMITS, InitiativeDraft, validate_initiative

TITLE_MAX = LIMITS["initiative.title"]
DESCRIPTION_MAX = LIMITS["initiative.description"]
LINK_MAX = LIMITS["initiative.link"]

VALID = {
    "title": "Bike lanes",
    "description": "Protected lanes",
    "axis": "mobility",
    "sdgs": [11],
}


def payload(**changes):
    return {**VALID, **changes}


def fields_of(data):
    """The field -> code map of the RuleError raised for `data`."""
    with pytest.raises(RuleError) as caught:
        validate_initiative(data)
    assert caught.value.code == "invalid"
    return caught.value.fields


def test_valid_payload_gives_a_clean_draft():
    draft = validate_initiative(payload(link="https://example.org/bikes"))
    assert draft == InitiativeDraft(
        "Bike lanes", "Protected lanes", "mobility", (11,), "https://example.org/bikes"
    )


def test_optional_fields_default_to_empty():
    draft = validate_initiative({"title": "T", "axis": "economy", "sdgs": [1]})
    assert draft.description == "" and draft.link == ""


@pytest.mark.parametrize("data", [None, [], "title", 42, ("a", "b")])
def test_non_dict_payload_is_invalid(data):
    with pytest.raises(RuleError) as caught:
        validate_initiative(data)
    assert caught.value.code == "invalid"


# title


@pytest.mark.parametrize("title", ["", "   ", "\n\t "])
def test_title_is_required(title):
    assert fields_of(payload(title=title)) == {"title": "required"}


def test_missing_title_is_required():
    data = payload()
    del data["title"]
    assert fields_of(data) == {"title": "required"}


def test_title_whitespace_is_collapsed():
    assert validate_initiative(payload(title="  Bike \n\t lanes  ")).title == "Bike lanes"


def test_title_at_limit_is_accepted_and_one_more_is_too_long():
    assert len(validate_initiative(payload(title="x" * TITLE_MAX)).title) == TITLE_MAX
    assert fields_of(payload(title="x" * (TITLE_MAX + 1))) == {"title": "too_long"}


def test_title_limit_counts_collapsed_whitespace():
    padded = "  " + "x " * (TITLE_MAX // 2) + "   "
    assert len(validate_initiative(payload(title=padded)).title) == TITLE_MAX - 1


@pytest.mark.parametrize("title", [None, 5, ["a"], {"a": 1}])
def test_title_of_wrong_type_is_invalid(title):
    assert fields_of(payload(title=title)) == {"title": "invalid"}


def test_title_limit_is_120():
    assert TITLE_MAX == 120


# description


def test_description_is_stripped_but_keeps_inner_lines():
    draft = validate_initiative(payload(description="  one\ntwo  "))
    assert draft.description == "one\ntwo"


def test_description_at_limit_and_over():
    assert DESCRIPTION_MAX == 1000
    assert len(validate_initiative(payload(description="d" * 1000)).description) == 1000
    assert fields_of(payload(description="d" * 1001)) == {"description": "too_long"}


@pytest.mark.parametrize("description", [None, 3, ["x"]])
def test_description_of_wrong_type_is_invalid(description):
    assert fields_of(payload(description=description)) == {"description": "invalid"}


# axis


@pytest.mark.parametrize(
    "axis", ["economy", "mobility", "environment", "citizenship", "quality", "governance"]
)
def test_each_of_the_six_axes_is_accepted(axis):
    assert validate_initiative(payload(axis=axis)).axis == axis


@pytest.mark.parametrize("axis", [None, ""])
def test_axis_is_required(axis):
    assert fields_of(payload(axis=axis)) == {"axis": "required"}


@pytest.mark.parametrize("axis", ["Mobility", "transport", " mobility", 3, ["mobility"]])
def test_unknown_axis_is_refused(axis):
    assert fields_of(payload(axis=axis)) == {"axis": "unknown"}


# sdgs


def test_sdgs_are_deduplicated_and_sorted():
    assert validate_initiative(payload(sdgs=[17, 3, 11, 3, 17])).sdgs == (3, 11, 17)


def test_every_sdg_from_1_to_17_is_accepted():
    assert validate_initiative(payload(sdgs=list(range(1, 18)))).sdgs == tuple(range(1, 18))


@pytest.mark.parametrize("sdgs", [[], ()])
def test_sdgs_must_not_be_empty(sdgs):
    assert fields_of(payload(sdgs=sdgs)) == {"sdgs": "required"}


@pytest.mark.parametrize("sdgs", [None, "11", 11, {"11": True}])
def test_sdgs_must_be_a_list(sdgs):
    assert fields_of(payload(sdgs=sdgs)) == {"sdgs": "invalid"}


@pytest.mark.parametrize("sdgs", [[0], [18], [-1], [11, 99], ["11"], [11.0], [None]])
def test_sdgs_outside_1_to_17_or_not_ints_are_unknown(sdgs):
    assert fields_of(payload(sdgs=sdgs)) == {"sdgs": "unknown"}


@pytest.mark.parametrize("sdgs", [[True], [False], [1, True]])
def test_bool_is_not_an_sdg_number(sdgs):
    assert fields_of(payload(sdgs=sdgs)) == {"sdgs": "unknown"}


# link


@pytest.mark.parametrize("link", ["http://example.org", "https://example.org/a?b=c#d"])
def test_http_and_https_links_are_accepted(link):
    assert validate_initiative(payload(link=link)).link == link


def test_link_is_stripped_and_none_means_no_link():
    assert validate_initiative(payload(link="  https://x.org  ")).link == "https://x.org"
    assert validate_initiative(payload(link=None)).link == ""


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://example.org/file",
        "data:text/html,hi",
        "example.org",
        "//example.org",
        "https://",
        "https://exa mple.org",
        "mailto:a@example.org",
    ],
)
def test_other_links_are_invalid(link):
    assert fields_of(payload(link=link)) == {"link": "invalid"}


@pytest.mark.parametrize("link", [5, ["https://x.org"]])
def test_link_of_wrong_type_is_invalid(link):
    assert fields_of(payload(link=link)) == {"link": "invalid"}


def test_link_at_limit_and_over():
    base = "https://example.org/"
    assert LINK_MAX == 500
    at_limit = base + "a" * (LINK_MAX - len(base))
    assert validate_initiative(payload(link=at_limit)).link == at_limit
    assert fields_of(payload(link=at_limit + "a")) == {"link": "too_long"}


def test_all_errors_are_reported_together():
    bad = {"title": "", "description": "d" * 1001, "axis": "x", "sdgs": [], "link": "ftp://x"}
    assert fields_of(bad) == {
        "title": "required",
        "description": "too_long",
        "axis": "unknown",
        "sdgs": "required",
        "link": "invalid",
    }
