"""Error pages: each HTTP error the app answers, in its layout and the viewer's language.

create_app registers `register`; every view's errors (and Flask-WTF's CSRF refusal, a 400)
come here. Socket.IO never does: its errors are acknowledgements (i18n.error_payload).
"""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from .extensions import db
from .i18n import ERRORS

PAGES = {
    400: (_l("Request not understood"), ERRORS["bad_request"]),
    403: (_l("Not allowed"), _l("This page is not open to you. Sign in with another account.")),
    404: (
        _l("Page not found"),
        _l("There is no page at this address. Check the address, or start again."),
    ),
    405: (_l("Request not understood"), _l("This page cannot be used this way.")),
    413: (_l("Too large"), _l("What you sent is too large. Shorten it and try again.")),
    429: (_l("Too many attempts"), ERRORS["rate_limited"]),
    500: (
        _l("Something went wrong"),
        _l("Something went wrong on the server. Please try again in a moment."),
    ),
}
CSRF_MESSAGE = _l("This form has expired. Go back, reload the page and send it again.")


def register(app):
    for code in PAGES:
        app.register_error_handler(code, error_page)


def error_page(error):
    """The page for an HTTP error (`error.code`; a 500 for anything unhandled)."""
    code = error.code if getattr(error, "code", None) in PAGES else 500
    if code == 500:
        db.session.rollback()  # the page reads the signed-in facilitator again
    heading, message = PAGES[code]
    if isinstance(error, CSRFError):
        message = CSRF_MESSAGE
    page = render_template("error.html", heading=heading, message=message, code=code)
    allowed = getattr(error, "valid_methods", None)  # a 405 says which methods the page takes
    return page, code, [("Allow", ", ".join(allowed))] if allowed else []
