"""Page weight of the participant page (what a phone downloads to take part) or of the room
screen (`--page projector`: the whole workshop's projector page, target 150 KB).

Starts the real server (`python app.py`, as tests/realserver.py does) on a free port with a
fresh SQLite file, creates a workshop whose session already holds some initiatives, joins a
participant, then opens the participant page in Debian's Chromium with an empty cache and
records every response through the DevTools protocol: bytes on the wire (compressed, headers
included: Network.loadingFinished's encodedDataLength), decoded body size, and whether the
browser's cache answered. It does the same for a reload with the cache warm. The Socket.IO
connection's frames (the live snapshot) are counted apart: they are data, not page weight.

    .venv/bin/python bench/page_weight.py [--initiatives 30] [--list] [--page projector]

Prints figures; asserts nothing. The target is a first load of at most 100 KB compressed
(150 KB for the room screen).
"""

import argparse
import sys
import tempfile
import time
import zlib
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from realserver import (  # noqa: E402
    RealServer,
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
    open_phase,
)

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TARGET_KB = {"participant": 100, "projector": 150}
# what says that each page is live: the phone's phase banner, the room screen's panel
LIVE = {"participant": "#phase-banner[data-phase]", "projector": ".panel[data-phase]"}
AXES = ["economy", "mobility", "environment", "citizenship", "quality", "governance"]


class Recorder:
    """Every request of one page load, from DevTools Network events."""

    def __init__(self, cdp):
        self.requests = {}
        self.frames = defaultdict(list)  # websocket messages received, per connection
        self.socket_extensions = []  # what each websocket handshake agreed on
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.responseReceived", self._response)
        cdp.on("Network.requestServedFromCache", self._from_cache)
        cdp.on("Network.loadingFinished", self._finished)
        cdp.on("Network.webSocketFrameReceived", self._frame)
        cdp.on("Network.webSocketHandshakeResponseReceived", self._handshake)

    def _sent(self, event):
        self.requests[event["requestId"]] = {
            "url": event["request"]["url"],
            "type": event.get("type", "Other"),
            "status": None,
            "encoding": "",
            "wire": 0,
            "body": 0,
            "cache": "",
            "done": False,
        }

    def _entry(self, event):
        return self.requests.get(event["requestId"])

    def _response(self, event):
        entry = self._entry(event)
        if entry is None:
            return
        response = event["response"]
        entry["status"] = response["status"]
        headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
        entry["encoding"] = headers.get("content-encoding", "")
        if response.get("fromDiskCache"):
            entry["cache"] = "disk"

    def _from_cache(self, event):
        entry = self._entry(event)
        if entry is not None:
            entry["cache"] = entry["cache"] or "memory"

    def _finished(self, event):
        entry = self._entry(event)
        if entry is not None:
            entry["wire"] = int(event.get("encodedDataLength", 0))
            entry["done"] = True

    def _frame(self, event):
        self.frames[event["requestId"]].append(event["response"].get("payloadData", "").encode())

    def socket_bytes(self):
        """(decoded, deflated) bytes of the websocket messages received. The wire size is
        estimated as permessage-deflate makes it: one raw deflate stream per connection
        (context takeover), flushed after each message."""
        decoded = deflated = 0
        for messages in self.frames.values():
            stream = zlib.compressobj(wbits=-15)
            for message in messages:
                decoded += len(message)
                deflated += len(stream.compress(message) + stream.flush(zlib.Z_SYNC_FLUSH)) - 4
        return decoded, deflated

    def _handshake(self, event):
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        self.socket_extensions.append(headers.get("sec-websocket-extensions", "") or "none")

    def http(self):
        """Finished HTTP(S) requests (the websocket upgrade is counted with the frames)."""
        return [
            r
            for r in self.requests.values()
            if r["done"] and r["url"].startswith("http") and r["type"] != "WebSocket"
        ]


def seed(server, count):
    """A facilitator, a workshop, an English session in the initiatives phase holding
    `count` initiatives from other participants, and the joined participant to measure."""
    facilitator = create_facilitator(server)
    workshop_id = create_workshop(server, facilitator, "Smart Cities Study")
    session = add_session(server, facilitator, workshop_id, "English group", "en")
    live = connect_facilitator(server, facilitator)
    try:
        open_phase(live, [session.id])
    finally:
        live.close()
    others = connect_participant(server, join(server, session, "Carla", "Lyon", "France"))
    try:
        for n in range(count):
            ack = others.call(
                "initiative:post",
                {
                    "client_id": f"seed-{n}",
                    "title": f"Good practice number {n + 1}",
                    "description": "Open data, shared services and a budget people decide on. " * 2,
                    "axis": AXES[n % len(AXES)],
                    "sdgs": [11, 1 + n % 17],
                },
            )
            assert ack.get("ok"), ack
    finally:
        others.close()
    return workshop_id, facilitator, session, join(server, session, "Bo", "Oslo", "Norway")


