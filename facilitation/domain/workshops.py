"""What a valid workshop, session and facilitator account are."""

import datetime as dt
import re
from dataclasses import dataclass

from .fields import FieldErrors

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


def validate_workshop(payload):
    check = FieldErrors()
    title = check.text(payload, "title", TITLE_MAX)
    try:
        date = dt.date.fromisoformat(payload.get("date") or "")
    except (TypeError, ValueError):
        check.add("date", "invalid")
        date = None
    description = check.text(payload, "description", DESCRIPTION_MAX, False, single_line=False)
    check.raise_if_any()
    return WorkshopDraft(title, date, description)


def validate_session(payload, languages):
    """A session needs a name and one of `languages` (the locales with a catalogue)."""
    check = FieldErrors()
    name = check.text(payload, "name", SESSION_NAME_MAX)
    language = payload.get("language")
    if language not in languages:
        check.add("language", "unknown")
    check.raise_if_any()
    return SessionDraft(name, language)


def validate_account(payload):
    check = FieldErrors()
    name = check.text(payload, "name", ACCOUNT_NAME_MAX)
    email = check.text(payload, "email", 254).lower()
    if "email" not in check.errors and not EMAIL_RE.match(email):
        check.add("email", "invalid")
    elif check.errors.get("email") in ("required", "too_long"):
        check.errors["email"] = "invalid"
    password = payload.get("password") or ""
    if not isinstance(password, str):
        check.add("password", "invalid")
    elif len(password) < PASSWORD_MIN:
        check.add("password", "too_short", PASSWORD_MIN)
    elif len(password) > PASSWORD_MAX:
        check.add("password", "too_long", PASSWORD_MAX)
    check.raise_if_any()
    return AccountDraft(name, email, password)
