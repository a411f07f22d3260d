"""Security defaults that docs/security.md promises and no other suite pins down: cookie
flags, how passwords and one-time links are stored, where the secret key comes from, the
sign-in rate limit, the upload limit and local-only redirects."""

import hashlib
import io
import stat

import pytest
from conftest import PASSWORD, join, make_app, make_facilitator

from facilitation.config import load_config
from facilitation.extensions import db
from facilitation.models import AccountToken, Facilitator
from facilitation.services import accounts, workshops
from facilitation.unit_of_work import work


def set_cookie_headers(response):
    return response.headers.getlist("Set-Cookie")


def session_cookie(response):
    found = [h for h in set_cookie_headers(response) if h.startswith("session=")]
    assert len(found) == 1, set_cookie_headers(response)
    return found[0]


def attributes(header):
    """{lower-cased attribute name: value or True} of one Set-Cookie header."""
    parts = [p.strip() for p in header.split(";")[1:]]
    return {p.split("=", 1)[0].lower(): (p.split("=", 1)[1] if "=" in p else True) for p in parts}


def test_the_participant_cookie_is_http_only_lax_and_lasts_30_days(app, workshop):
    browser = app.test_client()
    response = browser.post(
        f"/j/{workshop['en']['code']}",
        data={"display_name": "Bo", "organisation": "Oslo", "country": "Norway"},
    )
    assert response.status_code == 302
    cookie = attributes(session_cookie(response))
    assert cookie["httponly"] is True  # no script can read the participant token
    assert cookie["samesite"] == "Lax"  # not sent with other sites' form posts
    assert cookie["path"] == "/"
    assert "secure" not in cookie  # plain HTTP by default (SECURE_COOKIES unset)
    assert "expires" in cookie  # permanent: PERMANENT_SESSION_LIFETIME, 30 days
    assert app.config["PERMANENT_SESSION_LIFETIME"] == 60 * 60 * 24 * 30


def test_secure_cookies_when_served_over_https(tmp_path, monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    app = make_app(tmp_path)
    make_facilitator(app)
    response = app.test_client().post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    cookie = attributes(session_cookie(response))
    assert cookie["secure"] is True and cookie["httponly"] is True


def test_signing_in_sets_no_remember_me_cookie(app, facilitator):
    response = app.test_client().post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    names = [h.split("=", 1)[0] for h in set_cookie_headers(response)]
    assert names == ["session"]
    assert "expires" not in attributes(session_cookie(response))  # ends with the browser


@pytest.mark.scrypt
def test_passwords_are_stored_as_salted_hashes(app):
    make_facilitator(app)
    make_facilitator(app, email="bo@example.org", name="Bo")  # same password
    with app.app_context():
        hashes = [f.password_hash for f in db.session.query(Facilitator).order_by(Facilitator.id)]
    assert all(PASSWORD not in h for h in hashes)
    assert all(h.startswith("scrypt:") for h in hashes), hashes
    assert hashes[0] != hashes[1]  # salted
    assert hashes[0] != hashes[1]  # salted: the same password hashes differently
    client = app.test_client()
    wrong = client.post("/login", data={"email": "ana@example.org", "password": "guess"})
    assert wrong.status_code == 401
    right = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert right.status_code == 302


def test_one_time_links_are_stored_as_hashes_and_work_once(app):
    with app.app_context(), work():
        token = accounts.invite("new@example.org", "New")
        stored = [t.token_hash for t in db.session.query(AccountToken)]
    assert stored == [hashlib.sha256(token.encode()).hexdigest()]
    assert token not in stored
    client = app.test_client()
    data = {"name": "New", "email": "new@example.org", "password": "a long password"}
    assert client.post(f"/setup/{token}", data=data).status_code == 302
    assert app.test_client().get(f"/setup/{token}").status_code == 404  # spent


def test_the_secret_key_comes_from_the_environment_or_a_private_instance_file(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance"
    first = load_config(str(instance), {})["SECRET_KEY"]
    kept = instance / "secret_key"
    assert kept.read_text().strip() == first and len(first) >= 32
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # readable by the server's user only
    assert load_config(str(instance), {})["SECRET_KEY"] == first  # kept across restarts
    other = load_config(str(tmp_path / "elsewhere"), {})["SECRET_KEY"]
    assert other != first  # made fresh for each instance, never a built-in default
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert load_config(str(instance), {})["SECRET_KEY"] == "from-the-environment"


@pytest.fixture
def login_limited(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    make_facilitator(app)
    return app


def test_sign_in_attempts_are_rate_limited(login_limited):
    client = login_limited.test_client()
    guesses = [
        client.post("/login", data={"email": "ana@example.org", "password": f"guess{n}"})
        for n in range(3)
    ]
    assert [r.status_code for r in guesses] == [401] * 3
    # the fourth attempt is refused before the password is even checked
    right = client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_an_upload_larger_than_the_import_limit_is_refused(tmp_path):
    app = make_app(tmp_path, IMPORT_MAX_BYTES=2_000)
    make_facilitator(app)
    client = app.test_client()
    client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    response = client.post(
        "/facilitator/import", data={"file": (io.BytesIO(b"{" + b" " * 5_000 + b"}"), "w.json")}
    )
    assert response.status_code == 413
    with app.app_context():
        assert workshops.workshops_for(db.session.query(Facilitator).one()) == []


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example/x", "evil"])
def test_redirects_after_sign_in_and_language_change_stay_on_this_site(app, facilitator, target):
    client = app.test_client()
    response = client.post(
        f"/login?next={target}", data={"email": "ana@example.org", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/facilitator/"
    response = client.post("/language", data={"lang": "es", "next": target})
    assert response.headers["Location"] == "/"


def test_a_participant_token_only_opens_its_own_session(app, workshop):
    """The cookie maps session id -> participant id, and is signed: a participant of one
    session, even editing what they can read of it, is not a participant of another."""
    browser = app.test_client()
    join(browser, workshop["en"]["code"])
    assert browser.get(f"/s/{workshop['en']['code']}").status_code == 200
    other = browser.get(f"/s/{workshop['es']['code']}")
    assert other.status_code == 302 and other.headers["Location"] == f"/j/{workshop['es']['code']}"
    # a cookie whose signature does not match is ignored
    value = browser.get_cookie("session").value
    forged = app.test_client()
    forged.set_cookie("session", value[:-2] + ("AA" if not value.endswith("AA") else "BB"))
    assert forged.get(f"/s/{workshop['en']['code']}").status_code == 302
