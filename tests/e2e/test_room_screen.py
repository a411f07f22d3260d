"""The room screen in Debian's Chromium against the real server: what a facilitator meets in
the first ten minutes (the countdown agrees with the server, a Spanish session's screen
speaks Spanish, sessions in different phases each show their own, no ranks before voting,
no invitation once closed, nothing scrolls), and the sizes that read from the back of a
room at 1920 x 1080 and 1280 x 720.
"""

import datetime as dt
import re
import threading
import time
import uuid

import pytest
from browser_kit import (
    WAIT_MS,
    Room,
    expect,
    open_chromium,
    run_server,
    signed_in_context,
    watch_errors,
)
from realserver import connect_participant, create_facilitator, join

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

FULL_HD = {"width": 1920, "height": 1080}
HD = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("room-screen"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def room(server, facilitator):
    """An English session and a Spanish one, both in the lobby; Carla joined the English."""
    opened = Room(server, facilitator, "en")
    yield opened
    opened.close()


@pytest.fixture
def screen(chromium, server, facilitator):
    """Open a room screen page (path under /facilitator) at a size; no script errors."""
    contexts, pages = [], []

    def open_screen(path, viewport=FULL_HD):
        context = signed_in_context(
            chromium, server, facilitator, locale="en-US", viewport=viewport
        )
        contexts.append(context)
        page = context.new_page()
        page.errors = watch_errors(page)
        pages.append(page)
        page.goto(f"{server.url}/facilitator/{path}")
        expect(page.locator(".panel").first).to_be_visible(timeout=WAIT_MS)
        return page

    yield open_screen
    try:
        for page in pages:
            assert page.errors == [], page.errors
    finally:
        for context in contexts:
            context.close()


def session_screen(room, session=None):
    return f"sessions/{(session or room.session).id}/projector"


def workshop_screen(room, query=""):
    return f"workshops/{room.workshop_id}/projector{query}"


def seconds_left(page):
    text = page.locator(".panel .timer").first.inner_text()
    minutes, seconds = re.search(r"(\d+):(\d\d)", text).groups()
    return int(minutes) * 60 + int(seconds)


def server_seconds_left(server, session):
    """What the server's end time leaves now (the phones count to the same)."""
    [(ends_at,)] = server.query("SELECT phase_ends_at FROM sessions WHERE id = ?", (session.id,))
    ends = dt.datetime.fromisoformat(ends_at)
    return (ends - dt.datetime.now(dt.UTC).replace(tzinfo=None)).total_seconds()


def assert_no_scrolling(page):
    """The page does not scroll, and no list runs past its box (what is left out is
    counted in "and N more")."""
    overflow = page.evaluate(
        """() => {
            const doc = document.documentElement;
            const boxes = [...document.querySelectorAll('.fit-box, .stage, .panel')]
                .filter((box) => box.scrollHeight > box.clientHeight + 1)
                .map((box) => box.className);
            const below = [...document.querySelectorAll('.panel *')]
                .filter((node) => node.getClientRects().length
                    && node.getBoundingClientRect().bottom > innerHeight + 1)
                .map((node) => node.className || node.tagName);
            return { scroll: [doc.scrollHeight - innerHeight, doc.scrollWidth - innerWidth],
                     boxes, below: below.slice(0, 5) };
        }"""
    )
    assert overflow["scroll"][0] <= 0 and overflow["scroll"][1] <= 0, overflow
    assert overflow["boxes"] == [], overflow
    assert overflow["below"] == [], overflow


def font_px(locator):
    return locator.evaluate("(node) => parseFloat(getComputedStyle(node).fontSize)")


# the bugs ---------------------------------------------------------------------------------


def test_the_countdown_agrees_with_the_server_after_a_delta(room, screen, server):
    room.facilitate("session:set_phase", session_id=room.session.id, phase="proposing", minutes=10)
    page = screen(session_screen(room))
    expect(page.locator(".panel .timer")).to_contain_text("9:", timeout=WAIT_MS)
    time.sleep(4)  # the snapshot's server time is now four seconds old
    room.take_part("item:propose", client_id=uuid.uuid4().hex, text="Red tape", kind="barrier")
    expect(page.locator(".proposals li")).to_have_count(1, timeout=WAIT_MS)
    shown = seconds_left(page)
    assert abs(shown - server_seconds_left(server, room.session)) <= 1.5, shown


def test_a_spanish_sessions_screen_speaks_spanish(room, screen):
    page = screen(session_screen(room, room.other))  # the facilitator's browser is English
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.locator(".panel .instruction")).to_have_text(
        "Escanee el código QR, o vaya a la dirección y escriba el código."
    )
    whole = screen(workshop_screen(room, "?lang=fr"))
    assert whole.locator("html").get_attribute("lang") == "fr"
    expect(whole.locator(".join-code").first).to_be_visible()
    expect(whole.locator(".code-label").first).to_have_text("Code")
    expect(whole.locator(".panel .instruction").first).to_contain_text("Scannez")


