"""Facilitator pages: creating workshops and sessions, validation messages, QR codes."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conftest import make_facilitator, sign_in

from facilitation.domain.join_codes import normalise_join_code
from facilitation.extensions import db
from facilitation.models import Session, Workshop

ROOT = Path(__file__).resolve().parent.parent


def test_index_lists_own_workshops(facilitator_client, workshop):
    page = facilitator_client.get("/facilitator/")
    assert page.status_code == 200
    assert "Smart Cities Study" in page.text


def test_index_hides_other_facilitators_workshops(app, workshop):
    make_facilitator(app, email="other@example.org", name="Other")
    page = sign_in(app.test_client(), "other@example.org").get("/facilitator/")
    assert page.status_code == 200 and "Smart Cities Study" not in page.text


def test_create_workshop(app, facilitator_client):
    response = facilitator_client.post(
        "/facilitator/workshops/new",
        data={"title": "Focus group", "date": "2026-06-01", "description": "Porto"},
    )
    assert response.status_code == 302
    with app.app_context():
        found = db.session.query(Workshop).one()
        assert (found.title, found.date.isoformat(), found.description) == (
            "Focus group",
            "2026-06-01",
            "Porto",
        )
        assert [f.email for f in found.facilitators] == ["ana@example.org"]
    assert response.headers["Location"] == f"/facilitator/workshops/{found.id}"
    page = facilitator_client.get(response.headers["Location"])
    assert page.status_code == 200 and "Focus group" in page.text


def test_create_workshop_shows_errors_and_keeps_input(app, facilitator_client):
    response = facilitator_client.post(
        "/facilitator/workshops/new", data={"title": "", "date": "soon", "description": "Kept"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Enter a date." in response.text
    assert "Please correct the highlighted fields." in response.text
    assert ">Kept</textarea>" in response.text
    with app.app_context():
        assert db.session.query(Workshop).count() == 0


def test_add_session_gets_a_join_code(app, facilitator_client, workshop):
    url = f"/facilitator/workshops/{workshop['id']}/sessions"
    response = facilitator_client.post(url, data={"name": "Second English", "language": "en"})
    assert response.status_code == 302
    with app.app_context():
        added = db.session.query(Session).filter_by(name="Second English").one()
        code, language, phase = added.join_code, added.language, added.phase
    assert language == "en" and phase == "lobby"
    assert normalise_join_code(code) == code
    assert code not in (workshop["en"]["code"], workshop["es"]["code"])
    page = facilitator_client.get(f"/facilitator/workshops/{workshop['id']}")
    assert code in page.text and f"/j/{code}" in page.text


def test_add_session_shows_errors(app, facilitator_client, workshop):
    url = f"/facilitator/workshops/{workshop['id']}/sessions"
    response = facilitator_client.post(url, data={"name": " ", "language": "en"})
    assert response.status_code == 400
    assert "This field is required." in response.text
    with app.app_context():
        assert db.session.query(Session).count() == 2


def test_languages_are_english_and_each_catalogue(app):
    """English is the source language; every translations/<lang> folder adds one."""
    folders = sorted(p.name for p in (ROOT / "translations").iterdir() if p.is_dir())
    assert app.config["LANGUAGES"] == ["en", *[f for f in folders if f != "en"]]
    assert {"en", "es"} <= set(app.config["LANGUAGES"])


@pytest.mark.parametrize("language", ["de", "", "EN", "xx"])
def test_other_session_languages_are_refused(app, facilitator_client, workshop, language):
    url = f"/facilitator/workshops/{workshop['id']}/sessions"
    response = facilitator_client.post(url, data={"name": "Groupe", "language": language})
    assert response.status_code == 400
    assert "Choose one of the options offered." in response.text
    with app.app_context():
        assert db.session.query(Session).count() == 2


def test_another_facilitators_workshop_is_404(app, workshop):
    make_facilitator(app, email="other@example.org", name="Other")
    other = sign_in(app.test_client(), "other@example.org")
    assert other.get(f"/facilitator/workshops/{workshop['id']}").status_code == 404
    url = f"/facilitator/workshops/{workshop['id']}/sessions"
    assert other.post(url, data={"name": "Sneaky", "language": "en"}).status_code == 404
    with app.app_context():
        assert db.session.query(Session).filter_by(name="Sneaky").count() == 0


def test_unknown_workshop_is_404(facilitator_client):
    assert facilitator_client.get("/facilitator/workshops/999").status_code == 404


def test_qr_code_is_an_svg_of_the_join_link(facilitator_client, workshop):
    code = workshop["es"]["code"]
    response = facilitator_client.get(f"/facilitator/sessions/{workshop['es']['id']}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = ET.fromstring(response.data)  # noqa: S314  (our own server's output)
    assert root.tag.rsplit("}", 1)[-1] == "svg"
    assert len(list(root.iter())) > 1  # it draws something
    assert f"/j/{code}" in response.text
    assert "private" in response.headers["Cache-Control"]


def test_qr_code_uses_public_url_when_set(app, facilitator_client, workshop):
    app.config["PUBLIC_URL"] = "https://groups.example.org"
    response = facilitator_client.get(f"/facilitator/sessions/{workshop['en']['id']}/qr.svg")
    assert f"https://groups.example.org/j/{workshop['en']['code']}" in response.text


def test_qr_code_of_another_facilitators_session_is_404(app, workshop):
    make_facilitator(app, email="other@example.org", name="Other")
    other = sign_in(app.test_client(), "other@example.org")
    assert other.get(f"/facilitator/sessions/{workshop['en']['id']}/qr.svg").status_code == 404


def test_qr_code_of_unknown_session_is_404(facilitator_client, workshop):
    assert facilitator_client.get("/facilitator/sessions/999/qr.svg").status_code == 404
