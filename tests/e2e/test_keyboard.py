"""A participant takes part in every dynamic with the keyboard alone.

Only Playwright's keyboard is used on the pages (Tab, Shift+Tab, Enter, Space, arrow keys and
typing; no mouse, no element.click()); the facilitator moves the session from phase to phase
over Socket.IO, as the dashboard would. Along the way the focused control must show a visible
outline, and a control redrawn by a live update keeps the focus.
"""

import pytest
from browser_kit import (
    WAIT_MS,
    expect,
    focus_outline,
    open_chromium,
    run_server,
    signed_in_context,
    wait_live,
    watch_errors,
)
from realserver import (
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
    open_phase,
)
from realserver_votes import add_item, set_voting_rules, stored_dots

pytestmark = [pytest.mark.browser, pytest.mark.realserver]


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("keyboard"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


MOST_PRESSES = 160  # the initiative form has 17 SDG tiles, the board many buttons


def focused_matches(page, selector):
    return page.evaluate("(s) => document.activeElement.matches(s)", selector)


def press_until(page, selector, key="Tab"):
    """Press `key` until the focused element matches `selector`; fails if it never does."""
    for _ in range(MOST_PRESSES):
        if focused_matches(page, selector):
            return
        page.keyboard.press(key)
    active = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    raise AssertionError(f"{key} never reached {selector}; focus is on {active}")


def assert_focused(page, selector):
    active = page.evaluate("document.activeElement.outerHTML.slice(0, 200)")
    assert focused_matches(page, selector), f"expected focus on {selector}, it is on {active}"


def assert_focus_visible(page):
    tag, style, width = focus_outline(page)
    assert tag != "body", "nothing has the focus"
    assert style != "none" and width >= 2, f"the focused <{tag}> shows no outline ({style})"


class Keyboard:
    """Named keys, so that the test reads like what the person does."""

    def __init__(self, page):
        self.page = page

    def tab(self, times=1):
        for _ in range(times):
            self.page.keyboard.press("Tab")

    def shift_tab(self, times=1):
        for _ in range(times):
            self.page.keyboard.press("Shift+Tab")

    def type(self, text):
        self.page.keyboard.type(text)

    def press(self, key):
        self.page.keyboard.press(key)


@pytest.fixture
def room(server, facilitator):
    """An English session in the initiatives phase; its facilitator on the socket."""
    workshop_id = create_workshop(server, facilitator, "Keyboard workshop")
    session = add_session(server, facilitator, workshop_id, "Keyboard group", "en")
    live = connect_facilitator(server, facilitator)
    open_phase(live, [session.id])
    yield {"workshop_id": workshop_id, "session": session, "live": live}
    live.close()


def join_with_the_keyboard(page, keys, server, code):
    page.goto(f"{server.url}/")
    press_until(page, "#f-code")
    assert_focus_visible(page)
    keys.type(code.lower())  # the code is shown in capitals; small letters work too
    keys.press("Enter")
    page.wait_for_url(f"**/j/{code}", timeout=WAIT_MS)
    press_until(page, "#f-display_name")
    keys.type("Kim Keyboard")
    keys.tab()
    assert_focused(page, "#f-organisation")
    keys.type("Tallinn")
    keys.tab()
    assert_focused(page, "#f-country")
    keys.type("Estonia")
    keys.press("Enter")
    page.wait_for_url(f"**/s/{code}", timeout=WAIT_MS)


def post_an_initiative(page, keys):
    # the skip link comes first and leads straight to the form
    keys.tab()
    assert_focused(page, "a.skip-link")
    assert_focus_visible(page)
    keys.press("Enter")
    keys.tab()
    assert_focused(page, "#f-title")
    keys.type("Car-free school streets")
    keys.tab()
    assert_focused(page, "#f-description")
    keys.type("Streets around schools closed to cars at the start and end of the day.")
    keys.tab()
    assert_focused(page, 'input[name="axis"][value="economy"]')
    keys.press("ArrowDown")  # arrows move through a radio group and choose
    assert_focused(page, 'input[name="axis"][value="mobility"]')
    assert_focus_visible(page)
    expect(page.locator('input[name="axis"][value="mobility"]')).to_be_checked()
    keys.tab()
    assert_focused(page, 'input[name="sdgs"][value="1"]')
    press_until(page, 'input[name="sdgs"][value="11"]')
    keys.press("Space")
    keys.shift_tab(8)
    assert_focused(page, 'input[name="sdgs"][value="3"]')
    keys.press("Space")
    assert_focus_visible(page)
    press_until(page, "#submit-button")
    assert_focus_visible(page)
    keys.press("Enter")
    card = page.locator('#board [data-axis="mobility"] .initiative')
    expect(card.locator("h4")).to_have_text("Car-free school streets", timeout=WAIT_MS)
    expect(card.locator(".badge")).to_have_count(2)
    expect(page.locator("#form-status")).to_have_text("Your initiative was posted.")


def propose_an_item(page, keys):
    press_until(page, "#f-text")
    assert_focus_visible(page)
    keys.type("Nobody owns the data")
    keys.tab()
    assert_focused(page, 'input[name="kind"][value="barrier"]')
    keys.press("Space")
    expect(page.locator('input[name="kind"][value="barrier"]')).to_be_checked()
    keys.tab()
    assert_focused(page, "#f-item-axis")
    keys.press("ArrowDown")
    expect(page.locator("#f-item-axis")).to_have_value("economy")
    keys.tab()
    assert_focused(page, "#item-form button[type=submit]")
    keys.press("Enter")
    expect(page.locator("#item-status")).to_have_text("Your proposal was added.", timeout=WAIT_MS)
    expect(page.locator("#items li.unit", has_text="Nobody owns the data")).to_have_count(1)


def place_every_dot(page, keys):
    """Three dots, at most two on one item: two on the barrier, one on the enabler."""
    dots_left = page.locator("#dots-left")
    expect(dots_left).to_have_text("Dots left: 3", timeout=WAIT_MS)
    barrier = page.locator("#items li.unit", has_text="Nobody owns the data")
    add_barrier = '[aria-label="Add a dot to: Nobody owns the data"]'
    press_until(page, add_barrier)
    assert_focus_visible(page)
    keys.press("Enter")
    expect(barrier.locator(".my-dots")).to_have_text("Your dots: 1", timeout=WAIT_MS)
    # the list was drawn again; the focus stayed on the same button
    assert_focused(page, add_barrier)
    keys.press("Space")
    expect(barrier.locator(".my-dots")).to_have_text("Your dots: 2", timeout=WAIT_MS)
    # that button is now disabled: the focus moved to its neighbour, not to the page's top
    assert_focused(page, '[aria-label="Remove a dot from: Nobody owns the data"]')
    assert_focus_visible(page)
    press_until(page, '[aria-label="Add a dot to: Open standards"]')
    keys.press("Enter")
    expect(dots_left).to_have_text("No dots left", timeout=WAIT_MS)


def pick_sdgs(page, keys):
    """One axis at a time: "Next axis" leads from Smart Economy to New Mobility."""
    press_until(page, "#step-next")
    assert_focus_visible(page)
    keys.press("Enter")
    mobility = '.axis-picks[data-axis="mobility"]'
    assert_focused(page, f'{mobility} input[value="1"]')
    press_until(page, f'{mobility} input[value="11"]')
    assert_focus_visible(page)
    keys.press("Space")
    keys.shift_tab(2)
    assert_focused(page, f'{mobility} input[value="9"]')
    keys.press("Space")
    expect(page.locator(f"{mobility} .pick-count")).to_have_text("2 of 3 chosen", timeout=WAIT_MS)
    # the page counts at once; the status line says when the server has both
    expect(page.locator("#connection")).to_have_text("Connected: all saved", timeout=WAIT_MS)


def test_a_participant_takes_part_with_the_keyboard_only(chromium, server, room):
    session, live = room["session"], room["live"]
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = watch_errors(page)
        keys = Keyboard(page)

        join_with_the_keyboard(page, keys, server, session.code)
        wait_live(page, "initiatives")
        post_an_initiative(page, keys)

        open_phase(live, [session.id], "proposing")
        wait_live(page, "proposing")
        propose_an_item(page, keys)

        add_item(live, session, "kb-enabler", "Open standards", kind="enabler")
        set_voting_rules(live, room["workshop_id"], dots=3, per_item=2)
        open_phase(live, [session.id], "voting")
        wait_live(page, "voting")
        place_every_dot(page, keys)

        open_phase(live, [session.id], "sdg_picks")
        wait_live(page, "sdg_picks")
        pick_sdgs(page, keys)
        assert errors == []
    finally:
        context.close()

    (kim,) = server.query(
        "SELECT id FROM participants WHERE session_id = ? AND display_name = ?",
        (session.id, "Kim Keyboard"),
    )
    rows = server.query(
        "SELECT i.axis, s.sdg FROM initiatives i JOIN initiative_sdgs s ON s.initiative_id = i.id"
        " WHERE i.participant_id = ? ORDER BY s.sdg",
        kim,
    )
    assert rows == [("mobility", 3), ("mobility", 11)]
    rows = server.query("SELECT kind, axis FROM items WHERE participant_id = ?", kim)
    assert rows == [("barrier", "economy")]
    assert stored_dots(server, kim[0]) == 3
    rows = server.query(
        "SELECT axis, sdg FROM sdg_picks WHERE participant_id = ? ORDER BY sdg", kim
    )
    assert rows == [("mobility", 9), ("mobility", 11)]


def test_a_facilitator_corrects_a_wording_with_the_keyboard_while_items_arrive(
    chromium, server, facilitator, room
):
    """The correction form survives live updates; after saving, the focus returns to the
    item's "Correct wording" button."""
    session, live = room["session"], room["live"]
    open_phase(live, [session.id], "proposing")
    typo = add_item(live, session, "kb-typo", "Slow procurment")
    context = signed_in_context(
        chromium, server, facilitator, locale="en-US", viewport={"width": 1280, "height": 900}
    )
    peer = connect_participant(server, join(server, session, "Carla", "Lyon"))
    try:
        page = context.new_page()
        errors = watch_errors(page)
        keys = Keyboard(page)
        page.goto(f"{server.url}/facilitator/sessions/{session.id}/run")
        expect(page.locator("#connection")).to_have_attribute(
            "data-state", "online", timeout=WAIT_MS
        )
        row = page.locator(f'.contributions-items [data-item-id="{typo}"]')
        expect(row).to_contain_text("Slow procurment", timeout=WAIT_MS)
        correct = f'[data-focus-key="cit{typo}:correct"]'
        press_until(page, correct)
        assert_focus_visible(page)
        keys.press("Enter")
        assert_focused(page, f'[data-item-id="{typo}"] form input')
        keys.press("Control+A")
        keys.type("Slow procurement")

        # a participant proposes meanwhile; the run view learns of it (its results tab's
        # ranking shows it) but leaves the list being edited alone
        ack = peer.call("item:propose", {"client_id": "p1", "text": "No budget", "kind": "barrier"})
        assert ack.get("ok"), ack
        expect(page.locator(".run-results .ranking-barrier li")).to_have_count(2, timeout=WAIT_MS)
        expect(row.locator("form input")).to_have_value("Slow procurement")
        assert_focused(page, f'[data-item-id="{typo}"] form input')

        keys.press("Enter")
        expect(row.locator('[data-field="text"]')).to_have_text("Slow procurement", timeout=WAIT_MS)
        expect(
            page.locator(".contributions-items .admin-item", has_text="No budget")
        ).to_have_count(1)
        assert_focused(page, correct)
        assert_focus_visible(page)
        assert errors == []
    finally:
        peer.close()
        context.close()
    rows = server.query("SELECT text FROM items WHERE id = ?", (typo,))
    assert rows == [("Slow procurement",)]
