"""Participants' and facilitators' text is data, never markup or a formula.

A corpus of script-injection strings is posted as initiatives, barriers, participant names,
a workshop title and a session name, through the same forms and socket events real clients
use. Every server-rendered page shows it as literal text (no tag, no event handler comes
out of it), `javascript:` and other non-web links are refused, and the CSV, XLSX and JSON
exports carry the literal text (CSV cells that a spreadsheet would run as a formula get a
leading `'`). tests/e2e/test_browser_xss.py checks the pages that draw this text in the
browser.
"""

import io
import json
import re
import zipfile
from html.parser import HTMLParser

import openpyxl
import pytest
from conftest import emit, join, live_client
from exports_seed import read_csv_zip
from xss_corpus import (
    BAD_LINKS,
    CLOSER,
    CORPUS,
    FORMULAS,
    IFRAME,
    IMG,
    LINK,
    NAME,
    SCRIPT,
    SVG,
)

from facilitation.extensions import db
from facilitation.models import Initiative, Session


class Page(HTMLParser):
    """The parts of an HTML page that matter here: tags with attributes, visible text,
    attribute values, and the contents of <script> blocks."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.values, self.scripts = [], [], [], []
        self._in_script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.values += [value or "" for _, value in attrs]
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append([dict(attrs), ""])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = None

    def handle_data(self, data):
        if self._in_script is not None:
            self.scripts[-1][1] += data
        else:
            self.texts.append(data)

    @property
    def text(self):
        return "".join(self.texts)

    def assert_inert(self, where):
        """No markup came out of anyone's text: no handlers, frames, or inline script."""
        handlers = [(t, a) for t, a in self.tags for name in a if name.lower().startswith("on")]
        assert handlers == [], (where, handlers)
        assert [t for t, _ in self.tags if t in ("iframe", "object", "embed")] == [], where
        for attrs, body in self.scripts:
            if attrs.get("src"):
                assert not body.strip(), where
            else:
                assert attrs.get("type") == "application/json", (where, attrs)
                json.loads(body)  # a data block stays valid JSON: nothing broke out of it
        links = [a.get("href", "") for t, a in self.tags if t == "a"]
        assert not [h for h in links if h.strip().lower().startswith("javascript")], where

    def shows(self, literal):
        return literal in self.text or literal in self.values


@pytest.fixture
def hostile(app, facilitator_client):
    """A workshop whose title, session name, participant, initiatives and barriers are all
    taken from the corpus, entered through the forms and the socket events."""
    response = facilitator_client.post(
        "/facilitator/workshops/new", data={"title": SCRIPT, "date": "2026-05-10"}
    )
    assert response.status_code == 302, response.text
    workshop_id = int(response.headers["Location"].rsplit("/", 1)[1])
    response = facilitator_client.post(
        f"/facilitator/workshops/{workshop_id}/sessions", data={"name": SVG, "language": "en"}
    )
    assert response.status_code == 302, response.text
    with app.app_context():
        session = db.session.query(Session).filter_by(workshop_id=workshop_id).one()
        session_id, code = session.id, session.join_code
    facilitator = live_client(app, facilitator_client)
    browser = app.test_client()
    join(
        browser,
        code,
        name=NAME["display_name"],
        **{k: NAME[k] for k in ("organisation", "country")},
    )
    participant = live_client(app, browser, {"session_id": session_id})

    def phase(name):
        ack = emit(facilitator, "session:set_phase", {"session_id": session_id, "phase": name})
        assert ack.get("ok"), ack

    phase("proposing")
    for n, text in enumerate(CORPUS + FORMULAS):
        ack = emit(
            participant, "item:propose", {"client_id": f"p{n}", "text": text, "kind": "barrier"}
        )
        assert ack.get("ok"), (text, ack)
    ack = emit(
        facilitator,
        "item:add",
        {"session_id": session_id, "client_id": "f1", "text": IFRAME, "kind": "enabler"},
    )
    assert ack.get("ok"), ack
    phase("initiatives")
    for n, text in enumerate(CORPUS + FORMULAS):
        post = {
            "client_id": f"i{n}",
            "title": text,
            "description": CORPUS[(n + 1) % len(CORPUS)],
            "axis": "governance",
            "sdgs": [16],
            "link": LINK,
        }
        ack = emit(participant, "initiative:post", post)
        assert ack.get("ok"), (text, ack)
    return {
        "workshop_id": workshop_id,
        "session_id": session_id,
        "code": code,
        "browser": browser,
        "participant": participant,
    }


# --- links -------------------------------------------------------------------------------


@pytest.mark.parametrize("link", BAD_LINKS)
def test_links_that_are_not_web_addresses_are_refused(app, workshop, link):
    browser = app.test_client()
    join(browser, workshop["en"]["code"])
    participant = live_client(app, browser, {"session_id": workshop["en"]["id"]})
    post = {"client_id": "x", "title": "T", "axis": "mobility", "sdgs": [11], "link": link}
    ack = emit(participant, "initiative:post", post)
    assert ack["error"]["code"] == "invalid", ack
    assert ack["error"]["fields"]["link"]["code"] == "invalid"
    with app.app_context():
        assert db.session.query(Initiative).count() == 0


