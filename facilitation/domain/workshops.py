"""What a valid workshop, session and facilitator account are."""

import datetime as dt
import re
from dataclasses import dataclass

from .errors import RuleError

TITLE_MAX = 160
DESCRIPTION_MAX = 2000
SESSION_NAME_MAX = 80
PASSWORD_MIN = 10
PASSWORD_MAX = 200
ACCOUNT_NAME_MAX = 80
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
        raise RuleError("invalid", errors, {"title": TITLE_MAX, "description": DESCRIPTION_MAX})
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
        raise RuleError("invalid", errors, {"name": SESSION_NAME_MAX})
    return SessionDraft(name, language)


def validate_account(payload):
    errors = {}
    name = _line(payload.get("name"))
    if not name:
        errors["name"] = "required"
    elif len(name) > ACCOUNT_NAME_MAX:
        errors["name"] = "too_long"
    email = _line(payload.get("email")).lower()
    if not EMAIL_RE.match(email) or len(email) > 254:
        errors["email"] = "invalid"
    password = payload.get("password") or ""
    if len(password) < PASSWORD_MIN:
        errors["password"] = "too_short"
    elif len(password) > PASSWORD_MAX:
        errors["password"] = "too_long"
    if errors:
        limit = PASSWORD_MIN if errors.get("password") == "too_short" else PASSWORD_MAX
        raise RuleError("invalid", errors, {"name": ACCOUNT_NAME_MAX, "password": limit})
    return AccountDraft(name, email, password)
