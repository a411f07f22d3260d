"""Who may join a session: a display name, a city or organisation, a country."""

from dataclasses import dataclass

from .errors import RuleError

NAME_MAX = 60
ORGANISATION_MAX = 120
COUNTRY_MAX = 60


@dataclass(frozen=True)
class ParticipantDraft:
    display_name: str
    organisation: str
    country: str


def _field(payload, key, limit, errors):
    value = payload.get(key, "")
    if not isinstance(value, str):
        errors[key] = "invalid"
        return ""
    value = " ".join(value.split())
    if not value:
        errors[key] = "required"
    elif len(value) > limit:
        errors[key] = "too_long"
    return value


def validate_participant(payload):
    """Return a ParticipantDraft, or raise RuleError('invalid', fields)."""
    errors = {}
    draft = ParticipantDraft(
        _field(payload, "display_name", NAME_MAX, errors),
        _field(payload, "organisation", ORGANISATION_MAX, errors),
        _field(payload, "country", COUNTRY_MAX, errors),
    )
    if errors:
        limits = {
            "display_name": NAME_MAX,
            "organisation": ORGANISATION_MAX,
            "country": COUNTRY_MAX,
        }
        raise RuleError("invalid", errors, limits)
    return draft