def test_an_edit_cannot_bring_a_javascript_link_in(app, workshop):
    browser = app.test_client()
    join(browser, workshop["en"]["code"])
    participant = live_client(app, browser, {"session_id": workshop["en"]["id"]})
    post = {"client_id": "x", "title": "T", "axis": "mobility", "sdgs": [11]}
    initiative_id = emit(participant, "initiative:post", post)["initiative"]["id"]
    edit = {**post, "id": initiative_id, "link": "javascript:window.__xss=1"}
    ack = emit(participant, "initiative:edit", edit)
    assert ack["error"]["fields"]["link"]["code"] == "invalid"
    with app.app_context():
        assert db.session.get(Initiative, initiative_id).link == ""


def test_a_web_address_with_markup_in_it_is_kept_as_text(app, hostile):
    with app.app_context():
        links = {i.link for i in db.session.query(Initiative)}
    assert links == {LINK}


# --- server-rendered pages ------------------------------------------------------------------


def test_the_participant_page_shows_names_as_text(app, hostile):
    response = hostile["browser"].get(f"/s/{hostile['code']}")
    assert response.status_code == 200
    page = Page(response.text)
    page.assert_inert("participant page")
    for literal in (IMG, SVG, SCRIPT):  # name, organisation, workshop title, session name
        assert page.shows(literal), literal
    for raw in (IMG, SVG, SCRIPT):
        assert raw not in response.text  # only its escaped form is in the markup


def test_the_join_page_shows_a_hostile_session_name_as_text(app, hostile):
    response = app.test_client().get(f"/j/{hostile['code']}")
    assert response.status_code == 200
    page = Page(response.text)
    page.assert_inert("join page")
    assert page.shows(SVG) and SVG not in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/facilitator/",
        "/facilitator/workshops/{workshop_id}",
        "/facilitator/workshops/{workshop_id}/projector",
        "/facilitator/sessions/{session_id}/projector",
    ],
)
def test_facilitator_pages_show_titles_and_names_as_text(facilitator_client, hostile, path):
    response = facilitator_client.get(path.format(**hostile))
    assert response.status_code == 200
    page = Page(response.text)
    page.assert_inert(path)
    assert page.shows(SCRIPT) or page.shows(SVG), path  # the workshop title / session name
    assert SCRIPT not in response.text and SVG not in response.text


def test_the_report_shows_every_text_as_text(facilitator_client, hostile):
    response = facilitator_client.get(f"/facilitator/workshops/{hostile['workshop_id']}/report")
    assert response.status_code == 200
    page = Page(response.text)
    page.assert_inert("report")
    for literal in CORPUS + FORMULAS + [LINK]:
        assert page.shows(literal), literal
    for raw in (SCRIPT, IMG, SVG, IFRAME, CLOSER):
        assert raw not in response.text


def test_a_form_error_echoes_hostile_input_as_text(app, hostile):
    """A refused join form is shown again with what was typed: as text."""
    too_long = {"display_name": SCRIPT * 3, "organisation": IMG, "country": SVG}
    response = app.test_client().post(f"/j/{hostile['code']}", data=too_long)
    assert response.status_code == 400
    page = Page(response.text)
    page.assert_inert("join form with errors")
    assert IMG in page.values and IMG not in response.text


# --- exports ------------------------------------------------------------------------------


def _export(client, workshop_id, fmt):
    response = client.get(f"/facilitator/workshops/{workshop_id}/export/{fmt}")
    assert response.status_code == 200
    data = response.data
    response.close()
    return data


def test_csv_keeps_text_literal_and_neutralises_formulas(facilitator_client, hostile):
    tables, _raw = read_csv_zip(_export(facilitator_client, hostile["workshop_id"], "csv"))
    cells = {cell for rows in tables.values() for row in rows for cell in row}
    for literal in CORPUS:
        assert literal in cells, literal  # markup is just text in a CSV file
    for formula in FORMULAS:
        assert "'" + formula in cells, formula
        assert formula not in cells, formula
    # no cell of any file starts like a formula
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert [c for c in cells if c.startswith(starts)] == []
    participants = next(rows for name, rows in tables.items() if "participants" in name)
    assert any(IMG in row and SVG in row and SCRIPT in row for row in participants)


def test_xlsx_keeps_text_literal_and_writes_no_formula(facilitator_client, hostile):
    payload = _export(facilitator_client, hostile["workshop_id"], "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(payload))
    values = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values.add(cell.value)
    for literal in CORPUS + FORMULAS:
        assert literal in values, literal
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert sheets and not any(re.search(rb"<f[ >]", archive.read(n)) for n in sheets)


def test_json_keeps_every_text_exactly(facilitator_client, hostile):
    document = json.loads(_export(facilitator_client, hostile["workshop_id"], "json"))
    titles = {i["title"] for i in document["initiatives"]}
    texts = {i["text"] for i in document["items"]}
    assert titles == set(CORPUS + FORMULAS)
    assert set(CORPUS + FORMULAS) <= texts and IFRAME in texts
    people = {
        (p["display_name"], p["organisation"], p["country"]) for p in document["participants"]
    }
    assert (IMG, SVG, SCRIPT) in people
    assert document["workshop"]["title"] == SCRIPT
    assert {s["name"] for s in document["sessions"]} == {SVG}
