"""axe-core finds no WCAG 2.1 A or AA violation on any page, in any language the app offers.

The real server runs; pages are filled with real content (initiatives, merged barriers and
enablers, dots, SDG picks, live results) and the participant page is checked in every phase,
together with the facilitator's dashboard and both projector views as the phase changes.
"""

import re
import subprocess
import uuid
from urllib.parse import urlsplit

import pytest
from browser_kit import (
    PHASES,
    WAIT_MS,
    Room,
    axe_source,
    axe_violations,
    describe,
    expect,
    open_chromium,
    run_server,
    signed_in_context,
    translation_languages,
    wait_live,
    watch_errors,
    words,
)
from realserver import (
    PYTHON,
    ROOT,
    add_session,
    create_facilitator,
    create_workshop,
)

pytestmark = [pytest.mark.browser, pytest.mark.realserver]


@pytest.fixture(scope="module")
def chromium():
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from run_server(tmp_path_factory.mktemp("a11y"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture(scope="module")
def axe():
    return axe_source()


LANGUAGES = translation_languages()


def check(page, axe, where, found):
    """Run axe on `page` now; add what it finds to `found` under the name `where`."""
    violations = axe_violations(page, axe)
    found.extend(describe(where, violations))


def assert_none(found):
    assert not found, "axe-core found WCAG 2.1 A/AA violations:\n" + "\n".join(found)


def assert_language(page, lang):
    """The page is rendered in `lang` (so the check covers that catalogue)."""
    assert page.locator("html").get_attribute("lang") == lang, page.url


def test_axe_reports_what_it_finds(chromium, server, axe):
    """The check itself can fail: an unlabelled field and an image without text are found."""
    page = chromium.new_page()
    try:
        page.goto(f"{server.url}/")
        assert axe_violations(page, axe) == []
        page.evaluate(
            """() => document.querySelector("main").append(
                Object.assign(document.createElement("input"), { id: "unlabelled" }),
                Object.assign(document.createElement("img"), { src: "/static/favicon.svg" }))"""
        )
        found = axe_violations(page, axe)
    finally:
        page.close()
    assert {v["id"] for v in found} == {"image-alt", "label"}, describe("broken home", found)


def test_the_server_offers_the_languages_checked_here(chromium, server):
    page = chromium.new_page()
    try:
        page.goto(f"{server.url}/")
        offered = page.locator("#lang-select option").evaluate_all("(o) => o.map((x) => x.value)")
    finally:
        page.close()
    assert sorted(offered) == sorted(LANGUAGES)


def invitation_path(server):
    """A one-time /setup/<token> path, issued as `flask facilitator invite` does."""
    env = {**server.env, "FACILITATION_ASYNC_MODE": "threading"}
    email = f"guest-{uuid.uuid4().hex[:8]}@example.org"
    printed = subprocess.run(
        [str(PYTHON), "-m", "flask", "--app", "facilitation", "facilitator", "invite", email],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    link = re.search(r"https?://\S+/setup/\S+", printed)
    assert link, printed
    return urlsplit(link.group(0)).path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_forms_and_lists_have_no_violations(chromium, server, facilitator, axe, lang):
    """Home, join, sign-in, setup, the facilitator's list, new workshop and import pages,
    also as they look with errors shown, and the error page (all errors share it)."""
    found = []
    workshop_id = create_workshop(server, facilitator, f"Accessibility {lang}")
    session = add_session(server, facilitator, workshop_id, f"Group {lang}", lang)
    setup_path = invitation_path(server)
    visitor = chromium.new_context(locale=lang)
    signed_in = signed_in_context(chromium, server, facilitator, locale=lang)
    try:
        page = visitor.new_page()
        errors = watch_errors(page)
        visits = [
            ("home", "/", None),
            ("home with a wrong code", "/", lambda: submit_code(page, "ZZZZZZ")),
            ("join form", f"/j/{session.code}", None),
            ("join form with errors", f"/j/{session.code}", lambda: click_primary(page)),
            ("sign-in", "/login", None),
            ("sign-in refused", "/login", lambda: refused_sign_in(page)),
            ("setup", setup_path, None),
            ("setup with errors", setup_path, lambda: click_primary(page)),
            ("used setup link", "/setup/not-a-token", None),
            ("page not found", "/no-such-page", None),
        ]
        for where, path, act in visits:
            page.goto(f"{server.url}{path}")
            if act:
                act()
            assert_language(page, lang)
            check(page, axe, f"[{lang}] {where}", found)

        page = signed_in.new_page()
        errors += watch_errors(page)
        visits = [
            ("my workshops", "/facilitator/", None),
            ("new workshop", "/facilitator/workshops/new", None),
            ("new workshop with errors", "/facilitator/workshops/new", lambda: click_primary(page)),
            ("import", "/facilitator/import", None),
        ]
        for where, path, act in visits:
            page.goto(f"{server.url}{path}")
            assert "/login" not in page.url, page.url
            if act:
                act()
            assert_language(page, lang)
            check(page, axe, f"[{lang}] {where}", found)
        assert errors == []
    finally:
        visitor.close()
        signed_in.close()
    assert_none(found)


def submit_code(page, code):
    page.locator("#f-code").fill(code)
    click_primary(page)
    expect(page.locator("#f-code")).to_have_attribute("aria-invalid", "true")


def click_primary(page):
    with page.expect_navigation():
        page.locator("main button.primary").click()


def refused_sign_in(page):
    page.locator("#f-email").fill("nobody@example.org")
    page.locator("#f-password").fill("not the password")
    click_primary(page)
    expect(page.locator(".error-summary")).to_be_visible()


def take_part(page, phase, lang):
    """What the participant in the browser does in `phase` (with the mouse: this suite is
    about what the pages say, test_keyboard.py about reaching it with the keyboard)."""
    title, _, _ = words(lang)
    if phase == "initiatives":
        page.locator("#f-title").fill(f"{title} 2")
        page.locator('input[name="axis"][value="economy"]').check()
        page.locator('input[name="sdgs"][value="8"]').check()
        page.locator("#submit-button").click()
        expect(page.locator("#board .initiative .actions")).to_have_count(1, timeout=WAIT_MS)
    elif phase == "proposing":
        # a mistake first: the error messages are part of what is checked
        page.locator("#item-form button[type=submit]").click()
        expect(page.locator("#f-text-error")).not_to_be_empty()
    elif phase == "voting":
        page.locator("#items button.dot-button.primary").first.click()
        expect(page.locator("#items .my-dots").first).not_to_have_text(
            re.compile(r"\b0\b"), timeout=WAIT_MS
        )
        expect(page.locator("#participant-results")).to_be_visible(timeout=WAIT_MS)
    elif phase == "sdg_picks":
        page.locator('.axis-picks[data-axis="economy"] input[value="8"]').check()
        expect(page.locator('.axis-picks[data-axis="economy"] .pick-count')).not_to_be_empty()
        expect(page.locator("#picks-status")).not_to_be_empty()
    elif phase == "results":
        expect(page.locator("#participant-results")).to_be_visible(timeout=WAIT_MS)
        expect(page.locator("#picks-results .pick-bars li").first).to_be_visible(timeout=WAIT_MS)


def later_states(page, phase):
    """Further states of the participant page in `phase`, each named when reached: an item
    whose "add a dot" says why it cannot be used; an axis with every SDG it may have, then
    the review of every axis."""
    if phase == "voting":
        unit = page.locator("#items li.unit").first
        unit.locator("button.dot-button.primary").click()
        expect(unit.locator(".dot-reason")).to_be_visible(timeout=WAIT_MS)
        yield "at most this many dots on one item"
    elif phase == "sdg_picks":
        economy = page.locator('.axis-picks[data-axis="economy"]')
        for sdg in (9, 11):
            economy.locator(f'input[value="{sdg}"]').check()
        expect(economy).to_have_class(re.compile("is-full"))
        yield "an axis full"
        for _ in range(6):
            page.locator("#step-next").click()
        expect(page.locator(".picks-review")).to_be_visible()
        yield "the review of every axis"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_live_pages_in_every_phase_have_no_violations(chromium, server, facilitator, axe, lang):
    """The participant page, the console's run view (each of its tabs) and both projector
    views, phase after phase; the prepare view; and the printable report at the end."""
    found = []
    room = Room(server, facilitator, lang)
    visitor = chromium.new_context(locale=lang, viewport={"width": 1280, "height": 900})
    signed_in = signed_in_context(
        chromium, server, facilitator, locale=lang, viewport={"width": 1280, "height": 900}
    )
    try:
        participant = visitor.new_page()
        errors = watch_errors(participant)
        participant.goto(f"{server.url}/j/{room.session.code}")
        participant.locator("#f-display_name").fill("Bo Lindqvist")
        participant.locator("#f-organisation").fill("Oslo kommune")
        participant.locator("#f-country").fill("Norway")
        click_primary(participant)
        assert_language(participant, lang)

        dashboard = signed_in.new_page()
        session_projector = signed_in.new_page()
        workshop_projector = signed_in.new_page()
        for page in (dashboard, session_projector, workshop_projector):
            errors += watch_errors(page)
        dashboard.goto(f"{server.url}/facilitator/sessions/{room.session.id}/run")
        session_projector.goto(f"{server.url}/facilitator/sessions/{room.session.id}/projector")
        workshop_projector.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}/projector")
        for page in (dashboard, session_projector, workshop_projector):
            assert_language(page, lang)

        for phase in PHASES:
            room.move_to(phase)
            room.seed(phase)
            wait_live(participant, phase)
            take_part(participant, phase, lang)
            check(participant, axe, f"[{lang}] participant page, {phase}", found)
            for state in later_states(participant, phase):
                check(participant, axe, f"[{lang}] participant page, {phase}, {state}", found)
            column = dashboard.locator(f'.run-column[data-session-id="{room.session.id}"]')
            expect(column).to_have_attribute("data-phase", phase, timeout=WAIT_MS)
            # the page in front: a tab behind it gets no animation frames, and each click
            # waits about a second for Playwright's "stable" check
            dashboard.bring_to_front()
            tabs = column.get_by_role("tab")
            for n in range(tabs.count()):
                tabs.nth(n).click()
                check(dashboard, axe, f"[{lang}] run view, {phase}, tab {n + 1}", found)
            tabs.first.click()
            for name, page in (("session", session_projector), ("workshop", workshop_projector)):
                stage = page.locator(f'.panel[data-phase="{phase}"]').first
                expect(stage).to_be_visible(timeout=WAIT_MS)
                check(page, axe, f"[{lang}] {name} projector, {phase}", found)

        dashboard.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}")
        expect(dashboard.locator("#connection")).to_have_attribute(
            "data-state", "online", timeout=WAIT_MS
        )
        check(dashboard, axe, f"[{lang}] prepare view", found)
        dashboard.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}/run")
        expect(dashboard.locator(".run-column").first).to_have_attribute(
            "data-phase", PHASES[-1], timeout=WAIT_MS
        )
        check(dashboard, axe, f"[{lang}] run view, sessions side by side", found)
        dashboard.goto(f"{server.url}/facilitator/workshops/{room.workshop_id}/report")
        assert_language(dashboard, lang)
        check(dashboard, axe, f"[{lang}] report", found)
        assert errors == []
    finally:
        room.close()
        visitor.close()
        signed_in.close()
    assert_none(found)
