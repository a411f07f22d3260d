"""People without a device, in Debian's Chromium against the real server: the facilitator
enters someone from the console, places dots for them with the console's buttons, and the
room screen's ranking follows; the panel passes axe and every step is done by keyboard."""

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
from realserver import add_session, connect_facilitator, create_facilitator, create_workshop
from realserver_votes import add_item, open_voting, set_voting_rules

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

WAIT_MS = 15_000


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("browser-proxy"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def voting(server, facilitator):
    """An English session with two barriers; 3 dots, at most 2 per item; voting open."""
    workshop_id = create_workshop(server, facilitator, "Smart Cities Study")
    en = add_session(server, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        items = {
            "procurement": add_item(watcher, en, "a", "Slow procurement"),
            "silos": add_item(watcher, en, "b", "Data silos"),
        }
        set_voting_rules(watcher, workshop_id, dots=3, per_item=2)
        open_voting(watcher, [en])
    finally:
        watcher.close()
    return {"id": workshop_id, "en": en, "items": items}


def open_console(page, server, workshop_id, session_id):
    """The session's run view, on its "Without a device" tab."""
    page.goto(f"{server.url}/facilitator/sessions/{session_id}/run")
    assert "/login" not in page.url, page.url
    expect(page.locator("#connection")).to_have_attribute("data-state", "online", timeout=WAIT_MS)
    page.get_by_role("tab", name="Without a device").click()


def test_a_vote_entered_for_someone_without_a_device_reaches_the_ranking(
    server, facilitator, voting, chromium
):
    context = signed_in_context(
        chromium, server, facilitator, locale="en-US", viewport={"width": 1366, "height": 768}
    )
    try:
        room = context.new_page()
        console = context.new_page()
        errors = [watch_errors(room), watch_errors(console)]
        room.goto(f"{server.url}/facilitator/sessions/{voting['en'].id}/projector")
        bars = room.locator(".kind-barrier .bars li")
        expect(bars).to_have_count(2, timeout=WAIT_MS)
        expect(bars.first).to_have_attribute("data-key", f"i{voting['items']['procurement']}")

        open_console(console, server, voting["id"], voting["en"].id)
        panel = console.locator(f'.proxy-panel[data-session-id="{voting["en"].id}"]')
        expect(panel.locator(".proxy-nobody")).to_be_visible(timeout=WAIT_MS)
        # entering someone, by keyboard
        panel.locator(".proxy-add summary").focus()
        console.keyboard.press("Enter")
        panel.get_by_label("Their name").fill("Dee Okafor")
        panel.get_by_label("City or organisation").fill("Lyon")
        panel.get_by_label("Country").fill("France")
        panel.get_by_label("Country").press("Enter")
        person = panel.get_by_role("button", name="Dee Okafor, Lyon (France)")
        expect(person).to_be_visible(timeout=WAIT_MS)
        expect(panel.locator(".proxy-status")).to_contain_text("Dee Okafor was added")
        expect(person).to_be_focused()  # the form folded away, the keyboard is on them
        expect(panel.get_by_label("Their name")).to_be_hidden()
        console.keyboard.press("Enter")
        expect(person).to_have_attribute("aria-pressed", "true")
        act = panel.locator(".proxy-act")
        expect(act.get_by_role("heading", name="Acting for Dee Okafor")).to_be_focused(
            timeout=WAIT_MS
        )
        expect(act.locator(".proxy-dots-left")).to_have_text("Dots left: 3")

        add_silos = act.get_by_role("button", name="Add a dot to: Data silos")
        add_silos.focus()
        console.keyboard.press("Enter")
        expect(act.locator(".proxy-dots-left")).to_have_text("Dots left: 2", timeout=WAIT_MS)
        expect(add_silos).to_be_focused()  # the redraw keeps the keyboard's place
        console.keyboard.press("Enter")
        silos = act.locator(f'.proxy-unit[data-unit="i{voting["items"]["silos"]}"]')
        expect(silos.locator(".proxy-unit-dots")).to_have_text("Their dots: 2", timeout=WAIT_MS)
        expect(add_silos).to_be_disabled()  # at most two on one item, as on a phone
        expect(panel.locator(".proxy-status")).to_have_text(
            "Dot placed for Dee Okafor. Dots left: 1."
        )

        # the room screen ranks the barrier the dots went to first, without a reload
        expect(bars.first).to_have_attribute(
            "data-key", f"i{voting['items']['silos']}", timeout=WAIT_MS
        )
        expect(bars.first.locator(".bar-value")).to_have_text("2", timeout=WAIT_MS)

        rows = server.query(
            "SELECT p.entered_by_id IS NOT NULL, SUM(v.delta) FROM votes v"
            " JOIN participants p ON p.id = v.participant_id GROUP BY p.id"
        )
        assert rows == [(1, 2)]

        violations = axe_violations(console, axe_source())
        assert violations == [], "\n".join(describe("console", violations))
        assert errors == [[], []]
    finally:
        context.close()


def join_in_browser(page, server, session, name):
    page.goto(f"{server.url}/j/{session.code}")
    page.locator("#f-display_name").fill(name)
    page.locator("#f-organisation").fill("Oslo kommune")
    page.locator("#f-country").fill("Norway")
    page.get_by_role("button", name="Join the session").click()
    page.wait_for_url(f"**/s/{session.code}", timeout=WAIT_MS)


def test_an_initiative_posted_for_someone_reaches_the_phones(server, facilitator, chromium):
    workshop_id = create_workshop(server, facilitator, "Smart Cities Study")
    en = add_session(server, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        watcher.call("session:set_phase", {"session_id": en.id, "phase": "initiatives"})
        entered = watcher.call(
            "participant:enter",
            {"session_id": en.id, "display_name": "Dee", "organisation": "Lyon", "country": "FR"},
        )
        assert entered.get("ok"), entered
    finally:
        watcher.close()
    phone_context = chromium.new_context(locale="en-US", viewport={"width": 360, "height": 740})
    context = signed_in_context(
        chromium, server, facilitator, locale="en-US", viewport={"width": 1366, "height": 768}
    )
    try:
        phone = phone_context.new_page()
        console = context.new_page()
        errors = [watch_errors(phone), watch_errors(console)]
        join_in_browser(phone, server, en, "Bo")
        open_console(console, server, workshop_id, en.id)
        panel = console.locator(f'.proxy-panel[data-session-id="{en.id}"]')
        panel.get_by_role("button", name="Dee, Lyon (FR)").click()
        act = panel.locator(".proxy-act")
        act.get_by_label("Title").fill("Night buses on demand")
        act.get_by_label("Axis").select_option("mobility")
        # the post rules hold: without an SDG, nothing is posted and the form is kept
        act.get_by_role("button", name="Post initiative").click()
        expect(panel.locator(".proxy-status")).to_contain_text("SDGs", timeout=WAIT_MS)
        expect(act.get_by_label("Title")).to_have_value("Night buses on demand")
        act.get_by_label("SDG 11 Sustainable Cities and Communities").check()
        # each coloured number shows its goal's name on hover
        expect(act.locator(".proxy-sdg").nth(10)).to_have_attribute(
            "title", "SDG 11 Sustainable Cities and Communities"
        )
        act.get_by_role("button", name="Post initiative").click()
        expect(panel.locator(".proxy-status")).to_have_text(
            "Initiative posted for Dee.", timeout=WAIT_MS
        )
        expect(act.locator(".proxy-own li")).to_have_count(1)
        expect(act.get_by_label("Title")).to_have_value("")
        expect(phone.get_by_text("Night buses on demand")).to_be_visible(timeout=WAIT_MS)
        # withdrawn for them: gone from the phone too
        act.get_by_role("button", name="Withdraw: Night buses on demand").click()
        expect(panel.locator(".proxy-status")).to_have_text(
            "Initiative withdrawn for Dee.", timeout=WAIT_MS
        )
        expect(phone.get_by_text("Night buses on demand")).to_have_count(0, timeout=WAIT_MS)
        # the controls of every phase follow the phase and pass axe
        source, found = axe_source(), []
        found += describe("initiatives", axe_violations(console, source))
        watcher = connect_facilitator(server, facilitator)
        try:
            for phase, shown in (("proposing", "Propose"), ("sdg_picks", "SDGs · 0 of 3 chosen")):
                watcher.call("session:set_phase", {"session_id": en.id, "phase": phase})
                expect(act.get_by_text(shown, exact=True)).to_be_visible(timeout=WAIT_MS)
                found += describe(phase, axe_violations(console, source))
        finally:
            watcher.close()
        act.get_by_label("SDG 11 Sustainable Cities and Communities").check()
        expect(panel.locator(".proxy-status")).to_have_text(
            "SDG choices saved for Dee: 1 of 3 chosen.", timeout=WAIT_MS
        )
        assert found == []
        assert errors == [[], []]
    finally:
        context.close()
        phone_context.close()
