"""Moderation in Debian's Chromium against the real server: the facilitator corrects and
hides an initiative from the console's contributions list, and it changes, then disappears,
on a participant's phone and on the room screen without a reload; shown again, it returns.
The author of a hidden initiative still sees it on their phone, marked hidden.
"""

import pytest
from browser_kit import (
    WAIT_MS,
    Room,
    expect,
    open_chromium,
    run_server,
    signed_in_context,
    wait_live,
    watch_errors,
)
from realserver import create_facilitator

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
CONSOLE = {"width": 1366, "height": 768}
ROOM = {"width": 1280, "height": 720}


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("moderation"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


def join_in(page, server, code):
    page.goto(f"{server.url}/j/{code}")
    page.locator("#f-display_name").fill("Pat Phone")
    page.locator("#f-organisation").fill("Municipality of Thessaloniki")
    page.locator("#f-country").fill("Greece")
    with page.expect_navigation():
        page.locator("main button.primary").click()


def test_a_hidden_initiative_disappears_from_the_phone_and_the_room_screen(
    chromium, server, facilitator
):
    room = Room(server, facilitator, "en")
    contexts = []
    try:
        room.move_to("initiatives")
        room.seed("initiatives")  # Carla posts "Open data portal"
        visitor = chromium.new_context(locale="en-US", **PHONE)
        contexts.append(visitor)
        phone = visitor.new_page()
        phone.errors = watch_errors(phone)
        join_in(phone, server, room.session.code)
        wait_live(phone, "initiatives")
        signed_in = signed_in_context(chromium, server, facilitator, locale="en-US")
        contexts.append(signed_in)
        screen = signed_in.new_page()
        screen.set_viewport_size(ROOM)
        screen.errors = watch_errors(screen)
        screen.goto(f"{server.url}/facilitator/sessions/{room.session.id}/projector")
        console = signed_in.new_page()
        console.set_viewport_size(CONSOLE)
        console.errors = watch_errors(console)
        console.goto(f"{server.url}/facilitator/sessions/{room.session.id}/run")

        on_phone = phone.locator("#board .initiative h4")
        on_screen = screen.locator(".wall .card-title")
        expect(on_phone).to_have_text(["Open data portal"], timeout=WAIT_MS)
        expect(on_screen).to_have_text(["Open data portal"], timeout=WAIT_MS)

        part = console.locator(f'[data-contributions-session="{room.session.id}"]')
        row = part.locator(".contributions-initiatives li").first
        expect(row).to_contain_text("Open data portal", timeout=WAIT_MS)
        row.get_by_role("button", name="Correct wording").click()
        row.get_by_label("Title").fill("Open data portal for every district")
        row.get_by_role("button", name="Save").click()
        expect(on_phone).to_have_text(["Open data portal for every district"], timeout=WAIT_MS)
        expect(on_screen).to_have_text(["Open data portal for every district"], timeout=WAIT_MS)
        expect(row).to_contain_text("Original: Open data portal", timeout=WAIT_MS)

        row.get_by_role("button", name="Hide").click()
        expect(on_phone).to_have_count(0, timeout=WAIT_MS)
        expect(on_screen).to_have_count(0, timeout=WAIT_MS)
        expect(row).to_contain_text("Hidden from participants", timeout=WAIT_MS)
        expect(part.locator(".contributions-status")).to_have_text(
            "Hidden from participants.", timeout=WAIT_MS
        )
        # the console keeps it, marked
        expect(row.locator(".hidden-mark")).to_be_visible(timeout=WAIT_MS)

        row.get_by_role("button", name="Show again").click()
        expect(on_phone).to_have_text(["Open data portal for every district"], timeout=WAIT_MS)
        expect(on_screen).to_have_text(["Open data portal for every district"], timeout=WAIT_MS)

        # the phone's own initiative, hidden: its author still sees it, marked; nobody else
        phone.locator("#f-title").fill("Bike lanes")
        phone.locator('input[name="axis"][value="mobility"]').check()
        phone.locator('input[name="sdgs"][value="11"]').check()
        phone.locator("#submit-button").click()
        expect(on_screen).to_have_count(2, timeout=WAIT_MS)
        own = part.locator(".contributions-initiatives li", has_text="Bike lanes")
        own.get_by_role("button", name="Hide").click()
        expect(on_screen).to_have_text(["Open data portal for every district"], timeout=WAIT_MS)
        mine = phone.locator("#board .initiative", has_text="Bike lanes")
        expect(mine).to_contain_text("Hidden by the facilitator", timeout=WAIT_MS)
        phone.reload()
        wait_live(phone, "initiatives")
        expect(mine).to_contain_text("Hidden by the facilitator", timeout=WAIT_MS)
        expect(on_phone).to_have_count(2)
        for page in (phone, screen, console):
            assert page.errors == [], page.errors
    finally:
        for context in contexts:
            context.close()
        room.close()
