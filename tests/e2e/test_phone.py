"""The participant page and both projector views fit a phone and a 200 % zoom, in every phase;
on the phone, every choice row of the participant's form is a touch target 44 px tall.

A phone is a 360 px wide viewport (mobile, touch); 200 % zoom of a 1280 x 900 window lays the
page out in 640 x 450 CSS pixels, which a 640 px viewport at device scale 2 reproduces. In
neither may the page scroll sideways (WCAG 1.4.10 Reflow): only wide tables scroll, inside
their own focusable region.
"""

import struct

import pytest
from browser_kit import (
    PHASES,
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
ZOOM_200 = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}
LAYOUTS = {"phone 360 px": PHONE, "200% zoom": ZOOM_200}

# a long unbroken word and a long link, as people do type them
LONG_TITLE = "Interoperabilitätsplattformverbundprojektkoordinierungsstelle für Stadtdaten"
LONG_LINK = "https://example.org/" + "very-long-path-segment-" * 6


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("phone"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


def sideways_overflow(page):
    """None if the page does not scroll sideways; else its widths and the widest elements."""
    return page.evaluate(
        """() => {
            const root = document.documentElement;
            if (root.scrollWidth <= root.clientWidth) return null;
            const wide = [...document.body.querySelectorAll("*")]
                .filter((n) => n.getBoundingClientRect().right > root.clientWidth + 0.5)
                .filter((n) => !n.closest(".table-scroll") || n.matches(".table-scroll"))
                .slice(0, 6)
                .map((n) => n.outerHTML.slice(0, 120));
            return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
        }"""
    )


def short_choices(page):
    """The visible choice rows (a radio button or a checkbox with its label) under 44 px
    tall, with their heights; and how many rows are visible."""
    return page.evaluate(
        """() => {
            const rows = [...document.querySelectorAll("label.choice")]
                .filter((n) => n.offsetParent !== null);
            const short = rows
                .map((n) => [n.textContent.trim().slice(0, 40), n.getBoundingClientRect().height])
                .filter(([, height]) => height < 44);
            return { visible: rows.length, short };
        }"""
    )


def png_size(path):
    """(width, height) from a PNG file's header."""
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def join_in(page, server, code):
    page.goto(f"{server.url}/j/{code}")
    page.locator("#f-display_name").fill("Pat Phone")
    page.locator("#f-organisation").fill("Municipality of Thessaloniki")
    page.locator("#f-country").fill("Greece")
    with page.expect_navigation():
        page.locator("main button.primary").click()


def test_the_pages_fit_a_phone_and_a_200_percent_zoom(
    chromium, server, facilitator, tmp_path_factory
):
    room = Room(server, facilitator, "en")
    contexts, pages, errors, too_wide = [], {}, [], []
    try:
        for layout, options in LAYOUTS.items():
            visitor = chromium.new_context(locale="en-US", **options)
            signed_in = signed_in_context(chromium, server, facilitator, locale="en-US", **options)
            contexts += [visitor, signed_in]
            participant = visitor.new_page()
            join_in(participant, server, room.session.code)
            session_projector = signed_in.new_page()
            session_projector.goto(f"{server.url}/facilitator/sessions/{room.session.id}/projector")
            workshop_projector = signed_in.new_page()
            workshop_projector.goto(
                f"{server.url}/facilitator/workshops/{room.workshop_id}/projector"
            )
            pages[layout] = {
                "participant page": participant,
                "session projector": session_projector,
                "workshop projector": workshop_projector,
            }
            for page in pages[layout].values():
                errors += watch_errors(page)

        screenshot = tmp_path_factory.mktemp("phone") / "participant-360px.png"
        for phase in PHASES:
            room.move_to(phase)
            room.seed(phase)
            if phase == "initiatives":
                room.take_part(
                    "initiative:post",
                    client_id="long-words",
                    title=LONG_TITLE,
                    description=LONG_TITLE,
                    axis="mobility",
                    sdgs=list(range(1, 18)),
                    link=LONG_LINK,
                )
            for layout, named in pages.items():
                wait_live(named["participant page"], phase)
                for name in ("session projector", "workshop projector"):
                    stage = named[name].locator(f'.panel[data-phase="{phase}"]').first
                    expect(stage).to_be_visible(timeout=WAIT_MS)
                if phase == "initiatives":
                    card = named["participant page"].locator("#board .initiative", has_text="Inter")
                    expect(card).to_have_count(1, timeout=WAIT_MS)
                for name, page in named.items():
                    found = sideways_overflow(page)
                    if found:
                        too_wide.append(f"{name}, {layout}, {phase}: {found}")
            if phase == "initiatives":
                phone = pages["phone 360 px"]["participant page"]
                phone.screenshot(path=str(screenshot), full_page=True)
                choices = short_choices(phone)  # the axes of the form: touch targets
        assert errors == []
    finally:
        room.close()
        for context in contexts:
            context.close()

    assert not too_wide, "pages scroll sideways:\n" + "\n".join(too_wide)
    assert choices["visible"] >= 6 and choices["short"] == [], choices
    width, height = png_size(screenshot)
    assert width == 360 and height > 740, (width, height)
