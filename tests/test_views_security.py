"""Security by default over HTTP: headers, no inline scripts, join rate limit, CSRF, sdg.css."""

import re
from html.parser import HTMLParser

import pytest
from conftest import PASSWORD, csrf_token, join, make_app, make_facilitator, translated

from facilitation.domain.taxonomy import taxonomy
from facilitation.unit_of_work import work

RATE_LIMITED = "Too many attempts. Please wait a minute and try again."


class ScriptFinder(HTMLParser):
    """Collects <script> tags and inline event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.scripts, self.handlers = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        self.handlers += [name for name in attrs if name.startswith("on")]


def pages(app, workshop):
    """One page of each kind a visitor can open (the `facilitator` must exist)."""
    client, participant, facilitator_client = (app.test_client() for _ in range(3))
    join(participant, workshop["es"]["code"])
    facilitator_client.post("/login", data={"email": "ana@example.org", "password": PASSWORD})
    return [
        client.get("/"),
        client.get("/login"),
        client.get(f"/j/{workshop['en']['code']}"),
        participant.get(f"/s/{workshop['es']['code']}"),
        facilitator_client.get("/facilitator/"),
        facilitator_client.get(f"/facilitator/workshops/{workshop['id']}"),
    ]


def test_security_headers_on_every_page(app, client, workshop):
    for response in pages(app, workshop) + [client.get("/sdg.css")]:
        assert response.status_code == 200, response.request.path
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
        assert directives["script-src"] == "'self'"
        assert directives["object-src"] == "'none'"
        assert directives["frame-ancestors"] == "'none'"
        assert "*" not in csp
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_have_security_headers(client):
    response = client.get("/j/ACDEFG")
    assert response.status_code == 404
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def test_pages_have_no_inline_scripts(app, workshop):
    external = 0
    for response in pages(app, workshop):
        assert response.status_code == 200, response.request.path
        finder = ScriptFinder()
        finder.feed(response.text)
        for attrs in finder.scripts:
            assert attrs.get("src") or attrs.get("type") == "application/json", attrs
            external += bool(attrs.get("src"))
        assert finder.handlers == [], response.request.path
    assert external > 0  # the live pages do load their scripts, from files


def test_sdg_css_has_all_17_classes(client):
    response = client.get("/sdg.css")
    assert response.status_code == 200 and response.mimetype == "text/css"
    for sdg in taxonomy().sdgs:
        rule = re.search(rf"\.sdg-{sdg.number}\{{([^}}]*)\}}", response.text)
        assert rule, f"no .sdg-{sdg.number} rule"
        assert f"background:{sdg.colour}" in rule.group(1)
        assert f"color:{sdg.text_colour}" in rule.group(1)
    assert len(re.findall(r"\.sdg-\d+\{", response.text)) == 17


@pytest.fixture
def limited_app(tmp_path):
    """An app with rate limits on and a low join limit."""
    return make_app(tmp_path, RATELIMIT_ENABLED=True, JOIN_RATE_LIMIT="3 per minute")


def test_join_attempts_are_rate_limited(limited_app):
    client = limited_app.test_client()
    statuses = [client.post("/", data={"code": "ACDEFG"}).status_code for _ in range(3)]
    assert statuses == [404, 404, 404]
    response = client.post("/", data={"code": "ACDEFG"})
    assert response.status_code == 429
    assert RATE_LIMITED in response.text
    # reading the page is not limited
    assert client.get("/").status_code == 200


def test_rate_limit_page_is_translated(limited_app):
    client = limited_app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    for _ in range(3):
        client.post("/", data={"code": "ACDEFG"})
    response = client.post("/", data={"code": "ACDEFG"})
    assert response.status_code == 429
    assert '<html lang="es">' in response.text
    # the Spanish sentence once the catalogue has it, the English one until then
    assert translated(RATE_LIMITED) in response.text


def test_join_form_posts_are_rate_limited(limited_app):
    from facilitation.extensions import db
    from facilitation.models import Facilitator, Participant
    from facilitation.services import workshops

    make_facilitator(limited_app)
    with limited_app.app_context(), work():
        owner = db.session.query(Facilitator).one()
        found = workshops.create_workshop(owner, {"title": "W", "date": "2026-05-10"})
        code = workshops.add_session(found, {"name": "G", "language": "en"}, ["en"]).join_code
    client = limited_app.test_client()
    data = {"display_name": "Bo", "organisation": "Oslo", "country": "Norway"}
    assert [client.post(f"/j/{code}", data=data).status_code for _ in range(3)] == [302] * 3
    assert client.post(f"/j/{code}", data=data).status_code == 429
    with limited_app.app_context():
        assert db.session.query(Participant).count() == 3


@pytest.fixture
def csrf_app(tmp_path):
    return make_app(tmp_path, WTF_CSRF_ENABLED=True)


def test_csrf_is_enforced(csrf_app):
    make_facilitator(csrf_app)
    client = csrf_app.test_client()
    data = {"email": "ana@example.org", "password": PASSWORD}
    assert client.post("/login", data=data).status_code == 400
    assert client.post("/language", data={"lang": "es"}).status_code == 400
    assert client.post("/", data={"code": "ACDEFG"}).status_code == 400
    token = csrf_token(client.get("/login").text)
    assert client.post("/login", data={**data, "csrf_token": "forged"}).status_code == 400
    assert client.post("/login", data={**data, "csrf_token": token}).status_code == 302
    # signed in, a form post without the token is still refused
    response = client.post("/facilitator/workshops/new", data={"title": "W", "date": "2026-05-10"})
    assert response.status_code == 400
    assert client.post("/logout").status_code == 400
