"""Board pages in Debian's Chromium against the real server, with BOARD_PAGE_SIZE=3.

A participant's page shows the newest three initiatives, their own older one, how many of
the total are shown, and a "Show older initiatives" button that loads the next page with the
keyboard; live posts land on top, live edits of initiatives not loaded yet are left for
paging, withdrawals disappear and the count follows. The facilitator's dashboard pages too.
"""

import re
from pathlib import Path

import pytest
from browser_kit import (
    WAIT_MS,
    axe_source,
    axe_violations,
    describe,
    open_chromium,
    signed_in_context,
    watch_errors,
)
from realserver import (
    RealServer,
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
    open_phase,
)

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

SCREENSHOT = Path("/tmp/board_pages.png")


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (skips, or fails under CI=true, without it)."""
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) with board pages of three initiatives."""
    running = RealServer(tmp_path_factory.mktemp("board-pages"), env={"BOARD_PAGE_SIZE": "3"})
    yield running.start()
    running.stop()


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def room(server, facilitator):
    """An English session open for initiatives: Rosa posted one, then Carla seven
    ("Practice 0" to "Practice 6", all on mobility). Carla stays connected."""
    workshop_id = create_workshop(server, facilitator, "Board pages")
    session = add_session(server, facilitator, workshop_id, "Paged group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        open_phase(watcher, [session.id])
    finally:
        watcher.close()
    rosa = join(server, session, "Rosa", "Valencia", "Spain")
    carla = join(server, session, "Carla", "Lyon", "France")
    posts = {}
    with_rosa = connect_participant(server, rosa)
    try:
        posts["Rosa's practice"] = post(with_rosa, "rosa", "Rosa's practice", "governance")
    finally:
        with_rosa.close()
    live = connect_participant(server, carla)
    for n in range(7):
        posts[f"Practice {n}"] = post(live, f"p{n}", f"Practice {n}")
    yield {
        "workshop_id": workshop_id,
        "session": session,
        "rosa": rosa,
        "carla": live,
        "ids": posts,
    }
    live.close()


def post(live, client_id, title, axis="mobility"):
    data = {"client_id": client_id, "title": title, "axis": axis, "sdgs": [11]}
    ack = live.call("initiative:post", data)
    assert ack.get("ok"), ack
    return ack["initiative"]["id"]


def titles(page, scope="#board"):
    return page.locator(f"{scope} .initiative h4").all_inner_texts()


def tab_to(page, name, presses=120):
    """Press Tab until the focused element is the button called `name`."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"{name!r} was not reached with Tab")


def test_participant_shows_older_initiatives_with_the_keyboard(chromium, server, room):
    context = chromium.new_context(locale="en-US")
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in room["rosa"].http.cookies]
    )
    carla = room["carla"]
    try:
        page = context.new_page()
        errors = watch_errors(page)
        page.goto(f"{server.url}/s/{room['session'].code}")
        count = page.locator("#board .board-count")
        older = page.get_by_role("button", name="Show older initiatives")
        # the newest page, and Rosa's own older initiative, which she can still edit
        expect(count).to_have_text("Initiatives shown: 4 of 8", timeout=WAIT_MS)
        assert sorted(titles(page)) == sorted(
            ["Rosa's practice", "Practice 4", "Practice 5", "Practice 6"]
        )
        mine = page.locator("#board .initiative", has_text="Rosa's practice")
        expect(mine.get_by_role("button", name="Edit")).to_be_visible()
        expect(older).to_be_visible()
        # an axis heading counts the whole board, not the page
        mobility = page.locator('#board [data-axis="mobility"] h3 .count')
        expect(mobility).to_have_text("(7)")
        violations = axe_violations(page, axe_source())
        assert not violations, "\n".join(describe("paged board", violations))

        # an edit of an initiative not loaded yet stays out; a new post lands on top
        edit = {"id": room["ids"]["Practice 0"], "title": "Practice 0 (edited)"}
        assert carla.call("initiative:edit", {**edit, "axis": "mobility", "sdgs": [11]})["ok"]
        post(carla, "new", "Newest")
        column = page.locator('#board [data-axis="mobility"] .initiative h4')
        expect(column.first).to_have_text("Newest", timeout=WAIT_MS)
        expect(count).to_have_text("Initiatives shown: 5 of 9")
        expect(mobility).to_have_text("(8)")
        assert "Practice 0 (edited)" not in titles(page)
        # a withdrawn one disappears
        assert carla.call("initiative:withdraw", {"id": room["ids"]["Practice 5"]})["ok"]
        expect(page.locator("#board .initiative", has_text="Practice 5")).to_have_count(
            0, timeout=WAIT_MS
        )
        expect(count).to_have_text("Initiatives shown: 4 of 8")
        expect(mobility).to_have_text("(7)")
        # an older initiative moved to another axis: the headings follow, the page does not
        move = {"id": room["ids"]["Practice 1"], "title": "Practice 1", "sdgs": [11]}
        assert carla.call("initiative:edit", {**move, "axis": "economy"})["ok"]
        economy = page.locator('#board [data-axis="economy"] h3 .count')
        expect(economy).to_have_text("(1)", timeout=WAIT_MS)
        expect(mobility).to_have_text("(6)")
        economy_column = page.locator('#board [data-axis="economy"] .empty')
        expect(economy_column).to_have_text("None among the initiatives shown.")
        assert carla.call("initiative:edit", {**move, "axis": "mobility"})["ok"]
        expect(economy).to_have_text("(0)", timeout=WAIT_MS)
        expect(economy_column).to_have_text("No initiatives yet.")
        expect(mobility).to_have_text("(7)")

        # the keyboard reaches the button; Enter loads the next page below
        tab_to(page, "Show older initiatives")
        page.keyboard.press("Enter")
        expect(count).to_have_text("Initiatives shown: 7 of 8", timeout=WAIT_MS)
        expect(column).to_have_text(
            ["Newest", "Practice 6", "Practice 4", "Practice 3", "Practice 2", "Practice 1"]
        )
        expect(older).to_be_focused()
        expect(page.locator("#announcer")).to_have_text("Initiatives shown: 7 of 8")
        page.locator("#board").screenshot(path=str(SCREENSHOT))
        # the last page: the button goes, the count keeps the focus
        page.keyboard.press("Space")
        expect(count).to_have_text("Initiatives shown: 8 of 8", timeout=WAIT_MS)
        expect(column.last).to_have_text("Practice 0 (edited)")
        expect(older).to_have_count(0)
        expect(count).to_be_focused()
        assert titles(page).count("Rosa's practice") == 1
        assert errors == []
    finally:
        context.close()


def test_run_view_shows_older_initiatives(chromium, server, facilitator, room):
    context = signed_in_context(chromium, server, facilitator, locale="en-US")
    try:
        page = context.new_page()
        errors = watch_errors(page)
        page.goto(f"{server.url}/facilitator/sessions/{room['session'].id}/run")
        part = page.locator(f'[data-contributions-session="{room["session"].id}"]')
        rows = part.locator(".contributions-initiatives [data-initiative-id]")
        shown = rows.locator('[data-field="title"]')
        expect(rows).to_have_count(3, timeout=WAIT_MS)
        expect(part.locator('[data-count="initiatives"]')).to_have_text("(8)")
        assert sorted(shown.all_inner_texts()) == ["Practice 4", "Practice 5", "Practice 6"]
        older = part.get_by_role("button", name="Show older initiatives")
        older.press("Enter")
        expect(rows).to_have_count(6, timeout=WAIT_MS)
        part.get_by_role("button", name="Show older initiatives").press("Enter")
        expect(rows).to_have_count(8, timeout=WAIT_MS)
        expect(older).to_have_count(0)
        assert "Rosa's practice" in shown.all_inner_texts()
        assert not [e for e in errors if not re.search(r"favicon", e)]
    finally:
        context.close()
