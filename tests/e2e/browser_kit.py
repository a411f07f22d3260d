"""What the accessibility, keyboard and phone checks share: Debian's Chromium through
Playwright, axe-core from node_modules, a live workshop to fill the pages, and a few steps a
person takes in the browser.

Nothing here imports the app: pages are reached over HTTP like any visitor's.
"""

import os
import re
import time
import uuid
from pathlib import Path

import pytest
from realserver import (
    NAMESPACE,
    ROOT,
    RealServer,
    add_session,
    connect_facilitator,
    connect_participant,
    create_workshop,
    join,
)

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # checked by `launch_chromium`
    expect = sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WAIT_MS = 15_000
PHASES = ["lobby", "initiatives", "proposing", "voting", "sdg_picks", "results", "closed"]


def missing(reason):
    """Skip on a machine without the dependency; under CI=true a missing one fails."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true, so browser tests must run)")
    pytest.skip(reason)


def launch_chromium():
    """Playwright's context manager (sync API); skips, or fails under CI=true, when it or
    Debian's Chromium is missing. Browsers come from `new_browser`, never a download."""
    if sync_playwright is None:
        missing("Playwright for Python is not installed (see requirements-dev.lock)")
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"{CHROMIUM} is missing: install it with `apt-get install -y chromium`")
    return sync_playwright()


