"""Facilitator accounts over HTTP: the one-time setup link, signing in and out, login walls."""

import pytest
from conftest import PASSWORD, make_facilitator, sign_in

from facilitation.extensions import db
from facilitation.models import Facilitator, Session
from facilitation.services import accounts
from facilitation.unit_of_work import work

ACCOUNT = {"name": "Lead", "email": "lead@example.org", "password": "a long password"}


def setup_token(app):
    with app.app_context(), work():
        return accounts.issue_setup_token()


def test_setup_link_creates_the_first_facilitator_once(app, client):
    token = setup_token(app)
    assert client.get(f"/setup/{token}").status_code == 200
    response = client.post(f"/setup/{token}", data=ACCOUNT)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/facilitator/")
    # signed in straight away
    assert client.get("/facilitator/").status_code == 200
    with app.app_context():
        assert db.session.query(Facilitator).filter_by(email="lead@example.org").count() == 1
    # the link is spent
    assert client.get(f"/setup/{token}").status_code == 404
    assert app.test_client().post(f"/setup/{token}", data=ACCOUNT).status_code == 404


def test_setup_link_shows_errors_and_stays_usable(app, client):
    token = setup_token(app)
    response = client.post(f"/setup/{token}", data={**ACCOUNT, "password": "short"})
    assert response.status_code == 400
    assert "Use at least 10 characters." in response.text
    with app.app_context():
        assert db.session.query(Facilitator).count() == 0
    assert client.post(f"/setup/{token}", data=ACCOUNT).status_code == 302


def test_setup_link_is_refused_once_a_facilitator_exists(app, client):
    token = setup_token(app)
    make_facilitator(app)
    response = client.get(f"/setup/{token}")
    assert response.status_code == 404
    assert "This link has already been used or is no longer valid." in response.text
    assert client.post(f"/setup/{token}", data=ACCOUNT).status_code == 404
    with app.app_context():
        assert db.session.query(Facilitator).filter_by(email="lead@example.org").first() is None


def test_every_setup_link_works_until_a_facilitator_exists(app, client):
    """Each process of a deployment prints its own link: all work, until one is used."""
    old = setup_token(app)
    new = setup_token(app)
    assert client.get(f"/setup/{old}").status_code == 200
    assert client.get(f"/setup/{new}").status_code == 200
    form = {"name": "Ana", "email": "ana@example.org", "password": "correct horse battery"}
    assert client.post(f"/setup/{new}", data=form).status_code == 302
    assert client.get(f"/setup/{old}").status_code == 404


def test_unknown_setup_token_is_404(client):
    assert client.get("/setup/not-a-token").status_code == 404


def test_sign_in_and_out(client, facilitator):
    sign_in(client)
    assert client.get("/facilitator/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/facilitator/").status_code == 302


def test_email_is_case_insensitive(client, facilitator):
    response = client.post("/login", data={"email": " ANA@example.org ", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "data",
    [
        {"email": "ana@example.org", "password": "wrong password"},
        {"email": "nobody@example.org", "password": PASSWORD},
        {"email": "ana@example.org"},
        {},
    ],
)
def test_bad_credentials_are_401(client, facilitator, data):
    response = client.post("/login", data=data)
    assert response.status_code == 401
    assert "The email or password is not correct." in response.text
    assert client.get("/facilitator/").status_code == 302


def test_sign_in_goes_back_to_next_but_only_on_this_site(client, facilitator):
    data = {"email": "ana@example.org", "password": PASSWORD}
    response = client.post("/login?next=/facilitator/workshops/new", data=data)
    assert response.headers["Location"] == "/facilitator/workshops/new"
    for target in ("//evil.example/x", "https://evil.example/"):
        response = client.post(f"/login?next={target}", data=data)
        assert response.headers["Location"] == "/facilitator/"


@pytest.mark.parametrize(
    "path",
    [
        "/facilitator/",
        "/facilitator/workshops/new",
        "/facilitator/workshops/1",
        "/facilitator/sessions/1/qr.svg",
    ],
)
def test_facilitator_pages_redirect_to_sign_in(client, workshop, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_adding_a_session_needs_sign_in(app, client, workshop):
    response = client.post(
        f"/facilitator/workshops/{workshop['id']}/sessions", data={"name": "X", "language": "en"}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    with app.app_context():
        assert db.session.query(Session).count() == 2


def test_logout_needs_post(client, facilitator):
    sign_in(client)
    assert client.get("/logout").status_code == 405
    assert client.get("/facilitator/").status_code == 200
