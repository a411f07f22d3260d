"""The console's run view in Debian's Chromium against the real server: one session's
controls fit a 1366 x 768 laptop screen without scrolling, "Next" moves the phase on a
participant's phone, the work area's tabs follow the arrow keys, a countdown shows that
time is up (and that the phase is closed) on the console, the phone and the room screen,
and the prepare view leads to the run views."""

import re

import pytest
from browser_kit import WAIT_MS, open_chromium, signed_in_context, wait_live
from browser_kit import watch_errors as errors_of
from realserver import (
    RealServer,
    add_session,
    connect_facilitator,
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

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = RealServer(tmp_path_factory.mktemp("run-view")).start(timeout=120)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def room(server, facilitator):
    """A workshop with an English and a Spanish session in the lobby, and a participant
    of the English one on the socket (so that lists have something in them)."""
    workshop_id = create_workshop(server, facilitator, "Run view workshop")
    en = add_session(server, facilitator, workshop_id, "English group", "en")
    es = add_session(server, facilitator, workshop_id, "Grupo español", "es")
    live = connect_facilitator(server, facilitator)
    peer = connect_participant(server, join(server, en, "Carla", "Lyon"))
    yield {"workshop_id": workshop_id, "en": en, "es": es, "live": live, "peer": peer}
    peer.close()
    live.close()


@pytest.fixture
def console(chromium, server, facilitator):
    context = signed_in_context(chromium, server, facilitator, locale="en-GB", viewport=LAPTOP)
    page = context.new_page()
    page.errors = errors_of(page)
    yield page
    context.close()


def open_run(page, server, session):
    page.goto(f"{server.url}/facilitator/sessions/{session.id}/run")
    expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)
    column = page.locator(f'.run-column[data-session-id="{session.id}"]')
    expect(column).to_have_attribute("data-phase", re.compile(".+"), timeout=WAIT_MS)
    return column


def inside_viewport(page, locator):
    box = locator.bounding_box()
    assert box is not None, locator
    size = page.viewport_size
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and box["y"] + box["height"] <= size["height"]
    )


def test_the_controls_of_one_session_fit_a_laptop_screen(console, server, room):
    for n in range(12):  # long lists scroll inside their panel, never the page
        room["live"].call(
            "item:add",
            {
                "session_id": room["en"].id,
                "client_id": f"i{n}",
                "text": f"Barrier {n}",
                "kind": "barrier",
            },
        )
    column = open_run(console, server, room["en"])
    room["live"].call(
        "session:set_phase", {"session_id": room["en"].id, "phase": "proposing", "minutes": 5}
    )
    expect(column.locator(".phase-name")).to_have_text("Barriers and enablers", timeout=WAIT_MS)
    expect(column.locator(".admin-item")).to_have_count(12, timeout=WAIT_MS)
    controls = [
        column.locator(".phase-name"),
        column.locator(".step-back"),
        column.locator(".step-next"),
        column.locator(".timer"),
        column.locator("input[name=minutes]"),
        column.locator(".countdown-start"),
        column.locator(".countdown-pause"),
        column.locator(".countdown-more"),
        column.locator("input[name=auto_close]"),
        *[column.get_by_role("tab").nth(n) for n in range(column.get_by_role("tab").count())],
    ]
    for control in controls:
        expect(control).to_be_visible()
        assert inside_viewport(console, control), control
    scroll = console.evaluate("[document.documentElement.scrollHeight, window.innerHeight]")
    assert scroll[0] <= scroll[1], scroll  # the page itself does not scroll
    panel = column.locator("[role=tabpanel]:not([hidden])")
    # the list scrolls inside the panel (the panel itself or a list's own box)
    assert panel.evaluate(
        "p => [p, ...p.querySelectorAll('*')].some(n => n.scrollHeight > n.clientHeight + 1"
        " && ['auto', 'scroll'].includes(getComputedStyle(n).overflowY))"
    )
    assert console.errors == []


def test_next_moves_the_phase_on_a_participants_phone(chromium, console, server, room):
    phone_context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    try:
        phone = phone_context.new_page()
        phone.goto(f"{server.url}/j/{room['en'].code}")
        phone.locator("#f-display_name").fill("Iris Novak")
        phone.locator("#f-organisation").fill("Ljubljana")
        phone.locator("#f-country").fill("Slovenia")
        phone.locator("main button.primary").click()
        wait_live(phone, "lobby")

        column = open_run(console, server, room["en"])
        expect(column.locator(".step-back")).to_be_hidden()
        step = column.locator(".step-next")
        expect(step).to_have_text("Next: Initiatives")
        step.click()
        expect(column.locator(".phase-name")).to_have_text("Initiatives", timeout=WAIT_MS)
        wait_live(phone, "initiatives")
        expect(step).to_have_text("Next: Barriers and enablers")
        expect(column.locator(".step-back")).to_have_text("Back: Lobby")
        column.locator(".step-back").click()
        wait_live(phone, "lobby")
        # the other session stayed where it was
        stored = server.query("SELECT phase FROM sessions WHERE id = ?", (room["es"].id,))
        assert stored == [("lobby",)]
        assert console.errors == []
    finally:
        phone_context.close()


