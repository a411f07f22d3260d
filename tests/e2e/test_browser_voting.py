"""Dynamic two in Debian's Chromium against the real server.

A participant places every dot through the page's buttons until the page says so; a
projector page follows the ranking live as votes arrive, without a reload.
"""

import pytest
from browser_kit import open_chromium, run_server
from realserver import (
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
)
from realserver_votes import (
    add_item,
    open_voting,
    set_voting_rules,
    stored_dots,
)

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

WAIT_MS = 15_000


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (skips, or fails under CI=true, without it)."""
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) on a free port with its own SQLite file."""
    yield from run_server(tmp_path_factory.mktemp("browser-voting"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def voting(server, facilitator):
    """A workshop with an English and a Spanish session, two English barriers, one
    English enabler and one Spanish barrier; 3 dots, at most 2 per item; voting open."""
    workshop_id = create_workshop(server, facilitator, "Smart Cities Study")
    en = add_session(server, facilitator, workshop_id, "English group", "en")
    es = add_session(server, facilitator, workshop_id, "Grupo español", "es")
    watcher = connect_facilitator(server, facilitator)
    try:
        items = {
            "procurement": add_item(watcher, en, "a", "Slow procurement"),
            "silos": add_item(watcher, en, "b", "Data silos"),
            "will": add_item(watcher, en, "c", "Political will", kind="enabler"),
            "presupuesto": add_item(watcher, es, "d", "Sin presupuesto"),
        }
        set_voting_rules(watcher, workshop_id, dots=3, per_item=2)
        open_voting(watcher, [en, es])
    finally:
        watcher.close()
    return {"id": workshop_id, "en": en, "es": es, "items": items}


def watch_errors(page):
    """Collect uncaught script errors and console errors (CSP violations land there)."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    return errors


def join_in_browser(page, server, session, name):
    page.goto(f"{server.url}/j/{session.code}")
    page.locator("#f-display_name").fill(name)
    page.locator("#f-organisation").fill("Oslo kommune")
    page.locator("#f-country").fill("Norway")
    page.get_by_role("button", name="Join the session").click()
    page.wait_for_url(f"**/s/{session.code}", timeout=WAIT_MS)


def test_a_participant_places_every_dot_with_the_buttons(server, voting, chromium):
    context = chromium.new_context(locale="en-US")
    try:
        page = context.new_page()
        errors = watch_errors(page)
        join_in_browser(page, server, voting["en"], "Bo Lindqvist")
        expect(page.locator("#connection")).to_have_attribute(
            "data-state", "online", timeout=WAIT_MS
        )
        expect(page.locator("#phase-banner")).to_have_attribute(
            "data-phase", "voting", timeout=WAIT_MS
        )
        dots_left = page.locator("#dots-left")
        expect(dots_left).to_have_text("Dots left: 3", timeout=WAIT_MS)
        items = voting["items"]
        units = page.locator("#items li.unit")
        # the English items only: the Spanish session's barrier is not shown here
        expect(units).to_have_count(3)

        def unit(key):
            return page.locator(f'#items li.unit[data-unit="i{items[key]}"]')

        procurement = unit("procurement")
        add_procurement = procurement.get_by_role("button", name="Add a dot to: Slow procurement")
        add_procurement.click()
        expect(procurement.locator(".my-dots")).to_have_text("Your dots: 1", timeout=WAIT_MS)
        expect(dots_left).to_have_text("Dots left: 2")
        add_procurement.click()
        expect(procurement.locator(".my-dots")).to_have_text("Your dots: 2", timeout=WAIT_MS)
        expect(add_procurement).to_be_disabled()  # two per item at most

        will = unit("will")
        will.get_by_role("button", name="Add a dot to: Political will").click()
        expect(will.locator(".my-dots")).to_have_text("Your dots: 1", timeout=WAIT_MS)
        expect(dots_left).to_have_text("No dots left", timeout=WAIT_MS)
        # every "add" button is now disabled; taking a dot back is still offered
        adds = page.locator("#items button.dot-button.primary")
        expect(adds).to_have_count(3)
        for n in range(3):
            expect(adds.nth(n)).to_be_disabled()
        expect(
            procurement.get_by_role("button", name="Remove a dot from: Slow procurement")
        ).to_be_enabled()

        (who,) = server.query(
            "SELECT id FROM participants WHERE session_id = ? AND display_name = ?",
            (voting["en"].id, "Bo Lindqvist"),
        )[0]
        assert stored_dots(server, who) == 3
        rows = server.query(
            "SELECT item_id, SUM(delta) FROM votes WHERE participant_id = ? GROUP BY item_id"
            " ORDER BY item_id",
            (who,),
        )
        assert rows == [(items["procurement"], 2), (items["will"], 1)]
        # the page still says so after a reload
        page.reload()
        expect(page.locator("#dots-left")).to_have_text("No dots left", timeout=WAIT_MS)
        assert errors == []
    finally:
        context.close()


def signed_in_context(chromium, server, facilitator):
    """A browser context holding the facilitator's session cookies."""
    context = chromium.new_context(locale="en-US", viewport={"width": 1600, "height": 1000})
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in facilitator.cookies]
    )
    return context


