"""Who may join a session: `validate_participant` rules, no app."""

import pytest

from facilitation.domain.errors import RuleError
from facilitation.schemas import LIMITS, ParticipantDraft, validate_participant

NAME_MAX = LIMITS["participant.display_name"]
ORGANISATION_MAX = LIMITS["participant.organisation"]
COUNTRY_MAX = LIMITS["participant.country"]

VALID = {"display_name": "Bo", "organisation": "Oslo", "country": "Norway"}


def fields_of(data):
    with pytest.raises(RuleError) as caught:
        validate_participant(data)
    assert caught.value.code == "invalid"
    return caught.value.fields


def test_valid_participant_with_whitespace_collapsed():
    draft = validate_participant(
        {"display_name": "  Bo  Ek ", "organisation": "City of\tOslo", "country": " Norway\n"}
    )
    assert draft == ParticipantDraft("Bo Ek", "City of Oslo", "Norway")


def test_every_field_is_required():
    assert fields_of({}) == {
        "display_name": "required",
        "organisation": "required",
        "country": "required",
    }


@pytest.mark.parametrize("field", ["display_name", "organisation", "country"])
def test_blank_field_is_required(field):
    assert fields_of({**VALID, field: "  \t"}) == {field: "required"}


@pytest.mark.parametrize("field", ["display_name", "organisation", "country"])
def test_field_of_wrong_type_is_invalid(field):
    assert fields_of({**VALID, field: 7}) == {field: "invalid"}


@pytest.mark.parametrize(
    ("field", "limit"),
    [("display_name", NAME_MAX), ("organisation", ORGANISATION_MAX), ("country", COUNTRY_MAX)],
)
def test_length_limits(field, limit):
    assert getattr(validate_participant({**VALID, field: "a" * limit}), field) == "a" * limit
    assert fields_of({**VALID, field: "a" * (limit + 1)}) == {field: "too_long"}


def test_limits_are_60_120_60():
    assert (NAME_MAX, ORGANISATION_MAX, COUNTRY_MAX) == (60, 120, 60)
