"""Participants over HTTP: joining by code or link, the session page, language, cookies."""

import json
import re

import pytest
from conftest import join, translated

from facilitation.extensions import db
from facilitation.models import Participant, Session
from facilitation.services import workshops
from facilitation.unit_of_work import work

UNKNOWN = "There is no session with this code. Check the code and try again."
PEOPLE = {"display_name": "Bo", "organisation": "Oslo", "country": "Norway"}


def html_lang(response):
    return re.search(r'<html lang="([^"]+)"', response.text).group(1)


def page_data(response):
    found = re.search(
        r'<script type="application/json" id="page-data">(.*?)</script>', response.text
    )
    return json.loads(found.group(1))


def participant_count(app):
    with app.app_context():
        return db.session.query(Participant).count()


def test_home_page_offers_the_code_form(client):
    response = client.get("/")
    assert response.status_code == 200 and 'name="code"' in response.text


@pytest.mark.parametrize("typed", ["{code}", "{lower}", " {lower} ", "{a}-{b}"])
def test_code_is_case_insensitive(client, workshop, typed):
    code = workshop["en"]["code"]
    entry = typed.format(code=code, lower=code.lower(), a=code[:3].lower(), b=code[3:])
    response = client.post("/", data={"code": entry})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/j/{code}"


def test_join_link_in_lower_case_redirects_to_the_canonical_one(client, workshop):
    code = workshop["es"]["code"]
    response = client.get(f"/j/{code.lower()}")
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{code}"


@pytest.mark.parametrize("code", ["ZZZZZZ", "ACDEFG", "", "O0O0O0"])
def test_unknown_code_is_404_with_a_message(client, workshop, code):
    response = client.post("/", data={"code": code})
    assert response.status_code == 404
    assert UNKNOWN in response.text


def test_unknown_join_link_is_404(client, workshop):
    response = client.get("/j/ACDEFG")
    assert response.status_code == 404 and UNKNOWN in response.text


def test_unknown_code_message_in_spanish(client, workshop):
    response = client.post("/", data={"code": "ACDEFG"}, headers={"Accept-Language": "es"})
    assert response.status_code == 404
    assert html_lang(response) == "es"
    # the Spanish sentence once the catalogue has it, the English one until then
    assert translated(UNKNOWN) in response.text


def test_closed_session_refuses_new_participants(app, client, workshop):
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, workshop["en"]["id"]), "closed")
    response = client.post("/", data={"code": workshop["en"]["code"]})
    assert response.status_code == 404
    assert "This session has ended and no longer accepts participants." in response.text
    response = client.post(f"/j/{workshop['en']['code']}", data=PEOPLE)
    assert response.status_code == 404
    assert participant_count(app) == 0


def test_join_form_shows_the_session(client, workshop):
    response = client.get(f"/j/{workshop['es']['code']}")
    assert response.status_code == 200
    assert "Grupo español" in response.text and "Smart Cities Study" in response.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "This field is required."),
        ({**PEOPLE, "display_name": "   "}, "This field is required."),
        ({**PEOPLE, "display_name": "x" * 61}, "Use at most 60 characters."),
        ({**PEOPLE, "organisation": "x" * 121}, "Use at most 120 characters."),
    ],
)
def test_join_form_validation(app, client, workshop, data, message):
    response = client.post(f"/j/{workshop['en']['code']}", data=data)
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert participant_count(app) == 0
    with client.session_transaction() as cookie:
        assert not cookie.get("participants")


def test_join_lands_on_the_session_page(app, client, workshop):
    code = workshop["en"]["code"]
    response = client.post(f"/j/{code}", data=PEOPLE)
    assert response.status_code == 302 and response.headers["Location"] == f"/s/{code}"
    page = client.get(f"/s/{code}")
    assert page.status_code == 200
    with app.app_context():
        person = db.session.query(Participant).one()
        assert (person.display_name, person.organisation, person.country) == (
            "Bo",
            "Oslo",
            "Norway",
        )
    assert page_data(page)["participant_id"] == person.id
    assert page_data(page)["session_id"] == workshop["en"]["id"]


def test_participant_page_is_in_the_sessions_language(client, workshop):
    join(client, workshop["es"]["code"])
    page = client.get(f"/s/{workshop['es']['code']}")
    assert page.status_code == 200
    assert html_lang(page) == "es"
    data = page_data(page)
    assert data["text_lang"] == "es"
    # taxonomy names come in the page's language whatever the catalogue holds
    assert data["taxonomy"]["sdgs"][0]["name"] == "Fin de la pobreza"


