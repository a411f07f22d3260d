"""What a valid workshop, session and facilitator account are."""

import datetime as dt
import re
from dataclasses import dataclass

from .errors import RuleError

TITLE_MAX = 160
DESCRIPTION_MAX = 2000
SESSION_NAME_MAX = 80
PASSWORD_MIN = 10
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class WorkshopDraft:
    title: str
    date: dt.date
    description: str


@dataclass(frozen=True)
class SessionDraft:
    name: str
    language: str


@dataclass(frozen=True)
class AccountDraft:
    name: str
    email: str
    password: str


def _line(value):
    return " ".join(value.split()) if isinstance(value, str) else ""


def validate_workshop(payload):
    errors = {}
    title = _line(payload.get("title"))
    if not title:
        errors["title"] = "required"
    elif len(title) > TITLE_MAX:
        errors["title"] = "too_long"
    try:
        date = dt.date.fromisoformat(payload.get("date") or "")
    except (TypeError, ValueError):
        errors["date"] = "invalid"
        date = None
    description = (payload.get("description") or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = "too_long"
    if errors:
        raise RuleError("invalid", errors)
    return WorkshopDraft(title, date, description)


def validate_session(payload, languages):
    """A session needs a name and one of `languages` (the locales with a catalogue)."""
    errors = {}
    name = _line(payload.get("name"))
    if not name:
        errors["name"] = "required"
    elif len(name) > SESSION_NAME_MAX:
        errors["name"] = "too_long"
    language = payload.get("language")
    if language not in languages:
        errors["language"] = "unknown"
    if errors:
        raise RuleError("invalid", errors)
    return SessionDraft(name, language)


def validate_account(payload):
    errors = {}
    name = _line(payload.get("name"))
    if not name:
        errors["name"] = "required"
    elif len(name) > 80:
        errors["name"] = "too_long"
    email = _line(payload.get("email")).lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = "invalid"
    password = payload.get("password") or ""
    if len(password) < PASSWORD_MIN:
        errors["password"] = "too_short"
    elif len(password) > 200:
        errors["password"] = "too_long"
    if errors:
        raise RuleError("invalid", errors)
    return AccountDraft(name, email, password)
