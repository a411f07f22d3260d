"""The field types payloads are declared with, and the one translation of pydantic's
ValidationError into the app's RuleError("invalid", {field: code}, {field: limit}).

A field type is a plain validator: it receives the raw value (`MISSING` when the key is
absent), returns the cleaned value or raises `fail(code)`. Codes are the API's field codes
(docs/api.md 5.3): "required", "invalid", "too_long", "too_short", "unknown", ...
"""

import datetime as dt
import functools
import re
from collections.abc import Mapping
from enum import Enum
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, PlainValidator, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from ..domain.errors import RuleError
from ..domain.links import without_bidi_controls
from ..domain.taxonomy import taxonomy
from .limits import EMAIL_MAX, ID_MAX, LIMITS, PASSWORD_MIN

FIELD_CODES = ("required", "invalid", "too_long", "too_short", "unknown", "taken", "above_budget")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # NUL, and surrogates not in a pair


class _Missing(Enum):
    MISSING = "missing"


MISSING = _Missing.MISSING  # what a field type receives for an absent key


def fail(code, limit=None):
    """The error a field type raises: `code` is the field code, `limit` the broken length."""
    return PydanticCustomError(code, code, {"limit": limit} if limit is not None else None)


def field(check, hint=Any):
    """A field of type `hint` checked by `check(value)` (or `check(value, context)`), absent
    keys included (they arrive as MISSING)."""
    if check.__code__.co_argcount == 2:
        validator = PlainValidator(lambda value, info: check(value, info.context or {}))
    else:
        validator = PlainValidator(check)
    return Annotated[hint, validator, Field(default=MISSING, validate_default=True)]


# --- text --------------------------------------------------------------------------


def clean_text(value, limit, required=True, single_line=True):
    """The cleaned text ("" when absent); `null`, a non-string, or text no database stores
    (a NUL, a lone surrogate) is invalid. Single-line texts have runs of whitespace folded
    into one space; others are only trimmed."""
    if value is MISSING:
        value = ""
    if not isinstance(value, str) or UNSTORABLE.search(value):
        raise fail("invalid")
    value = " ".join(value.split()) if single_line else value.strip()
    if required and not value:
        raise fail("required")
    if len(value) > limit:
        raise fail("too_long", limit)
    return value


def SingleLineText(limit, required=True):  # noqa: N802 (a type)
    """Text on one line, at most LIMITS[limit] characters (read when a payload is checked)."""
    return field(lambda value: clean_text(value, LIMITS[limit], required), str)


def MultiLineText(limit, required=False):  # noqa: N802 (a type)
    """Text whose line breaks are kept, at most LIMITS[limit] characters."""
    return field(lambda value: clean_text(value, LIMITS[limit], required, single_line=False), str)


def _link(value):
    """Optional: `null`, absent and "" mean none; else an http(s) URL with a host."""
    link = clean_text(without_bidi_controls(value or ""), LIMITS["initiative.link"], False)
    parts = urlsplit(link)
    if link and (parts.scheme not in ("http", "https") or not parts.netloc or " " in link):
        raise fail("invalid")
    return link


def _email(value):
    """Any problem with an email is `invalid`; stored in lower case."""
    try:
        email = clean_text(value, EMAIL_MAX).lower()
    except PydanticCustomError:
        raise fail("invalid") from None
    if not EMAIL_RE.match(email):
        raise fail("invalid")
    return email


def _password(value):
    """Taken as it is (no trimming); absent or empty is too short."""
    password = value if value is not MISSING and value else ""
    if not isinstance(password, str):
        raise fail("invalid")
    if len(password) < PASSWORD_MIN:
        raise fail("too_short", PASSWORD_MIN)
    if len(password) > LIMITS["account.password"]:
        raise fail("too_long", LIMITS["account.password"])
    return password


def _date(value):
    """A `YYYY-MM-DD` date (a date itself stays as it is)."""
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value if value is not MISSING and value else "")
    except (TypeError, ValueError):
        raise fail("invalid") from None


Link = field(_link, str)
Email = field(_email, str)
Password = field(_password, str)
IsoDate = field(_date, dt.date)


