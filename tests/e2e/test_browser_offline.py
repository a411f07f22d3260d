"""Nothing lost while the server is away, in Debian's Chromium against the real server.

A participant posts (and, in another session, places a dot) while the server process is
stopped: the page says, in its own language, that it is offline and that the work is kept,
keeps the change in its localStorage outbox, and sends it when the server is back on the
same port with the same database. The change then exists exactly once: on another
participant's page, on the sender's page and in the database. A change the server answers
`busy` stays in the outbox too, and is sent again after a while.
"""

import json
import re

import pytest
from browser_kit import open_chromium, run_server
from conftest import translated
from realserver import (
    add_session,
    connect_facilitator,
    create_facilitator,
    create_workshop,
    open_phase,
)
from realserver_votes import add_item, open_voting, set_voting_rules

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

WAIT_MS = 15_000
# socket.io-client backs off up to 5 s (plus jitter) between reconnection attempts
RECONNECT_MS = 45_000

OFFLINE = "Offline: your work is kept and will be sent when the connection returns"
ONLINE = "Connected: all saved"
QUEUED = "Saved on this device. It will be sent when the connection returns."
POSTED = "Your initiative was posted."
OUTBOX_SIZES = """() => Object.keys(localStorage)
    .filter((key) => key.startsWith("outbox:"))
    .map((key) => JSON.parse(localStorage.getItem(key)).length)"""


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (skips, or fails under CI=true, without it)."""
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) on a free port with its own SQLite file."""
    yield from run_server(tmp_path_factory.mktemp("browser-offline"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def outage(server):
    """Stops and restarts the server; a test that fails while it is stopped leaves it
    running for the next one."""

    class Outage:
        def begin(self):
            server.stop()

        def end(self):
            server.start()

    yield Outage()
    if server.process is None:
        server.start()


def watch_errors(page):
    """Uncaught script errors (console errors are expected while the server is away)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


def join_in_browser(page, server, session, name, phase):
    """Join through the QR link's form and wait until the page is live in `phase`."""
    page.goto(f"{server.url}/j/{session.code}")
    page.locator("#f-display_name").fill(name)
    page.locator("#f-organisation").fill("Oslo kommune")
    page.locator("#f-country").fill("Norway")
    page.locator("main form button.primary").click()  # "Join the session", in any language
    page.wait_for_url(f"**/s/{session.code}", timeout=WAIT_MS)
    expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)
    expect(page.locator("#phase-banner")).to_have_attribute("data-phase", phase, timeout=WAIT_MS)


def expect_connection(page, state, text):
    status = page.locator("#connection")
    expect(status).to_have_attribute("data-state", state, timeout=RECONNECT_MS)
    expect(status).to_have_text(text, timeout=RECONNECT_MS)


def test_a_post_made_offline_arrives_once_when_the_server_returns(
    chromium, server, facilitator, outage
):
    workshop_id = create_workshop(server, facilitator, "Offline workshop")
    session = add_session(server, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        open_phase(watcher, [session.id])
    finally:
        watcher.close()
    title = "Neighbourhood repair cafés"
    poster_context = chromium.new_context(locale="en-US")
    reader_context = chromium.new_context(locale="en-US")
    try:
        reader = reader_context.new_page()
        reader_errors = watch_errors(reader)
        join_in_browser(reader, server, session, "Rosa", "initiatives")
        poster = poster_context.new_page()
        poster_errors = watch_errors(poster)
        join_in_browser(poster, server, session, "Bo", "initiatives")
        reader.evaluate("window.__samePage = true")

        outage.begin()
        expect_connection(poster, "offline", translated(OFFLINE, "en"))

        poster.locator("#f-title").fill(title)
        poster.locator('input[name="axis"][value="environment"]').check()
        poster.locator('input[name="sdgs"][value="12"]').check()
        poster.locator("#submit-button").click()
        expect(poster.locator("#form-status")).to_have_text(translated(QUEUED, "en"))
        assert poster.evaluate(OUTBOX_SIZES) == [1]  # kept on the device
        expect_connection(poster, "offline", translated(OFFLINE, "en"))
        assert server.query("SELECT COUNT(*) FROM initiatives")[0][0] == 0

        outage.end()
        # the outbox is sent after the reconnect: once, on every page
        card = reader.locator("#board .initiative", has_text=title)
        expect(card).to_have_count(1, timeout=RECONNECT_MS)
        expect(poster.locator("#form-status")).to_have_text(POSTED, timeout=RECONNECT_MS)
        expect_connection(poster, "online", translated(ONLINE, "en"))
        expect_connection(reader, "online", translated(ONLINE, "en"))
        assert poster.evaluate(OUTBOX_SIZES) == [0]
        expect(poster.locator("#board .initiative", has_text=title)).to_have_count(1)
        expect(card.locator(".author")).to_have_text("Bo, Oslo kommune (Norway)")
        assert reader.evaluate("window.__samePage") is True  # no reload was needed

        rows = server.query(
            "SELECT i.title, p.display_name FROM initiatives i"
            " JOIN participants p ON p.id = i.participant_id WHERE i.session_id = ?",
            (session.id,),
        )
        assert rows == [(title, "Bo")]
        # a fresh load of the reader's page (a snapshot from the server) agrees
        reader.reload()
        expect(reader.locator("#board .initiative", has_text=title)).to_have_count(
            1, timeout=WAIT_MS
        )
        assert poster_errors == [] and reader_errors == []
    finally:
        poster_context.close()
        reader_context.close()


def test_a_dot_placed_offline_counts_once_when_the_server_returns(
    chromium, server, facilitator, outage
):
    """The same in a Spanish session: the page speaks Spanish, the dot counts once."""
    workshop_id = create_workshop(server, facilitator, "Offline voting")
    session = add_session(server, facilitator, workshop_id, "Grupo español", "es")
    watcher = connect_facilitator(server, facilitator)
    try:
        item_id = add_item(watcher, session, "offline-item", "Compras públicas lentas")
        set_voting_rules(watcher, workshop_id, dots=3, per_item=2)
        open_voting(watcher, [session])
    finally:
        watcher.close()
    context = chromium.new_context(locale="es-ES")
    try:
        page = context.new_page()
        errors = watch_errors(page)
        join_in_browser(page, server, session, "Lucía", "voting")
        unit = page.locator(f'.unit[data-unit="i{item_id}"]')
        my_dots = unit.locator(".my-dots")
        expect(my_dots).to_have_text(translated("Your dots: %(count)s") % {"count": 0})

        outage.begin()
        expect_connection(page, "offline", translated(OFFLINE))
        unit.locator("button.primary").click()  # add a dot
        assert page.evaluate(OUTBOX_SIZES) == [1]
        expect_connection(page, "offline", translated(OFFLINE))
        expect(my_dots).to_have_text(translated("Your dots: %(count)s") % {"count": 0})

        outage.end()
        expect(my_dots).to_have_text(
            translated("Your dots: %(count)s") % {"count": 1}, timeout=RECONNECT_MS
        )
        expect_connection(page, "online", translated(ONLINE))
        assert page.evaluate(OUTBOX_SIZES) == [0]
        left = translated("Dots left: %(count)s") % {"count": 2}
        expect(page.locator("#dots-left")).to_have_text(left)

        votes = server.query(
            "SELECT v.item_id, v.delta FROM votes v JOIN participants p"
            " ON p.id = v.participant_id WHERE p.session_id = ? AND p.display_name = ?",
            (session.id, "Lucía"),
        )
        assert votes == [(item_id, 1)]
        # after a reload the server's count is the page's count
        page.reload()
        expect(page.locator(f'.unit[data-unit="i{item_id}"] .my-dots')).to_have_text(
            translated("Your dots: %(count)s") % {"count": 1}, timeout=WAIT_MS
        )
        assert errors == []
    finally:
        context.close()


def test_a_dot_answered_busy_stays_in_the_outbox_and_is_sent_again(chromium, server, facilitator):
    """A server too busy to take the dot answers `busy` (here: a route in front of the page's
    WebSocket answers so until the test releases it); the page keeps the dot in its outbox,
    shows it as pending, sends it again later with the same id, and it counts once."""
    workshop_id = create_workshop(server, facilitator, "Busy voting")
    session = add_session(server, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        item_id = add_item(watcher, session, "busy-item", "Slow procurement")
        set_voting_rules(watcher, workshop_id, dots=3, per_item=2)
        open_voting(watcher, [session])
    finally:
        watcher.close()
    tries = []  # the vote:cast payloads the page sent
    released = []

    def route(ws):
        upstream = ws.connect_to_server()

        def from_page(message):
            found = re.match(r'42/live,(\d+)\["vote:cast",(.*)\]$', str(message), re.S)
            if found:
                tries.append(json.loads(found.group(2)))
                if not released:
                    error = {"code": "busy", "message": "The server is busy.", "fields": {}}
                    ws.send(f"43/live,{found.group(1)}" + json.dumps([{"error": error}]))
                    return
            upstream.send(message)

        ws.on_message(from_page)

    context = chromium.new_context(locale="en-US")
    try:
        page = context.new_page()
        errors = watch_errors(page)
        page.route_web_socket(re.compile(r".*/socket\.io/.*"), route)
        join_in_browser(page, server, session, "Bo", "voting")
        my_dots = page.locator(f'.unit[data-unit="i{item_id}"] .my-dots')
        page.locator(f'.unit[data-unit="i{item_id}"] button.primary').click()  # add a dot
        pending = translated("Sending saved changes: %(count)s", "en") % {"count": 1}
        expect(page.locator("#connection")).to_have_text(pending)
        for _ in range(300):  # until the page has tried again after a `busy` answer
            if len(tries) >= 2:
                break
            page.wait_for_timeout(100)
        assert len(tries) >= 2, tries
        assert page.evaluate(OUTBOX_SIZES) == [1]
        expect(page.locator("#connection")).to_have_text(pending)
        expect(my_dots).to_have_text("Your dots: 0")

        released.append(True)
        expect(my_dots).to_have_text("Your dots: 1", timeout=WAIT_MS)
        expect_connection(page, "online", translated(ONLINE, "en"))
        assert page.evaluate(OUTBOX_SIZES) == [0]
        assert len({t["client_id"] for t in tries}) == 1  # the same dot each time
        votes = server.query(
            "SELECT v.item_id, v.delta FROM votes v JOIN participants p"
            " ON p.id = v.participant_id WHERE p.session_id = ?",
            (session.id,),
        )
        assert votes == [(item_id, 1)]
        assert errors == []
    finally:
        context.close()
