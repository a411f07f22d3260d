"""Error pages: 400 (and the CSRF refusal), 403, 404, 405, 413, 429 and 500 answer a page
in the app's layout and the viewer's language, with a way back to the start page."""

import html

import pytest
from conftest import make_app, translated
from flask import abort
from sqlalchemy import text

from facilitation.extensions import db

LANGUAGES = ("en", "es", "fr")
BACK = "Back to the start page"
PAGES = {
    400: ("Request not understood", "The request could not be understood."),
    403: ("Not allowed", "This page is not open to you. Sign in with another account."),
    404: (
        "Page not found",
        "There is no page at this address. Check the address, or start again.",
    ),
    405: ("Request not understood", "This page cannot be used this way."),
    413: ("Too large", "What you sent is too large. Shorten it and try again."),
    429: ("Too many attempts", "Too many attempts. Please wait a minute and try again."),
    500: (
        "Something went wrong",
        "Something went wrong on the server. Please try again in a moment.",
    ),
}
CSRF = "This form has expired. Go back, reload the page and send it again."


@pytest.fixture
def error_app(tmp_path):
    """CSRF, rate limits and error handling as in production (exceptions become a 500 page),
    plus one route that answers any code: nothing in the app refuses with a plain 400 or a
    403 today, and the page must exist when something does."""
    app = make_app(
        tmp_path,
        TESTING=False,
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=True,
        JOIN_RATE_LIMIT="1 per minute",
    )
    app.add_url_rule("/refuse/<int:code>", "refuse", lambda code: abort(code))
    return app


def trigger(app, client, code):
    """The response to a request that really ends in `code`."""
    if code in (400, 403):
        return client.get(f"/refuse/{code}")
    if code == 404:
        return client.get("/no-such-page")
    if code == 405:
        return client.get("/logout")
    if code == 413:
        return client.post("/", data={"code": "x" * (65 * 1024)})
    if code == 429:
        app.config["WTF_CSRF_ENABLED"] = False
        client.post("/", data={"code": "ACDEFG"})
        return client.post("/", data={"code": "ACDEFG"})
    with app.app_context():
        db.session.execute(text("DROP TABLE sessions"))
        db.session.commit()
    return client.get("/j/ACDEFG")


def assert_page(response, code, lang, heading, message):
    page = html.unescape(response.text)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert f'<html lang="{lang}">' in page
    assert 'class="site-header"' in page  # the app's layout
    assert f"<h1>{translated(heading, lang)}</h1>" in page
    assert f'<p role="alert">{translated(message, lang)}</p>' in page
    assert f'<a href="/">{translated(BACK, lang)}</a>' in page


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("code", sorted(PAGES))
def test_each_error_has_a_page_in_the_viewers_language(error_app, code, lang):
    client = error_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    heading, message = PAGES[code]
    assert_page(trigger(error_app, client, code), code, lang, heading, message)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_form_without_its_csrf_token_says_to_reload(error_app, lang):
    client = error_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    response = client.post("/login", data={"email": "a@example.org", "password": "x"})
    assert_page(response, 400, lang, PAGES[400][0], CSRF)


def test_the_chosen_language_wins_over_the_browsers(error_app):
    client = error_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "fr"
    with client.session_transaction() as session:
        session["lang"] = "es"
    assert_page(client.get("/nowhere"), 404, "es", *PAGES[404])


def test_a_method_not_allowed_names_the_methods_allowed(error_app):
    response = error_app.test_client().get("/logout")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"POST", "OPTIONS"}


def test_the_health_check_stays_json(error_app):
    assert error_app.test_client().get("/healthz").json == {"ok": True}