def ranking_items(page, kind="barrier"):
    return page.locator(f".kind-{kind} .bars li")


def test_the_projector_follows_the_ranking_without_a_reload(server, facilitator, voting, chromium):
    items = voting["items"]
    key = {name: f"i{item_id}" for name, item_id in items.items()}
    context = signed_in_context(chromium, server, facilitator)
    voters = []
    try:
        session_page = context.new_page()
        workshop_page = context.new_page()
        errors = [watch_errors(session_page), watch_errors(workshop_page)]
        session_page.goto(f"{server.url}/facilitator/sessions/{voting['en'].id}/projector")
        workshop_page.goto(f"{server.url}/facilitator/workshops/{voting['id']}/projector")
        for page in (session_page, workshop_page):
            assert "/login" not in page.url, page.url
            expect(page.locator(".panel .phase-name")).not_to_be_empty(timeout=WAIT_MS)
            page.evaluate("window.__samePage = true")
        # nobody has voted: ties at zero, in the order the items came
        expect(ranking_items(session_page)).to_have_count(2, timeout=WAIT_MS)
        expect(ranking_items(session_page).first).to_have_attribute("data-key", key["procurement"])
        expect(ranking_items(workshop_page)).to_have_count(3, timeout=WAIT_MS)
        expect(ranking_items(workshop_page).first).to_have_attribute("data-key", key["procurement"])

        # an English participant puts two dots on the second barrier
        bo = connect_participant(server, join(server, voting["en"], "Bo"))
        voters.append(bo)
        for n in range(2):
            ack = bo.call(
                "vote:cast", {"client_id": f"v{n}", "item_id": items["silos"], "delta": 1}
            )
            assert ack.get("ok") and ack["created"], ack
        for page in (session_page, workshop_page):
            first = ranking_items(page).first
            expect(first).to_have_attribute("data-key", key["silos"], timeout=WAIT_MS)
            expect(first.locator(".bar-value")).to_have_text("2", timeout=WAIT_MS)
            expect(first.locator(".bar-unit")).to_have_text("Dots: 2")

        # a Spanish participant's dot moves the combined ranking, not the English one
        carla = connect_participant(server, join(server, voting["es"], "Carla"))
        voters.append(carla)
        ack = carla.call(
            "vote:cast", {"client_id": "v0", "item_id": items["presupuesto"], "delta": 1}
        )
        assert ack.get("ok") and ack["created"], ack
        combined = ranking_items(workshop_page)
        expect(combined.nth(1)).to_have_attribute("data-key", key["presupuesto"], timeout=WAIT_MS)
        expect(combined.nth(1).locator(".bar-value")).to_have_text("1")
        expected = [key["silos"], key["presupuesto"], key["procurement"]]
        assert [combined.nth(n).get_attribute("data-key") for n in range(3)] == expected
        english = ranking_items(session_page)
        expect(english).to_have_count(2)
        assert [english.nth(n).get_attribute("data-key") for n in range(2)] == [
            key["silos"],
            key["procurement"],
        ]

        for page in (session_page, workshop_page):
            assert page.evaluate("window.__samePage") is True, "the projector was reloaded"
        assert errors == [[], []]
    finally:
        for client in voters:
            client.close()
        context.close()


def test_when_the_time_is_up_the_dot_buttons_say_so(server, facilitator, voting, chromium):
    """A countdown of a second and a bit on the voting phase: at zero the phone turns its
    dot buttons off and says why (the server refuses votes from then on anyway)."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-GB")
    watcher = connect_facilitator(server, facilitator)
    try:
        page = context.new_page()
        errors = watch_errors(page)
        join_in_browser(page, server, voting["en"], "Ada Moreno")
        unit = page.locator(f'#items li.unit[data-unit="i{voting["items"]["silos"]}"]')
        add = unit.get_by_role("button", name="Add a dot to: Data silos")
        add.click()
        expect(unit.locator(".my-dots")).to_have_text("Your dots: 1", timeout=WAIT_MS)
        change = {"session_id": voting["en"].id, "phase": "voting", "minutes": 0.02}
        assert watcher.call("session:set_phase", change)["ok"]
        expect(page.locator("#timer")).to_have_text("Time is up.", timeout=WAIT_MS)
        expect(add).to_be_disabled()
        expect(unit.get_by_role("button", name="Remove a dot from: Data silos")).to_be_disabled()
        expect(unit.locator(".dot-reason")).to_have_text("Time is up: voting is closed.")
        assert errors == []
    finally:
        watcher.close()
        context.close()