def test_each_session_shows_its_own_phase_on_the_workshop_screen(room, screen):
    room.facilitate("session:set_phase", session_id=room.other.id, phase="initiatives")
    page = screen(workshop_screen(room))
    panels = page.locator(".panel")
    expect(panels).to_have_count(2, timeout=WAIT_MS)
    expect(panels.nth(0)).to_have_attribute("data-phase", "lobby")
    expect(panels.nth(1)).to_have_attribute("data-phase", "initiatives")
    expect(panels.nth(0).locator(".join-code")).to_have_text(room.session.code)
    expect(panels.nth(1).locator(".wall-grid")).to_be_visible()


def test_no_ranks_or_dots_while_items_are_proposed(room, screen):
    room.move_to("proposing")
    room.seed("proposing")
    for page in (screen(session_screen(room)), screen(workshop_screen(room))):
        expect(page.locator(".kind-barrier .proposals li").first).to_be_visible(timeout=WAIT_MS)
        expect(page.locator(".kind-enabler .proposals li")).to_have_count(1)
        text = page.locator(".panels").inner_text()
        assert "No. 1" not in text and "Dots" not in text and "dots" not in text, text
        expect(page.locator(".bars, .bar-value")).to_have_count(0)


def test_items_merged_across_sessions_show_once(room, screen):
    """A barrier merged with one of the other session's shows as one line on the workshop
    screen, and in the session's own words on each session's screen."""
    room.move_to("proposing")
    mine = room.facilitate(
        "item:add", session_id=room.session.id, client_id="m1", text="No budget", kind="barrier"
    )["item"]
    theirs = room.facilitate(
        "item:add", session_id=room.other.id, client_id="m2", text="Sin presupuesto", kind="barrier"
    )["item"]
    room.facilitate("item:merge", item_ids=[mine["id"], theirs["id"]])
    whole = screen(workshop_screen(room))
    expect(whole.locator(".kind-barrier .proposals li")).to_have_count(1, timeout=WAIT_MS)
    for session, words in ((room.session, "No budget"), (room.other, "Sin presupuesto")):
        page = screen(session_screen(room, session))
        expect(page.locator(".kind-barrier .proposals li")).to_have_text([words], timeout=WAIT_MS)


def test_the_closed_screen_invites_nobody_to_join(room, screen):
    room.move_to("closed")
    for page in (screen(session_screen(room)), screen(workshop_screen(room))):
        expect(page.locator(".thanks-line")).to_be_visible(timeout=WAIT_MS)
        expect(
            page.locator(".join-code, .join-code-small, .qr-large, .join-small img")
        ).to_have_count(0)
        text = page.locator("body").inner_text()
        assert room.session.code not in text and "Join at" not in text, text


def test_fifteen_items_do_not_scroll_off_a_1080_screen(room, screen):
    for n in range(15):
        for session in (room.session, room.other):
            room.facilitate(
                "item:add",
                session_id=session.id,
                client_id=uuid.uuid4().hex,
                text=f"Barrier number {n} with a long enough description to wrap",
                kind="barrier",
            )
    room.move_to("voting")
    for page in (screen(session_screen(room)), screen(workshop_screen(room))):
        expect(page.locator(".kind-barrier .bars li").first).to_be_visible(timeout=WAIT_MS)
        expect(page.locator(".kind-barrier .more")).to_contain_text("more")
        assert_no_scrolling(page)


# the reveal, the joined count, the layout ---------------------------------------------------


def test_results_hidden_until_the_reveal(room, screen):
    room.move_to("proposing")
    room.seed("proposing")
    room.move_to("voting")
    room.facilitate("workshop:set_projector", results_shown=False, layout="combined")
    page = screen(workshop_screen(room))
    expect(page.locator(".hidden-results")).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".bars")).to_have_count(0)
    room.facilitate("workshop:set_projector", results_shown=True, layout="combined")
    expect(page.locator(".kind-barrier .bars li").first).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".panel")).to_have_count(1)
    room.facilitate("workshop:set_projector", results_shown=True, layout="side_by_side")
    expect(page.locator(".panel")).to_have_count(2, timeout=WAIT_MS)


