"""Who may join a session: a display name, a city or organisation, a country."""

from dataclasses import dataclass

from .fields import FieldErrors

NAME_MAX = 60
ORGANISATION_MAX = 120
COUNTRY_MAX = 60


@dataclass(frozen=True)
class ParticipantDraft:
    display_name: str
    organisation: str
    country: str


def validate_participant(payload):
    """Return a ParticipantDraft, or raise RuleError('invalid', fields)."""
    check = FieldErrors()
    draft = ParticipantDraft(
        check.text(payload, "display_name", NAME_MAX),
        check.text(payload, "organisation", ORGANISATION_MAX),
        check.text(payload, "country", COUNTRY_MAX),
    )
    check.raise_if_any()
    return draft
