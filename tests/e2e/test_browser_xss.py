"""Script-injection text stays text in the pages that draw it with scripts, in Debian's
Chromium against the real server: the participant page, the facilitator's dashboard and
both projector views.

The corpus (tests/xss_corpus.py) is posted as initiatives, barriers, participant names, a
workshop title and a session name. Each page must show it literally, hold no element or
handler made from it, and `window.__xss` (which any of the strings would set if it ran)
must stay undefined. The strict Content-Security-Policy would block inline script anyway,
so the checks look at the DOM too: text rendered as markup would fail them even where the
policy stopped it from running.
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
    open_phase,
)
from xss_corpus import CLOSER, CORPUS, IFRAME, IMG, LINK, NAME, SCRIPT, SVG

try:
    from playwright.sync_api import expect
except ImportError:  # checked in the `chromium` fixture
    expect = None

pytestmark = [pytest.mark.browser, pytest.mark.realserver]

WAIT_MS = 15_000
AUTHOR = f"{IMG}, {SVG} ({SCRIPT})"  # the byline of the hostile participant

INERT = """() => {
  const all = (selector) => [...document.querySelectorAll(selector)];
  const web = (a) => a.protocol === "https:" || a.protocol === "http:";
  return {
    xss: typeof window.__xss,
    handlers: all("*")
      .filter((node) => [...node.attributes].some((a) => a.name.toLowerCase().startsWith("on")))
      .map((node) => node.outerHTML.slice(0, 120)),
    frames: all("iframe, object, embed, frame").length,
    strayImages: all("img").filter((i) => !i.getAttribute("src").startsWith("/")).length,
    inlineScripts: all("script").filter((s) => !s.src && s.type !== "application/json").length,
    scriptLinks: all("a[href]").filter((a) => !web(a)).length,
  };
}"""


@pytest.fixture(scope="module")
def chromium():
    """Debian's Chromium through Playwright (skips, or fails under CI=true, without it)."""
    yield from open_chromium()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) on a free port with its own SQLite file."""
    yield from run_server(tmp_path_factory.mktemp("browser-xss"))


@pytest.fixture(scope="module")
def facilitator(server):
    return create_facilitator(server)


@pytest.fixture
def hostile(server, facilitator):
    """The corpus everywhere: workshop title, session name, a participant's name, and that
    participant's barriers and initiatives (sent over Socket.IO like any client)."""
    workshop_id = create_workshop(server, facilitator, SCRIPT)
    session = add_session(server, facilitator, workshop_id, SVG, "en")
    watcher = connect_facilitator(server, facilitator)
    writer = join(server, session, NAME["display_name"], NAME["organisation"], NAME["country"])
    live = connect_participant(server, writer)
    try:
        open_phase(watcher, [session.id], "proposing")
        for n, text in enumerate(CORPUS):
            ack = live.call("item:propose", {"client_id": f"p{n}", "text": text, "kind": "barrier"})
            assert ack.get("ok"), ack
        item = {"session_id": session.id, "client_id": "f1", "text": IFRAME, "kind": "enabler"}
        assert watcher.call("item:add", item).get("ok")
        open_phase(watcher, [session.id], "initiatives")
        for n, text in enumerate(CORPUS):
            post = {
                "client_id": f"i{n}",
                "title": text,
                "description": CORPUS[(n + 1) % len(CORPUS)],
                "axis": "governance",
                "sdgs": [16],
                "link": LINK,
            }
            assert live.call("initiative:post", post).get("ok")
    finally:
        live.close()
    yield {"workshop_id": workshop_id, "session": session, "watcher": watcher}
    watcher.close()


def watch_errors(page):
    """Script errors and console errors: a CSP violation is reported as one."""
    errors = []
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", lambda m: errors.append(f"console: {m.text}") if m.type == "error" else None)
    return errors


def assert_inert(page, errors, where):
    found = page.evaluate(INERT)
    assert found == {
        "xss": "undefined",
        "handlers": [],
        "frames": 0,
        "strayImages": 0,
        "inlineScripts": 0,
        "scriptLinks": 0,
    }, (where, found)
    assert errors == [], (where, errors)


def texts(locator, count):
    """The inner texts of `locator` once there are `count` of them."""
    expect(locator).to_have_count(count, timeout=WAIT_MS)
    return locator.all_inner_texts()


def contents(locator, count):
    """The text of `locator` once there are `count` of them, those a room screen leaves
    out for lack of room ("and N more") included."""
    expect(locator).to_have_count(count, timeout=WAIT_MS)
    return locator.all_text_contents()