def test_the_combined_panel_names_each_sessions_code_and_countdown(room, screen):
    """Two groups on one panel: each join code says whose it is, and countdowns that differ
    are shown one per session, named; equal ones stay a single countdown."""
    room.facilitate("workshop:set_projector", results_shown=True, layout="combined")
    for session, minutes in ((room.session, 10), (room.other, 5)):
        room.facilitate(
            "session:set_phase", session_id=session.id, phase="proposing", minutes=minutes
        )
    page = screen(workshop_screen(room))
    expect(page.locator(".panel")).to_have_count(1, timeout=WAIT_MS)
    expect(page.locator(".join-small .join-session")).to_have_text(["Room en", "Room es"])
    expect(page.locator(".join-small img").nth(1)).to_have_attribute(
        "alt", re.compile("^Room es: Join at")
    )
    lines = page.locator(".timer .timer-line")
    expect(lines).to_have_count(2, timeout=WAIT_MS)
    # a few seconds into 10 and 5 minutes (or none yet, rounded)
    expect(lines.nth(0)).to_contain_text(re.compile(r"Room en Time left: (9:\d\d|10:00)$"))
    expect(lines.nth(1)).to_contain_text(re.compile(r"Room es Time left: (4:\d\d|5:00)$"))
    expect(lines.nth(0)).to_have_attribute("data-state", "running")
    expect(page.locator(".clock .progress")).to_be_hidden()  # one bar could not say whose
    room.facilitate("session:countdown", session_id=room.other.id, action="pause")
    paused = re.compile(r"Room es Paused: (4:\d\d|5:00) left$")
    expect(lines.nth(1)).to_contain_text(paused, timeout=WAIT_MS)
    for session in (room.session, room.other):  # started together: one countdown
        room.facilitate("session:set_phase", session_id=session.id, phase="voting", minutes=3)
    # one panel again once both have moved (side by side for a moment in between)
    expect(page.locator(".panel .phase-name")).to_have_text(["Voting"], timeout=WAIT_MS)
    expect(lines).to_have_count(0)
    expect(page.locator(".timer")).to_have_text(re.compile(r"^Time left: (2:5\d|3:00)$"))
    assert_no_scrolling(page)


def test_the_joined_count_rises_live_with_names(room, screen, server):
    room.facilitate("workshop:set_display", anonymity="public")
    page = screen(session_screen(room))
    expect(page.locator(".joined-large")).to_have_text("Joined: 1", timeout=WAIT_MS)
    expect(page.locator(".names li")).to_have_text(["Carla"])
    newcomer = connect_participant(server, join(server, room.session, "Dmitri", "Riga", "Latvia"))
    try:
        expect(page.locator(".joined-large")).to_have_text("Joined: 2", timeout=WAIT_MS)
        expect(page.locator(".names li").first).to_have_text("Dmitri")
    finally:
        newcomer.close()


# sizes: 40 items and 200 initiatives in each session --------------------------------------


@pytest.fixture(scope="module")
def crowded(server, facilitator):
    """A room of its own, for both sizes: 40 barriers and enablers and 200 initiatives in
    each session, the two sessions' posts sent side by side."""
    room = Room(server, facilitator, "en")
    axes = ["economy", "mobility", "environment", "citizenship", "quality", "governance"]
    for session in (room.session, room.other):
        room.facilitate("session:set_phase", session_id=session.id, phase="initiatives")
        for n in range(40):
            room.facilitate(
                "item:add",
                session_id=session.id,
                client_id=uuid.uuid4().hex,
                text=f"Item {n}: a proposal of average length about the city",
                kind=("barrier", "enabler")[n % 2],
            )
    spanish = connect_participant(
        room.server, join(room.server, room.other, "Lucía", "Valencia", "España")
    )

    refused = []

    def post(client, title, extra_sdgs):
        for n in range(200):
            ack = client.call(
                "initiative:post",
                {
                    "client_id": uuid.uuid4().hex,
                    "title": title.format(n),
                    "description": "",
                    "axis": axes[n % 6],
                    "sdgs": [n % 17 + 1, *extra_sdgs],
                    "link": "",
                },
            )
            if not ack.get("ok"):
                refused.append(ack)

    english = threading.Thread(
        target=post, args=(room.peer, "Initiative {} for a greener city", [11])
    )
    english.start()
    post(spanish, "Iniciativa {} para una ciudad verde", [])
    english.join()
    assert not refused, refused
    yield room
    spanish.close()
    room.close()


PARTICIPANT_TEXT = ".card-title, .card-place, .proposals li, .bar-label, .names li"


@pytest.mark.parametrize("viewport", [FULL_HD, HD], ids=["1080", "720"])
def test_every_phase_fits_and_reads_from_the_back(crowded, screen, viewport):
    room = crowded
    scale = viewport["height"] / 1080
    room.move_to("lobby")
    pages = [screen(session_screen(room), viewport), screen(workshop_screen(room), viewport)]
    for page in pages:
        qr = page.locator(".qr-large").first.bounding_box()
        assert qr["height"] >= 300 * scale and qr["height"] >= viewport["height"] / 3, qr
        assert font_px(page.locator(".join-code").first) >= 64 * scale
        assert_no_scrolling(page)
    for phase in ["initiatives", "proposing", "voting", "sdg_picks", "results", "closed"]:
        room.move_to(phase)
        if phase == "voting":
            room.seed("voting")
        for page in pages:
            expect(page.locator(f'.panel[data-phase="{phase}"]').first).to_be_visible(
                timeout=WAIT_MS
            )
            page.wait_for_timeout(300)  # the next frame has drawn and fitted the lists
            assert_no_scrolling(page)
            texts = page.locator(PARTICIPANT_TEXT)
            sizes = texts.evaluate_all(
                "(nodes) => nodes.filter((n) => n.getClientRects().length)"
                ".map((n) => parseFloat(getComputedStyle(n).fontSize))"
            )
            if phase in ("initiatives", "proposing", "voting"):
                assert sizes, phase
            assert all(size >= 28 * scale - 0.5 for size in sizes), (phase, sizes)
