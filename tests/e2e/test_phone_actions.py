"""On a phone (360 x 740), every action confirms where the thumb is: posting, proposing and
voting show their message beside the control used, inside the viewport, and say it through
the polite live region; a new phase clears it. The SDGs per axis are six short steps that
the keyboard alone completes; the results fit the width at 360 and 320 px.
"""

import re

import pytest
from browser_kit import (
    WAIT_MS,
    Room,
    expect,
    open_chromium,
    run_server,
    wait_live,
    watch_errors,
)
from realserver import create_facilitator
from test_phone import PHONE, join_in, sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
AXES = ["economy", "mobility", "environment", "citizenship", "quality", "governance"]


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("phone-actions"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def room(server, facilitator):
    opened = Room(server, facilitator, "en")
    yield opened
    opened.close()


def phone_page(chromium, server, room, options=PHONE):
    context = chromium.new_context(locale="en-US", **options)
    page = context.new_page()
    errors = watch_errors(page)
    join_in(page, server, room.session.code)
    return context, page, errors


def in_viewport(page, locator):
    """The element is drawn whole inside the visible part of the page."""
    box = locator.bounding_box()
    size = page.viewport_size
    assert box is not None, "not drawn"
    assert box["y"] >= 0 and box["y"] + box["height"] <= size["height"], (box, size)
    assert box["x"] >= 0 and box["x"] + box["width"] <= size["width"], (box, size)


def said(page, text):
    """`text` went through the polite live region."""
    announcer = page.locator("#announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).to_have_text(text, timeout=WAIT_MS)


def shown_messages(page):
    return page.locator(".action-status").evaluate_all(
        "(nodes) => nodes.map((n) => n.textContent).filter((text) => text.trim())"
    )


def test_posting_proposing_and_voting_confirm_inside_the_viewport(chromium, server, room):
    context, page, errors = phone_page(chromium, server, room)
    try:
        room.move_to("initiatives")
        room.seed("initiatives")
        wait_live(page, "initiatives")
        page.locator("#f-title").fill("Bike lanes to every school")
        page.locator('input[name="axis"][value="mobility"]').check()
        page.locator('input[name="sdgs"][value="11"]').check()
        page.locator("#submit-button").tap()
        status = page.locator("#form-status")
        expect(status).to_have_text("Your initiative was posted.", timeout=WAIT_MS)
        in_viewport(page, status)
        said(page, "Your initiative was posted.")
        expect(page.locator("#f-title")).to_have_value("")

        room.move_to("proposing")
        room.seed("proposing")
        wait_live(page, "proposing")
        page.locator("#f-text").fill("Permits take a year")
        page.locator('input[name="kind"][value="barrier"]').check()
        page.locator("#item-form button[type=submit]").tap()
        status = page.locator("#item-status")
        expect(status).to_have_text("Your proposal was added.", timeout=WAIT_MS)
        in_viewport(page, status)
        said(page, "Your proposal was added.")

        room.move_to("voting")
        wait_live(page, "voting")
        # the last item on the page: its confirmation would be the first to fall off
        unit = page.locator("#items li.unit").last
        text = unit.locator(".unit-text").inner_text()
        unit.locator("button.dot-button.primary").tap()
        status = unit.locator(".action-status")
        expect(status).to_have_text(f"Dot placed on: {text}. Dots left: 4.", timeout=WAIT_MS)
        in_viewport(page, status)
        said(page, f"Dot placed on: {text}. Dots left: 4.")
        unit.locator("button.dot-button:not(.primary)").tap()
        expect(unit.locator(".action-status")).to_have_text(
            f"Dot taken back from: {text}. Dots left: 5.", timeout=WAIT_MS
        )
        in_viewport(page, unit.locator(".action-status"))
        assert errors == []
    finally:
        context.close()


def test_no_message_outlives_its_phase(chromium, server, room):
    context, page, errors = phone_page(chromium, server, room)
    try:
        room.move_to("initiatives")
        wait_live(page, "initiatives")
        page.locator("#f-title").fill("Open budget")
        page.locator('input[name="axis"][value="governance"]').check()
        page.locator('input[name="sdgs"][value="16"]').check()
        page.locator("#submit-button").tap()
        expect(page.locator("#form-status")).to_have_text("Your initiative was posted.")
        assert shown_messages(page) == ["Your initiative was posted."]

        room.move_to("proposing")
        wait_live(page, "proposing")
        assert shown_messages(page) == []
        expect(page.locator("#announcer")).to_have_text("")
        page.locator("#f-text").fill("No shared data")
        page.locator('input[name="kind"][value="barrier"]').check()
        page.locator("#item-form button[type=submit]").tap()
        expect(page.locator("#item-status")).to_have_text("Your proposal was added.")

        room.move_to("voting")
        wait_live(page, "voting")
        assert shown_messages(page) == []
        page.locator("#items button.dot-button.primary").first.tap()
        expect(page.locator("#items .action-status")).to_have_text(re.compile("Dot placed on"))

        for phase in ("sdg_picks", "results", "closed"):
            room.move_to(phase)
            wait_live(page, phase)
            assert shown_messages(page) == [], phase
            expect(page.locator("#announcer")).to_have_text("")
        # back to a phase seen before: its old message does not come back
        room.move_to("initiatives")
        wait_live(page, "initiatives")
        assert shown_messages(page) == []
        assert errors == []
    finally:
        context.close()


def test_the_sdg_steps_are_completed_with_the_keyboard_alone(chromium, server, room):
    context, page, errors = phone_page(chromium, server, room)
    keys = page.keyboard
    try:
        room.move_to("sdg_picks")
        wait_live(page, "sdg_picks")
        first = page.locator('.axis-picks[data-axis="economy"]')
        expect(first.locator("legend")).to_have_text(re.compile(r"Axis 1 of 6\s+Smart Economy"))
        expect(page.locator(".axis-picks:visible")).to_have_count(1)
        expect(page.locator("#step-back")).to_be_disabled()

        page.locator("#picks-heading").click()  # a starting point, then keys only
        for _ in range(30):
            if page.evaluate("document.activeElement.matches('.axis-picks input')"):
                break
            keys.press("Tab")
        assert page.evaluate("document.activeElement.value") == "1"
        keys.press("Space")  # SDG 1
        keys.press("Tab")
        keys.press("Tab")
        keys.press("Space")  # SDG 3
        expect(first.locator(".pick-count")).to_have_text("2 of 3 chosen")
        expect(first.locator('.sdg-tile[data-sdg="3"]')).to_have_class(re.compile("is-chosen"))
        said(page, re.compile(r"Chosen for Smart Economy: SDG 3 Good Health.*2 of 3 chosen"))
        keys.press("Tab")
        keys.press("Space")  # SDG 4: three of three
        keys.press("Tab")
        keys.press("Space")  # SDG 5: one too many, refused and said so
        expect(first.locator(".pick-count")).to_have_text(
            "3 of 3 chosen: take one off to choose another."
        )
        expect(first.locator('input[value="5"]')).not_to_be_checked()
        expect(page.locator("#picks-status")).to_have_class(re.compile("is-error"))

        for step, axis in enumerate(AXES[1:], start=2):
            # from a tile, Tab reaches "Next axis" past the other tiles
            for _ in range(40):
                if page.evaluate("document.activeElement.id") == "step-next":
                    break
                keys.press("Tab")
            keys.press("Enter")
            fieldset = page.locator(f'.axis-picks[data-axis="{axis}"]')
            expect(fieldset).to_be_visible()
            expect(fieldset.locator(".step-of")).to_have_text(f"Axis {step} of 6")
            # the focus went to the new axis's first tile
            assert (
                page.evaluate(
                    "(a) => document.activeElement.closest('.axis-picks')?.dataset.axis", axis
                )
                == axis
            )
            keys.press("Tab")
            keys.press("Space")  # SDG 2 on every other axis
            expect(fieldset.locator(".pick-count")).to_have_text("1 of 3 chosen")

        for _ in range(40):
            if page.evaluate("document.activeElement.id") == "step-next":
                break
            keys.press("Tab")
        expect(page.locator("#step-next")).to_have_text("Review your choices")
        keys.press("Enter")
        review = page.locator(".picks-review")
        expect(review).to_be_visible()
        assert page.evaluate("document.activeElement.id") == "review-heading"
        expect(review.locator('li[data-axis="economy"] .badge')).to_have_count(3)
        expect(review.locator('li[data-axis="governance"] .badge')).to_have_text(
            re.compile("SDG 2")
        )

        # change an axis from the review: back to its step, take one off
        keys.press("Tab")
        assert page.evaluate("document.activeElement.textContent") == "Change"
        expect(page.locator(":focus")).to_have_accessible_description("Smart Economy")
        keys.press("Enter")
        expect(first).to_be_visible()
        assert page.evaluate("document.activeElement.value") == "1"
        keys.press("Space")
        expect(first.locator(".pick-count")).to_have_text("2 of 3 chosen")
        expect(page.locator("#connection")).to_have_text("Connected: all saved", timeout=WAIT_MS)
        assert errors == []
    finally:
        context.close()

    (who,) = server.query(
        "SELECT id FROM participants WHERE session_id = ? AND display_name = ?",
        (room.session.id, "Pat Phone"),
    )
    rows = server.query(
        "SELECT axis, sdg FROM sdg_picks WHERE participant_id = ? ORDER BY axis, sdg", who
    )
    expected = [("economy", 3), ("economy", 4)] + [(axis, 2) for axis in AXES[1:]]
    assert sorted(rows) == sorted(expected)


@pytest.mark.parametrize("layout", [PHONE, NARROW], ids=["360px", "320px"])
def test_the_results_fit_the_phone_without_scrolling_sideways(
    chromium, server, room, layout, tmp_path_factory
):
    room.move_to("sdg_picks")
    for axis, sdgs in (("quality", [16, 12, 11]), ("citizenship", [9, 17]), ("economy", [8])):
        for sdg in sdgs:
            room.take_part("sdg:pick", axis=axis, sdg=sdg, picked=True)
    context, page, errors = phone_page(chromium, server, room, layout)
    try:
        room.move_to("results")
        wait_live(page, "results")
        quality = page.locator('#picks-results [data-axis="quality"] .pick-bars li')
        expect(quality).to_have_count(3, timeout=WAIT_MS)
        expect(quality.first).to_contain_text("11 Sustainable Cities and Communities")
        expect(quality.first).to_contain_text("Chosen by 1")
        page.locator("#picks-results").scroll_into_view_if_needed()
        name = layout["viewport"]["width"]
        page.screenshot(
            path=str(tmp_path_factory.mktemp("results") / f"{name}.png"), full_page=True
        )
        assert sideways_overflow(page) is None
        # nothing inside the results is wider than the screen either
        wide = page.locator("#results-section *").evaluate_all(
            "(nodes, width) => nodes.filter((n) => n.getBoundingClientRect().right > width + 0.5)"
            ".map((n) => n.outerHTML.slice(0, 100))",
            layout["viewport"]["width"],
        )
        assert wide == []
        assert errors == []
    finally:
        context.close()
