"""The console's live counters in Debian's Chromium against the real server: they rise as
people join over plain HTTP and connect, and fall as they leave, without a reload; the
counters pass axe and the joined count is announced politely."""

import os

import pytest
from browser_kit import (
    axe_source,
    axe_violations,
    describe,
    open_chromium,
    run_server,
    signed_in_context,
    watch_errors,
)
from realserver import (
    add_session,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
)

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

WAIT_MS = 15_000
SHOTS = os.environ.get("COUNTERS_SCREENSHOTS")  # a folder: screenshots for a person to look at


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("browser-counters"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


def cell(panel, key):
    return panel.locator(f'[data-counter="{key}"]')


def test_counters_rise_as_people_join_over_http(chromium, server, facilitator):
    workshop_id = create_workshop(server, facilitator, "Counted workshop")
    en = add_session(server, facilitator, workshop_id, "English group", "en")
    es = add_session(server, facilitator, workshop_id, "Grupo español", "es")
    context = signed_in_context(
        chromium, server, facilitator, viewport={"width": 1366, "height": 768}
    )
    page = context.new_page()
    errors = watch_errors(page)
    live = []
    try:
        page.goto(f"{server.url}/facilitator/workshops/{workshop_id}/run")
        panel_en = page.locator(f'.run-counters[data-session-id="{en.id}"]')
        panel_es = page.locator(f'.run-counters[data-session-id="{es.id}"]')
        # the watch answer fills the counters: zeros, not dashes
        expect(cell(panel_en, "joined")).to_have_text("0", timeout=WAIT_MS)
        expect(cell(panel_en, "connected")).to_have_text("0", timeout=WAIT_MS)
        expect(cell(panel_es, "joined")).to_have_text("0", timeout=WAIT_MS)

        people = [join(server, en, name) for name in ("Ana", "Bea", "Cy")]
        expect(cell(panel_en, "joined")).to_have_text("3", timeout=WAIT_MS)
        expect(cell(panel_en, "not_voted")).to_have_text("3", timeout=WAIT_MS)
        expect(cell(panel_es, "joined")).to_have_text("0")
        # the first arrival is announced at once, politely; later ones wait their turn
        announcer = panel_en.locator(".counters-announcer")
        expect(announcer).to_have_attribute("role", "status")
        expect(announcer).to_contain_text("English group", timeout=WAIT_MS)

        join(server, es, "Dora")
        expect(cell(panel_es, "joined")).to_have_text("1", timeout=WAIT_MS)

        live = [connect_participant(server, p) for p in people[:2]]
        expect(cell(panel_en, "connected")).to_have_text("2", timeout=WAIT_MS)
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, "console-1366.png"), full_page=False)
            panel_en.screenshot(path=os.path.join(SHOTS, "counters-1366.png"))
        live.pop().close()
        expect(cell(panel_en, "connected")).to_have_text("1", timeout=WAIT_MS)
        expect(cell(panel_en, "joined")).to_have_text("3")

        violations = axe_violations(page, axe_source())  # the whole console, counters in it
        assert not violations, "\n".join(describe("console with counters", violations))
        assert not errors, errors
    finally:
        for client in live:
            client.close()
        context.close()


def test_counters_on_a_phone(chromium, server, facilitator):
    """On a phone the grid takes two columns and the numbers stay readable."""
    workshop_id = create_workshop(server, facilitator, "Phone workshop")
    en = add_session(server, facilitator, workshop_id, "English group", "en")
    context = signed_in_context(
        chromium, server, facilitator, viewport={"width": 360, "height": 740}
    )
    page = context.new_page()
    try:
        page.goto(f"{server.url}/facilitator/sessions/{en.id}/run")
        panel = page.locator(f'.run-counters[data-session-id="{en.id}"]')
        join(server, en, "Ana")
        expect(cell(panel, "joined")).to_have_text("1", timeout=WAIT_MS)
        boxes = [panel.locator(".counter").nth(i).bounding_box() for i in range(3)]
        assert boxes[0]["y"] == boxes[1]["y"] < boxes[2]["y"]  # two across
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, width
        if SHOTS:
            panel.screenshot(path=os.path.join(SHOTS, "counters-360.png"))
    finally:
        context.close()