def test_time_is_up_on_every_screen_and_the_phase_closes(chromium, console, server, room):
    """A self-closing countdown of a second and a bit: console, phone and room screen show
    that time is up and that the phase is closed; the phone's post is refused."""
    column = open_run(console, server, room["en"])
    column.locator("input[name=auto_close]").check()
    expect(column.locator(".run-status > .form-status")).to_have_text("Saved.", timeout=WAIT_MS)
    phone_context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    try:
        phone = phone_context.new_page()
        phone.goto(f"{server.url}/j/{room['en'].code}")
        phone.locator("#f-display_name").fill("Iris Novak")
        phone.locator("#f-organisation").fill("Ljubljana")
        phone.locator("#f-country").fill("Slovenia")
        phone.locator("main button.primary").click()
        wait_live(phone, "lobby")
        projector = console.context.new_page()
        projector.goto(f"{server.url}/facilitator/sessions/{room['en'].id}/projector")

        change = {"session_id": room["en"].id, "phase": "initiatives", "minutes": 0.02}
        assert room["live"].call("session:set_phase", change)["auto_close"] is True
        closed = "Time is up: closed for new contributions."
        expect(column.locator(".timer")).to_have_text(closed, timeout=WAIT_MS)
        expect(phone.locator("#timer")).to_have_text(closed, timeout=WAIT_MS)
        expect(projector.locator(".clock .timer").first).to_have_text(closed, timeout=WAIT_MS)
        expect(column.locator(".countdown-pause")).to_be_disabled()  # nothing left to pause
        post = {"client_id": "late", "title": "Late idea", "axis": "mobility", "sdgs": [11]}
        refused = room["peer"].call("initiative:post", post)
        assert refused["error"]["code"] == "phase_closed", refused

        column.locator(".countdown-more").click()
        expect(column.locator(".timer")).to_have_text(re.compile("Time left: 1:0"), timeout=WAIT_MS)
        expect(phone.locator("#timer")).to_have_text(re.compile("Time left"), timeout=WAIT_MS)
        assert room["peer"].call("initiative:post", post)["ok"]
        expect(column.locator(".countdown-pause")).to_be_enabled()
        column.locator(".countdown-pause").click()
        expect(column.locator(".timer")).to_have_text(re.compile("Paused: "), timeout=WAIT_MS)
        expect(column.locator(".countdown-pause")).to_have_text("Resume")
        expect(phone.locator("#timer")).to_have_text(re.compile("Paused: "), timeout=WAIT_MS)
        assert console.errors == []
    finally:
        phone_context.close()


def test_tabs_follow_the_arrow_keys(console, server, room):
    column = open_run(console, server, room["en"])
    tabs = column.get_by_role("tab")
    first = tabs.first
    first.focus()
    console.keyboard.press("ArrowRight")
    second = tabs.nth(1)
    expect(second).to_be_focused()
    expect(second).to_have_attribute("aria-selected", "true")
    expect(first).to_have_attribute("aria-selected", "false")
    panel = console.locator(f"#{second.get_attribute('aria-controls')}")
    expect(panel).to_be_visible()
    expect(console.locator(f"#{first.get_attribute('aria-controls')}")).to_be_hidden()
    console.keyboard.press("End")
    expect(tabs.last).to_be_focused()
    console.keyboard.press("ArrowRight")  # round to the first
    expect(first).to_be_focused()
    expect(first).to_have_attribute("aria-selected", "true")


def test_the_prepare_view_leads_to_the_run_views(console, server, room):
    console.goto(f"{server.url}/facilitator/workshops/{room['workshop_id']}")
    console.get_by_role("link", name="Run all sessions side by side").click()
    expect(console.locator(".run-column")).to_have_count(2)
    console.get_by_role("link", name="Prepare").click()
    console.get_by_role("link", name="Run English group").click()
    expect(console.locator(".run-column")).to_have_count(1)
    expect(console.locator(".run-status h2")).to_contain_text("English group")
    expect(console.locator(".phase-steps, .countdown-form")).to_have_count(2)
    assert console.locator("#voting-rules").count() == 0