# --- ids ---------------------------------------------------------------------------


def is_id(value):
    """True for a plain positive integer a database id can be (never a bool or a float)."""
    return type(value) is int and 0 < value <= ID_MAX


def _client_id(value):
    """The idempotency key a client makes up: a string of 1 to LIMITS["client_id"]."""
    if not isinstance(value, str) or not 0 < len(value) <= LIMITS["client_id"]:
        raise fail("invalid")
    if UNSTORABLE.search(value):
        raise fail("invalid")
    return value


ClientId = field(_client_id, str)
# an id a lookup may use, else None: the lookup then answers not_found, never invalid
MaybeId = field(lambda value: value if is_id(value) else None, int | None)


def _required_id(value):
    if value is MISSING or value is None:
        raise fail("required")
    if not is_id(value):
        raise fail("invalid")
    return value


Id = field(_required_id, int)


# --- codes -------------------------------------------------------------------------


def _axis(value):
    """Required axis code: absent or empty is `required`, anything else unknown `unknown`."""
    if value is MISSING or not value:
        raise fail("required")
    if value not in taxonomy().axis_codes:
        raise fail("unknown")
    return value


def _optional_axis(value):
    """An axis code, or None for absent, `null` or ""."""
    if value is MISSING or not value:
        return None
    if value not in taxonomy().axis_codes:
        raise fail("unknown")
    return value


def _sdgs(value):
    """A non-empty list of SDG numbers; duplicates dropped, sorted."""
    if not isinstance(value, (list, tuple)):
        raise fail("invalid")
    if not value:
        raise fail("required")
    known = set(taxonomy().sdg_numbers)
    if any(type(n) is not int or n not in known for n in value):
        raise fail("unknown")
    return tuple(sorted(set(value)))


def _sdg(value):
    if type(value) is not int or value not in taxonomy().sdg_numbers:
        raise fail("unknown")
    return value


def one_of(choices, name=None):
    """A required code among `choices` (absent or empty: `required`, else `unknown`)."""

    def check(value):
        if value is MISSING or not value:
            raise fail("required")
        if value not in choices:
            raise fail("unknown")
        return value

    return field(check, str)


def _bool(value):
    if not isinstance(value, bool):
        raise fail("invalid")
    return value


Axis = field(_axis, str)
OptionalAxis = field(_optional_axis, str | None)
Sdgs = field(_sdgs, tuple[int, ...])
Sdg = field(_sdg, int)
Bool = field(_bool, bool)


# --- checking a payload ------------------------------------------------------------


def check(schema, payload, context=None, first_only=False):
    """`payload` (a dict, or a form's MultiDict: first values) validated by `schema`, or
    RuleError("invalid", fields, limits): every wrong field at once (the first one only
    with `first_only`). A payload that is no object at all is RuleError("invalid")."""
    if not isinstance(payload, Mapping):
        raise RuleError("invalid")
    try:
        return _adapter(schema).validate_python(dict(payload.items()), context=context)
    except ValidationError as error:
        raise rule_error(error, first_only) from None


def rule_error(error, first_only=False):
    """The RuleError for a pydantic ValidationError: field -> code (the first per field),
    field -> limit for too_long / too_short."""
    fields, limits = {}, {}
    for problem in error.errors():
        if not problem["loc"]:
            raise RuleError("invalid")
        name = str(problem["loc"][0])
        if name in fields:
            continue
        code = problem["type"]
        fields[name] = code if code in FIELD_CODES else "invalid"
        limit = (problem.get("ctx") or {}).get("limit")
        if limit is not None:
            limits[name] = limit
        if first_only:
            break
    return RuleError("invalid", fields, limits)


def problems_error(title, problems):
    """A ValidationError made of `problems` (as `ValidationError.errors()` lists them), for
    a schema's own rule across its fields (a wrap model validator) to report with the rest."""
    return ValidationError.from_exception_data(
        title,
        [
            {
                "type": PydanticCustomError(p["type"], p["type"], p.get("ctx")),
                "loc": p["loc"],
                "input": p.get("input"),
            }
            for p in problems
        ],
    )


@functools.cache
def _adapter(schema):
    return TypeAdapter(schema)
