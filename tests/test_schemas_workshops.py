"""Workshops, sessions and facilitator accounts: validation rules, no app."""

import datetime as dt

import pytest

from facilitation.domain.errors import RuleError
from facilitation.schemas import (
    LIMITS,
    PASSWORD_MIN,
    AccountDraft,
    SessionDraft,
    WorkshopDraft,
    validate_account,
    validate_session,
    validate_workshop,
)

SESSION_NAME_MAX = LIMITS["session.name"]
TITLE_MAX = LIMITS["workshop.title"]

LANGUAGES = ["en", "es"]


def fields_of(validate, *args):
    with pytest.raises(RuleError) as caught:
        validate(*args)
    assert caught.value.code == "invalid"
    return caught.value.fields


# workshop


def test_valid_workshop():
    draft = validate_workshop(
        {"title": "  Smart  Cities ", "date": "2026-05-10", "description": " About \n"}
    )
    assert draft == WorkshopDraft("Smart Cities", dt.date(2026, 5, 10), "About")


def test_workshop_description_is_optional():
    assert validate_workshop({"title": "T", "date": "2026-05-10"}).description == ""


def test_workshop_needs_title_and_date():
    assert fields_of(validate_workshop, {}) == {"title": "required", "date": "invalid"}


@pytest.mark.parametrize("date", ["10/05/2026", "2026-13-01", "tomorrow", "", None, 20260510])
def test_workshop_date_must_be_iso(date):
    assert fields_of(validate_workshop, {"title": "T", "date": date}) == {"date": "invalid"}


def test_workshop_title_and_description_limits():
    assert TITLE_MAX == 160
    ok = validate_workshop({"title": "t" * 160, "date": "2026-05-10", "description": "d" * 2000})
    assert len(ok.title) == 160
    too_long = {"title": "t" * 161, "date": "2026-05-10", "description": "d" * 2001}
    assert fields_of(validate_workshop, too_long) == {
        "title": "too_long",
        "description": "too_long",
    }


def test_workshop_title_of_wrong_type_is_invalid():
    assert fields_of(validate_workshop, {"title": 5, "date": "2026-05-10"}) == {"title": "invalid"}


# session


def test_valid_session():
    assert validate_session({"name": " Grupo  es ", "language": "es"}, LANGUAGES) == SessionDraft(
        "Grupo es", "es"
    )


@pytest.mark.parametrize("language", ["fr", "EN", "", None, "en-GB"])
def test_session_language_must_be_offered(language):
    fields = fields_of(validate_session, {"name": "G", "language": language}, LANGUAGES)
    assert fields == {"language": "unknown"}


def test_session_language_list_is_the_callers():
    assert validate_session({"name": "G", "language": "fr"}, ["fr"]).language == "fr"


def test_session_name_required_and_limited():
    assert SESSION_NAME_MAX == 80
    assert fields_of(validate_session, {"name": " ", "language": "en"}, LANGUAGES) == {
        "name": "required"
    }
    assert validate_session({"name": "n" * 80, "language": "en"}, LANGUAGES).name == "n" * 80
    assert fields_of(validate_session, {"name": "n" * 81, "language": "en"}, LANGUAGES) == {
        "name": "too_long"
    }


# account


def account(**changes):
    return {"name": "Ana", "email": "ana@example.org", "password": "p" * PASSWORD_MIN, **changes}


def test_valid_account_lowercases_email():
    draft = validate_account(account(email="  Ana@Example.ORG "))
    assert draft == AccountDraft("Ana", "ana@example.org", "p" * PASSWORD_MIN)


@pytest.mark.parametrize(
    "email", ["", "ana", "ana@", "@example.org", "ana@example", "a na@example.org", None]
)
def test_account_email_must_look_like_one(email):
    assert fields_of(validate_account, account(email=email)) == {"email": "invalid"}


def test_account_email_longer_than_254_is_invalid():
    email = "a" * 250 + "@x.org"
    assert fields_of(validate_account, account(email=email)) == {"email": "invalid"}


def test_account_password_length():
    assert PASSWORD_MIN == 10
    short = "p" * (PASSWORD_MIN - 1)
    assert fields_of(validate_account, account(password=short)) == {"password": "too_short"}
    assert fields_of(validate_account, account(password=None)) == {"password": "too_short"}
    assert validate_account(account(password="p" * 200)).password == "p" * 200
    assert fields_of(validate_account, account(password="p" * 201)) == {"password": "too_long"}


def test_account_password_is_not_stripped():
    assert validate_account(account(password="  spaced pw  ")).password == "  spaced pw  "


def test_account_name_required_and_limited():
    assert fields_of(validate_account, account(name="")) == {"name": "required"}
    assert fields_of(validate_account, account(name="n" * 81)) == {"name": "too_long"}
