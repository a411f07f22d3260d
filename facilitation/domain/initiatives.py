"""What a valid initiative is (dynamic one)."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from .errors import RuleError
from .fields import FieldErrors
from .links import without_bidi_controls
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


def _check_axis(axis, check):
    if not axis:
        check.add("axis", "required")
    elif axis not in taxonomy().axis_codes:
        check.add("axis", "unknown")


def _clean_sdgs(raw, check):
    if not isinstance(raw, (list, tuple)):
        check.add("sdgs", "invalid")
        return ()
    if not raw:
        check.add("sdgs", "required")
        return ()
    known = set(taxonomy().sdg_numbers)
    if any(type(n) is not int or n not in known for n in raw):
        check.add("sdgs", "unknown")
        return ()
    return tuple(sorted(set(raw)))


def _check_link(link, check):
    if link and "link" not in check.errors:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            check.add("link", "invalid")


def validate_initiative(payload):
    """Return a clean InitiativeDraft from a client payload, or raise RuleError('invalid')."""
    if not isinstance(payload, dict):
        raise RuleError("invalid")
    check = FieldErrors()
    title = check.text(payload, "title", TITLE_MAX)
    description = check.text(payload, "description", DESCRIPTION_MAX, False, single_line=False)
    raw_link = without_bidi_controls(payload.get("link") or "")
    link = check.text({**payload, "link": raw_link}, "link", LINK_MAX, False)
    axis = payload.get("axis")
    _check_axis(axis, check)
    sdgs = _clean_sdgs(payload.get("sdgs"), check)
    _check_link(link, check)
    check.raise_if_any()
    return InitiativeDraft(title, description, axis, sdgs, link)
