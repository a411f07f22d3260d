"""Dynamic one in Debian's Chromium against the real server.

A participant types the code on the home page, joins and posts through the form; another
participant, whose page is already open, sees the post appear without reloading.
"""

from pathlib import Path

import pytest
from browser_kit import open_chromium, run_server
from realserver import (
    add_session,
    connect_facilitator,
    create_facilitator,
    create_workshop,
    open_phase,
)

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

SCREENSHOT = Path("/tmp/participant_page.png")
SCREENSHOT_PHONE = Path("/tmp/participant_page_phone.png")
WAIT_MS = 15_000


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (skips, or fails under CI=true, without it)."""
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) on a free port with its own SQLite file."""
    yield from run_server(tmp_path_factory.mktemp("browser-server"))


@pytest.fixture(scope="module")
def facilitator(server):
    """The first facilitator, created through the printed one-time setup link."""
    return create_facilitator(server)


@pytest.fixture
def english_session(server, facilitator):
    """A fresh English session with initiatives opened by its facilitator over the socket."""
    workshop_id = create_workshop(server, facilitator, "Smart Cities Study")
    session = add_session(server, facilitator, workshop_id, "English group", "en")
    add_session(server, facilitator, workshop_id, "Grupo español", "es")
    watcher = connect_facilitator(server, facilitator)
    try:
        open_phase(watcher, [session.id])
    finally:
        watcher.close()
    return session


def watch_errors(page):
    """Collect uncaught script errors and console errors (CSP violations land there)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))

    def on_console(message):
        if message.type == "error":
            errors.append(f"console: {message.text}")

    page.on("console", on_console)
    return errors


def fill_join_form(page, name, organisation, country):
    page.locator("#f-display_name").fill(name)
    page.locator("#f-organisation").fill(organisation)
    page.locator("#f-country").fill(country)
    page.get_by_role("button", name="Join the session").click()


def wait_until_live(page, code, errors):
    """On the session page, connected, with the snapshot applied (the phase banner is set)."""
    page.wait_for_url(f"**/s/{code}", timeout=WAIT_MS)
    try:
        expect(page.locator("#connection")).to_have_attribute(
            "data-state", "online", timeout=WAIT_MS
        )
        expect(page.locator("#phase-banner")).to_have_attribute(
            "data-phase", "initiatives", timeout=WAIT_MS
        )
    except AssertionError as failure:
        raise AssertionError(f"the page did not go live; page errors: {errors}") from failure


def test_a_post_from_the_form_appears_live_for_another_participant(
    chromium, server, english_session
):
    code = english_session.code
    title = 'Bike lanes <b>for all</b> & "safe" crossings'
    poster = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    reader = chromium.new_context(
        locale="en-US", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        # the reader joined earlier through the QR link and keeps the page open
        watching = reader.new_page()
        watching_errors = watch_errors(watching)
        watching.goto(f"{server.url}/j/{code}")
        fill_join_form(watching, "Rosa", "Valencia", "Spain")
        wait_until_live(watching, code, watching_errors)
        watching.evaluate("window.__samePage = true")
        expect(watching.locator("#board .initiative")).to_have_count(0)

        # the poster types the code on the home page
        page = poster.new_page()
        page_errors = watch_errors(page)
        page.goto(f"{server.url}/")
        page.locator("#f-code").fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(f"**/j/{code}", timeout=WAIT_MS)
        fill_join_form(page, "Bo Lindqvist", "Oslo kommune", "Norway")
        wait_until_live(page, code, page_errors)

        page.locator("#f-title").fill(title)
        page.locator("#f-description").fill("Protected lanes on every main street.")
        page.locator('input[name="axis"][value="mobility"]').check()
        page.locator('input[name="sdgs"][value="11"]').check()
        page.locator("#submit-button").click()
        expect(page.locator("#board .initiative h4", has_text="Bike lanes")).to_have_count(
            1, timeout=WAIT_MS
        )
        expect(page.locator("#form-status")).to_have_text(
            "Your initiative was posted.", timeout=WAIT_MS
        )

        # the reader's open page shows it under its axis, without a reload
        card = watching.locator('#board [data-axis="mobility"] .initiative')
        expect(card).to_have_count(1, timeout=WAIT_MS)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        watching.screenshot(path=str(SCREENSHOT_PHONE), full_page=True)
        expect(card.locator("h4")).to_have_text(title)
        expect(card.locator("h4 b")).to_have_count(0)  # participants' text stays text
        expect(card.locator(".badge.sdg-11")).to_have_count(1)
        assert watching.evaluate("window.__samePage") is True, "the reader's page was reloaded"

        rows = server.query(
            "SELECT i.axis, p.display_name, p.organisation, p.country,"
            " (SELECT group_concat(s.sdg) FROM initiative_sdgs s WHERE s.initiative_id = i.id)"
            " FROM initiatives i JOIN participants p ON p.id = i.participant_id"
            " WHERE i.session_id = ? AND i.title = ? AND i.withdrawn_at IS NULL",
            (english_session.id, title),
        )
        assert rows == [("mobility", "Bo Lindqvist", "Oslo kommune", "Norway", "11")]

        assert page_errors == [] and watching_errors == []
        # the author line names who posted, as the board promises
        expect(card.locator(".author")).to_have_text("Bo Lindqvist, Oslo kommune (Norway)")
    finally:
        poster.close()
        reader.close()


def test_cancel_editing_is_offered_only_while_editing(chromium, server, english_session):
    code = english_session.code
    context = chromium.new_context(locale="en-US")
    try:
        page = context.new_page()
        errors = watch_errors(page)
        page.goto(f"{server.url}/j/{code}")
        fill_join_form(page, "Ines", "Porto", "Portugal")
        wait_until_live(page, code, errors)
        page.locator("#f-title").fill("Open data portal")
        page.locator('input[name="axis"][value="governance"]').check()
        page.locator('input[name="sdgs"][value="16"]').check()
        page.locator("#submit-button").click()
        card = page.locator("#board .initiative", has_text="Open data portal")
        expect(card).to_have_count(1, timeout=WAIT_MS)
        cancel = page.locator("#cancel-edit")

        card.get_by_role("button", name="Edit").click()
        expect(page.locator("#f-title")).to_have_value("Open data portal")
        expect(cancel).to_be_visible()
        cancel.click()
        expect(page.locator("#f-title")).to_have_value("")
        expect(cancel).to_be_hidden()
    finally:
        context.close()