def test_session_language_beats_the_browser_language(client, workshop):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    join(client, workshop["en"]["code"])
    page = client.get(f"/s/{workshop['en']['code']}")
    assert html_lang(page) == "en"


def test_language_switch(client, workshop):
    code = workshop["es"]["code"]
    join(client, code)
    response = client.post("/language", data={"lang": "en", "next": f"/s/{code}"})
    assert response.status_code == 302 and response.headers["Location"] == f"/s/{code}"
    page = client.get(f"/s/{code}")
    assert html_lang(page) == "en"
    assert page_data(page)["taxonomy"]["sdgs"][0]["name"] == "No Poverty"
    # a chosen language is kept when joining another session
    join(client, workshop["es"]["code"], name="Again")
    assert html_lang(client.get(f"/s/{code}")) == "en"


def test_language_switch_ignores_unknown_languages(client, workshop):
    code = workshop["es"]["code"]
    join(client, code)
    client.post("/language", data={"lang": "de", "next": f"/s/{code}"})
    assert html_lang(client.get(f"/s/{code}")) == "es"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", ""])
def test_language_switch_stays_on_this_site(client, target):
    response = client.post("/language", data={"lang": "es", "next": target})
    assert response.headers["Location"] == "/"


def test_reload_keeps_the_participant(app, client, workshop):
    code = workshop["en"]["code"]
    participant_id = join(client, code)
    first = page_data(client.get(f"/s/{code}"))
    second = page_data(client.get(f"/s/{code}"))
    assert first["participant_id"] == second["participant_id"] == participant_id
    # opening the join link again goes back to the board instead of joining twice
    response = client.get(f"/j/{code}")
    assert response.status_code == 302 and response.headers["Location"] == f"/s/{code}"
    assert participant_count(app) == 1


def test_session_page_without_joining_goes_to_the_join_form(client, workshop):
    code = workshop["en"]["code"]
    response = client.get(f"/s/{code}")
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{code}"


def test_joining_one_session_does_not_open_another(client, workshop):
    join(client, workshop["en"]["code"])
    other = workshop["es"]["code"]
    response = client.get(f"/s/{other}")
    assert response.status_code == 302 and response.headers["Location"] == f"/j/{other}"


def test_a_forged_participant_id_for_another_session_is_refused(app, client, workshop):
    other_browser = app.test_client()
    es_participant = join(other_browser, workshop["es"]["code"])
    with client.session_transaction() as cookie:
        cookie["participants"] = {str(workshop["en"]["id"]): es_participant}
    response = client.get(f"/s/{workshop['en']['code']}")
    assert response.status_code == 302


def test_participant_text_is_escaped(client, workshop):
    join(client, workshop["en"]["code"], name="<b>Bo</b>", organisation="<script>x</script>")
    page = client.get(f"/s/{workshop['en']['code']}")
    assert "<script>x</script>" not in page.text and "<b>Bo</b>" not in page.text
    assert "&lt;b&gt;Bo&lt;/b&gt;" in page.text


def test_the_manifest_makes_the_app_installable(client):
    """The manifest names the app in the viewer's language, starts at the code form and
    lists icons that exist, at the sizes it says."""
    from io import BytesIO

    from PIL import Image

    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["name"] == "Focus groups" and manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    purposes = set()
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200, icon
        assert served.mimetype == icon["type"], icon
        purposes.add(icon["purpose"])
        if icon["type"] == "image/png":
            width, height = Image.open(BytesIO(served.data)).size
            assert f"{width}x{height}" == icon["sizes"], icon
        served.close()
    assert {"any", "maskable"} <= purposes
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}


def test_the_manifest_speaks_the_chosen_language(client):
    client.post("/language", data={"lang": "fr", "next": "/"})
    manifest = client.get("/manifest.webmanifest").get_json(force=True)
    assert manifest["lang"] == "fr"
    assert manifest["description"] == translated(
        "Take part in a focus group from your phone.", "fr"
    )


def test_participant_pages_link_the_manifest(client, workshop):
    for path in ("/", f"/j/{workshop['en']['code']}"):
        assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get(path).text