def measure(page, cdp, load, live=LIVE["participant"]):
    """Run `load` (a navigation) and record until the page is live and the network idle."""
    recorder = Recorder(cdp)
    load()
    page.wait_for_selector('#connection[data-state="online"]', timeout=30_000, state="attached")
    page.wait_for_selector(live, timeout=30_000)
    page.wait_for_load_state("networkidle", timeout=30_000)
    return recorder


def report(name, recorder, show_list):
    rows = recorder.http()
    wire = sum(r["wire"] for r in rows)
    body = sum(r["body"] for r in rows)
    cached = sum(1 for r in rows if r["cache"])
    decoded, deflated = recorder.socket_bytes()
    if show_list:
        print(f"\n{name}:")
        print(f"  {'type':<11}{'status':>6}{'wire B':>9}  {'enc':<5}{'cache':<7}path")
        for r in rows:
            path = urlsplit(r["url"]).path
            print(
                f"  {r['type']:<11}{r['status'] or '-':>6}{r['wire']:>9}  "
                f"{r['encoding'] or '-':<5}{r['cache'] or '-':<7}{path}"
            )
    print(
        f"{name}: {len(rows)} requests, {wire / 1024:.1f} KB transferred"
        f" (compressed, headers included), {cached} from the browser cache;"
        f" live snapshot over the socket: {decoded / 1024:.1f} KB"
    )
    extensions = ", ".join(recorder.socket_extensions) or "-"
    print(
        f"{name}: socket messages about {deflated / 1024:.1f} KB deflated"
        f" (estimate; websocket extensions agreed: {extensions})"
    )
    return wire, body


def add_body_sizes(cdp, recorder):
    """Decoded body sizes, asked of DevTools after the load (cached bodies too)."""
    for request_id, entry in recorder.requests.items():
        if not entry["done"] or entry["type"] == "WebSocket":
            continue
        try:
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
        except Exception:  # a redirect or an evicted body has none
            continue
        text = body.get("body", "")
        entry["body"] = len(text.encode()) if not body.get("base64Encoded") else len(text) * 3 // 4


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--initiatives", type=int, default=30, help="initiatives on the board")
    parser.add_argument("--list", action="store_true", help="list every request")
    parser.add_argument("--page", choices=sorted(LIVE), default="participant")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sys.exit("Playwright for Python is not installed (requirements-dev.lock)")
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install -y chromium")

    with tempfile.TemporaryDirectory(prefix="page-weight-") as workdir:
        server = RealServer(Path(workdir)).start()
        try:
            workshop_id, facilitator, session, participant = seed(server, args.initiatives)
            projector = args.page == "projector"
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                if projector:
                    context = browser.new_context(viewport={"width": 1920, "height": 1080})
                    cookies = facilitator.cookies
                    url = f"{server.url}/facilitator/workshops/{workshop_id}/projector"
                    what = "room screen /facilitator/workshops/<id>/projector, 1920 x 1080"
                else:
                    context = browser.new_context(
                        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
                    )
                    cookies = participant.http.cookies
                    url = f"{server.url}/s/{session.code}"
                    what = "participant page /s/<code>, 360 px phone viewport"
                context.add_cookies(
                    [{"name": c.name, "value": c.value, "url": server.url} for c in cookies]
                )
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Network.enable")
                print(f"{what}, {args.initiatives} initiatives on the board, Chromium")
                live = LIVE[args.page]
                target = TARGET_KB[args.page]
                started = time.perf_counter()
                first = measure(page, cdp, lambda: page.goto(url), live)
                first_seconds = time.perf_counter() - started
                add_body_sizes(cdp, first)
                wire, body = report("first load", first, args.list)
                print(
                    f"first load: {body / 1024:.1f} KB uncompressed;"
                    f" target <= {target} KB compressed:"
                    f" {'met' if wire <= target * 1024 else 'NOT met'}"
                    f" (live after {first_seconds:.2f} s on this machine)"
                )
                again = measure(page, cdp, page.reload, live)
                add_body_sizes(cdp, again)
                report("reload", again, args.list)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
