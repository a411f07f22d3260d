"""What a valid initiative is (dynamic one)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import RuleError
from .taxonomy import taxonomy

TITLE_MAX = 120
DESCRIPTION_MAX = 1000
LINK_MAX = 500


@dataclass(frozen=True)
class InitiativeDraft:
    title: str
    description: str
    axis: str
    sdgs: tuple
    link: str


def _text(value):
    return " ".join(value.split()) if isinstance(value, str) else None


def _check_title(title, errors):
    if title is None:
        errors["title"] = "invalid"
    elif not title:
        errors["title"] = "required"
    elif len(title) > TITLE_MAX:
        errors["title"] = "too_long"


def _check_description(description, errors):
    if description is None:
        errors["description"] = "invalid"
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = "too_long"


def _check_axis(axis, errors):
    if not axis:
        errors["axis"] = "required"
    elif axis not in taxonomy().axis_codes:
        errors["axis"] = "unknown"


def _clean_sdgs(raw, errors):
    if not isinstance(raw, (list, tuple)):
        errors["sdgs"] = "invalid"
        return ()
    if not raw:
        errors["sdgs"] = "required"
        return ()
    known = set(taxonomy().sdg_numbers)
    if any(type(n) is not int or n not in known for n in raw):
        errors["sdgs"] = "unknown"
        return ()
    return tuple(sorted(set(raw)))


def _check_link(link, errors):
    if link is None:
        errors["link"] = "invalid"
    elif link:
        parts = urlsplit(link)
        if len(link) > LINK_MAX:
            errors["link"] = "too_long"
        elif parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            errors["link"] = "invalid"


def validate_initiative(payload):
    """Return a clean InitiativeDraft from a client payload, or raise RuleError('invalid')."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    errors = {}
    title = _text(payload.get("title", ""))
    description = payload.get("description", "")
    description = description.strip() if isinstance(description, str) else None
    axis = payload.get("axis")
    link = payload.get("link", "") or ""
    link = link.strip() if isinstance(link, str) else None
    _check_title(title, errors)
    _check_description(description, errors)
    _check_axis(axis, errors)
    sdgs = _clean_sdgs(payload.get("sdgs"), errors)
    _check_link(link, errors)
    if errors:
        limits = {"title": TITLE_MAX, "description": DESCRIPTION_MAX, "link": LINK_MAX}
        raise RuleError("invalid", errors, limits)
    return InitiativeDraft(title, description, axis, sdgs, link)