def new_browser(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


# what the modules' fixtures do (each module declares its own fixtures: a conftest.py here
# would shadow the `conftest` module that other suites import from)


def open_chromium():
    """Yield Debian's Chromium through Playwright; skips (fails under CI=true) without it."""
    with launch_chromium() as playwright:
        browser = new_browser(playwright)
        yield browser
        browser.close()


def run_server(folder):
    """Yield `python app.py` (eventlet) on a free port with its own SQLite file in `folder`."""
    running = RealServer(folder).start()
    yield running
    running.stop()


def translation_languages():
    """The languages the app offers: English plus every folder under translations/ that
    holds a catalogue (the rule facilitation/config.py follows)."""
    folder = ROOT / "translations"
    found = sorted(p.name for p in folder.iterdir() if (p / "LC_MESSAGES").is_dir())
    return ["en"] + [code for code in found if code != "en"]


def watch_errors(page):
    """Collect uncaught script errors, console errors (CSP violations land there) and failed
    sub-resources. A page itself may answer 4xx on purpose (a form with errors): Chromium
    logs that as a console error, which is left out here."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status}: {response.url}")

    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    return errors


def signed_in_context(chromium, server, facilitator, **options):
    """A browser context holding the facilitator's session cookies."""
    context = chromium.new_context(**options)
    context.add_cookies(
        [{"name": c.name, "value": c.value, "url": server.url} for c in facilitator.cookies]
    )
    return context


def wait_live(page, phase):
    """The participant page is connected and shows `phase`."""
    expect(page.locator("#connection")).not_to_have_attribute(
        "data-state", re.compile("connecting|offline|reconnecting"), timeout=WAIT_MS
    )
    expect(page.locator("#phase-banner")).to_have_attribute("data-phase", phase, timeout=WAIT_MS)


# a live workshop

# participants' own words, in the language of their session
WORDS = {
    "en": ("Open data portal", "Slow procurement", "Shared mobility pilots"),
    "es": ("Portal de datos abiertos", "Compras públicas lentas", "Pilotos de movilidad"),
    "fr": ("Portail de données ouvertes", "Marchés publics lents", "Projets de mobilité"),
}


def words(lang):
    return WORDS.get(lang, WORDS["en"])


def other_language(lang):
    return "es" if lang == "en" else "en"


class Room:
    """A workshop in `lang` with a second session in another language, its facilitator on
    the socket and a participant (Carla) who joined over HTTP; results shown to everyone."""

    def __init__(self, server, facilitator, lang):
        self.server = server
        self.lang = lang
        self.workshop_id = create_workshop(server, facilitator, f"Live pages {lang}")
        self.session = add_session(server, facilitator, self.workshop_id, f"Room {lang}", lang)
        other = other_language(lang)
        self.other = add_session(server, facilitator, self.workshop_id, f"Room {other}", other)
        self.live = connect_facilitator(server, facilitator)
        self.peer = connect_participant(server, join(server, self.session, "Carla", "Lyon"))
        self.facilitate("workshop:set_display", results_to_participants=True)

    def close(self):
        self.peer.close()
        self.live.close()

    def facilitate(self, event, **data):
        return facilitator_call(self.live, event, {"workshop_id": self.workshop_id, **data})

    def take_part(self, event, **data):
        ack = self.peer.call(event, data)
        assert ack.get("ok"), (event, data, ack)
        return ack

    def move_to(self, phase):
        for session in (self.session, self.other):
            self.facilitate("session:set_phase", session_id=session.id, phase=phase)

    def seed(self, phase):
        """What other people do in `phase`, so that the pages have something to show."""
        title, barrier, enabler = words(self.lang)
        new = uuid.uuid4().hex
        if phase == "initiatives":
            self.take_part(
                "initiative:post",
                client_id=new,
                title=title,
                description="Every dataset, one place.",
                axis="governance",
                sdgs=[9, 16],
                link="https://example.org/open-data",
            )
        elif phase == "proposing":
            # a barrier merged with one of the other language's session
            own = self.take_part("item:propose", client_id=new, text=barrier, kind="barrier")
            theirs = self.facilitate(
                "item:add", session_id=self.other.id, client_id=new, text="Lent", kind="barrier"
            )
            self.facilitate("item:merge", item_ids=[own["item"]["id"], theirs["item"]["id"]])
            self.take_part("item:propose", client_id=f"{new}e", text=enabler, kind="enabler")
        elif phase == "voting":
            self.take_part("vote:cast", client_id=new, item_id=self.first_item(), delta=1)
        elif phase == "sdg_picks":
            for sdg in (9, 11):
                self.take_part("sdg:pick", axis="mobility", sdg=sdg, picked=True)

    def first_item(self):
        rows = self.server.query(
            "SELECT id FROM items WHERE session_id = ? ORDER BY id LIMIT 1", (self.session.id,)
        )
        return rows[0][0]


# axe-core


def axe_source():
    """axe.min.js as npm installed it (`npm ci`, run by `make setup`)."""
    if not AXE.exists():
        missing(f"{AXE} is missing: run `npm ci` (make setup does)")
    return AXE.read_text()


def axe_violations(page, source):
    """Run axe-core on the page as it is now, WCAG 2.1 A and AA rules only.

    The page's CSP forbids inline scripts, so a <script> tag cannot carry axe in; Playwright's
    evaluate goes through the DevTools protocol, which the CSP does not govern.
    """
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(source)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    return result["violations"]


def describe(where, violations):
    """One readable block per violation: rule, impact, help, and each offending node."""
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}  {v['helpUrl']}")
        for node in v["nodes"][:8]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {node['target']}: {node['html'][:160]}  -- {summary[:300]}")
        if len(v["nodes"]) > 8:
            lines.append(f"    ... and {len(v['nodes']) - 8} more nodes")
    return lines


def focus_outline(page):
    """The computed outline of the focused element: (tag, style, width in px)."""
    return page.evaluate(
        """() => {
            const node = document.activeElement;
            const style = getComputedStyle(node);
            return [node.tagName.toLowerCase(), style.outlineStyle, parseFloat(style.outlineWidth)];
        }"""
    )


def facilitator_call(live, event, data):
    """A facilitator event over python-socketio; fails the test on an error ack. Past the
    connection's event limit (a fixture adding 80 items at once) it waits and sends again,
    as a page's outbox does."""
    for _ in range(30):
        ack = live.sio.call(event, data, namespace=NAMESPACE, timeout=15)
        if ack.get("error", {}).get("code") != "rate_limited":
            break
        time.sleep(0.5)
    assert ack.get("ok"), (event, data, ack)
    return ack