def signed_in(chromium, server, facilitator):
    context = chromium.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in facilitator.cookies]
    )
    return context


def test_hostile_text_is_drawn_as_text_on_every_live_page(chromium, server, facilitator, hostile):
    session = hostile["session"]
    reader_context = chromium.new_context(locale="en-US")
    staff = signed_in(chromium, server, facilitator)
    try:
        # a participant page; the reader's own name is hostile too
        reader = reader_context.new_page()
        reader_errors = watch_errors(reader)
        reader.goto(f"{server.url}/j/{session.code}")
        reader.locator("#f-display_name").fill(CLOSER)
        reader.locator("#f-organisation").fill(IMG)
        reader.locator("#f-country").fill(SVG)
        reader.locator("main form button.primary").click()
        reader.wait_for_url(f"**/s/{session.code}", timeout=WAIT_MS)
        expect(reader.locator("#phase-banner")).to_have_attribute(
            "data-phase", "initiatives", timeout=WAIT_MS
        )
        board = reader.locator("#board .initiative")
        expect(board.first).to_be_visible(timeout=WAIT_MS)
        assert sorted(texts(board.locator("h4"), len(CORPUS))) == sorted(CORPUS)
        assert sorted(board.locator(".description").all_inner_texts()) == sorted(CORPUS)
        assert set(board.locator(".author").all_inner_texts()) == {AUTHOR}
        hrefs = {a.get_attribute("href") for a in board.locator("a").all()}
        assert hrefs == {LINK}
        expect(reader.locator("h1")).to_have_text(SVG)  # the session name
        expect(reader.locator(".session-head .meta")).to_contain_text(SCRIPT)  # workshop title
        expect(reader.locator(".session-head .meta")).to_contain_text(CLOSER)  # own name
        assert_inert(reader, reader_errors, "participant page, initiatives")

        # the console's run view: the session's board and its barriers and enablers
        dashboard = staff.new_page()
        dashboard_errors = watch_errors(dashboard)
        dashboard.goto(f"{server.url}/facilitator/sessions/{session.id}/run")
        card = dashboard.locator(f'[data-contributions-session="{session.id}"]')
        titles = texts(card.locator('.contributions-initiatives [data-field="title"]'), len(CORPUS))
        assert sorted(titles) == sorted(CORPUS)
        admin = card.locator('.contributions-items [data-field="text"]')
        assert sorted(texts(admin, len(CORPUS) + 1)) == sorted([*CORPUS, IFRAME])
        expect(card.locator(".contributions-items .meta").first).to_contain_text(AUTHOR)
        assert_inert(dashboard, dashboard_errors, "run view")

        # the session's projector while initiatives are open: its board
        projector = staff.new_page()
        projector_errors = watch_errors(projector)
        projector.goto(f"{server.url}/facilitator/sessions/{session.id}/projector")
        shown = contents(projector.locator(".wall .card-title"), len(CORPUS))
        assert sorted(shown) == sorted(CORPUS)
        expect(projector.locator("h1")).to_have_text(SVG)
        assert_inert(projector, projector_errors, "session projector, initiatives")

        # voting: rankings on both projectors and the units on the participant page
        open_phase(hostile["watcher"], [session.id], "voting")
        whole = staff.new_page()
        whole_errors = watch_errors(whole)
        whole.goto(f"{server.url}/facilitator/workshops/{hostile['workshop_id']}/projector")
        expect(whole.locator("h1")).to_have_text(SCRIPT)  # the workshop title
        for page, errors, where in (
            (projector, projector_errors, "session projector"),
            (whole, whole_errors, "workshop projector"),
        ):
            barriers = page.locator(".kind-barrier .bar-label")
            assert sorted(contents(barriers, len(CORPUS))) == sorted(CORPUS), where
            assert contents(page.locator(".kind-enabler .bar-label"), 1) == [IFRAME], where
            assert_inert(page, errors, f"{where}, voting")
        expect(reader.locator("#phase-banner")).to_have_attribute(
            "data-phase", "voting", timeout=WAIT_MS
        )
        units = reader.locator("#items .unit .unit-text")
        assert sorted(texts(units, len(CORPUS) + 1)) == sorted([*CORPUS, IFRAME])
        labels = reader.locator("#items .unit button.primary")
        expect(labels.first).to_have_attribute("aria-label", f"Add a dot to: {CORPUS[0]}")
        assert_inert(reader, reader_errors, "participant page, voting")
    finally:
        reader_context.close()
        staff.close()
