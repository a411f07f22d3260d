"""Locale choice and every sentence the server sends or a script shows, in one catalogue."""

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l

from .domain import initiatives, participants, workshops

ERRORS = {
    "invalid": _l("Please correct the highlighted fields."),
    "bad_request": _l("The request could not be understood."),
    "phase_closed": _l("Initiatives are closed in this session: nothing was saved."),
    "not_found": _l("This item no longer exists or is not yours to see."),
    "forbidden": _l("You can only change your own initiatives."),
    "unauthorized": _l("Please join the session or sign in first."),
    "unknown_code": _l("There is no session with this code. Check the code and try again."),
    "session_closed": _l("This session has ended and no longer accepts participants."),
    "token_invalid": _l("This link has already been used or is no longer valid."),
    "bad_credentials": _l("The email or password is not correct."),
    "rate_limited": _l("Too many attempts. Please wait a minute and try again."),
    "unavailable": _l("The server could not do this right now. Please try again."),
    "server_error": _l("Something went wrong on the server. Your work is kept; try again."),
}

FIELD_ERRORS = {
    "required": _l("This field is required."),
    "too_long": _l("Use at most %(max)s characters."),
    "too_short": _l("Use at least %(min)s characters."),
    "invalid": _l("This value is not valid."),
    "unknown": _l("Choose one of the options offered."),
    "taken": _l("An account with this email already exists."),
}

# the length limits named in "too_long" / "too_short" messages
LIMITS = {
    "title": initiatives.TITLE_MAX,
    "description": initiatives.DESCRIPTION_MAX,
    "link": initiatives.LINK_MAX,
    "display_name": participants.NAME_MAX,
    "organisation": participants.ORGANISATION_MAX,
    "country": participants.COUNTRY_MAX,
    "name": workshops.SESSION_NAME_MAX,
    "password": workshops.PASSWORD_MIN,
}

FIELD_OVERRIDES = {
    ("sdgs", "required"): _l("Choose at least one SDG."),
    ("axis", "required"): _l("Choose one axis."),
    ("link", "invalid"): _l("Enter a full web address starting with http:// or https://."),
    ("date", "invalid"): _l("Enter a date."),
    ("email", "invalid"): _l("Enter a valid email address."),
}


def field_message(field, code):
    if (field, code) in FIELD_OVERRIDES:
        return str(FIELD_OVERRIDES[(field, code)])
    limit = LIMITS.get(field, "")
    return str(FIELD_ERRORS.get(code, FIELD_ERRORS["invalid"])) % {"max": limit, "min": limit}


def error_payload(error):
    """The `{"error": ...}` acknowledgement for a RuleError, in the caller's language."""
    return {
        "error": {
            "code": error.code,
            "message": str(ERRORS.get(error.code, ERRORS["bad_request"])),
            "fields": {
                field: {"code": code, "message": field_message(field, code)}
                for field, code in error.fields.items()
            },
        }
    }


def select_locale():
    """The language the viewer chose, else the best match for their browser."""
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


# every sentence a script shows; pages embed them as JSON (see _js_strings.html)
JS_STRINGS = {
    "connecting": _l("Connecting…"),
    "online": _l("Connected: all saved"),
    "offline": _l("Offline: your work is kept and will be sent when the connection returns"),
    "pending": _l("Sending saved changes: %(count)s"),
    "phase_lobby": _l("Initiatives are not open yet. The facilitator will open them shortly."),
    "phase_initiatives": _l("Initiatives are open: share the good practices of your city."),
    "phase_closed": _l("This session is closed. Thank you for taking part."),
    "posted": _l("Your initiative was posted."),
    "updated": _l("Your initiative was updated."),
    "withdrawn": _l("Your initiative was withdrawn."),
    "queued": _l("Saved on this device. It will be sent when the connection returns."),
    "failed_queued": _l("A change you made offline could not be saved: %(message)s"),
    "new_initiatives": _l("New initiatives on the board: %(count)s"),
    "edit": _l("Edit"),
    "withdraw": _l("Withdraw"),
    "confirm_withdraw": _l("Withdraw this initiative? It will disappear from the board."),
    "save_changes": _l("Save changes"),
    "post": _l("Post initiative"),
    "editing": _l("Editing your initiative. Save or cancel."),
    "by": _l("%(name)s, %(organisation)s (%(country)s)"),
    "empty_axis": _l("No initiatives yet."),
    "sdg": _l("SDG %(number)s"),
    "sdgs_label": _l("Sustainable Development Goals"),
    "link": _l("Web link"),
    "opens_new_window": _l("(opens in a new tab)"),
    "count_initiatives": _l("Initiatives: %(count)s"),
    "required_title": _l("This field is required."),
    "required_axis": _l("Choose one axis."),
    "required_sdgs": _l("Choose at least one SDG."),
    "error_generic": _l("Something went wrong on the server. Your work is kept; try again."),
    "open": _l("Open initiatives"),
    "close": _l("Close initiatives"),
    "phase_name_lobby": _l("Not started"),
    "phase_name_initiatives": _l("Initiatives open"),
    "phase_name_closed": _l("Closed"),
    "combined": _l("All sessions combined"),
    "total": _l("Total"),
}


def js_strings():
    """JS_STRINGS in the current locale, placeholders left for the script to fill."""
    return {key: str(text) for key, text in JS_STRINGS.items()}
