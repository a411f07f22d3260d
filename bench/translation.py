"""Live translation under load: an English and a Spanish session, their participants, the
facilitator's console and the room screen connected, as in a workshop.

    python bench/translation.py
    python bench/translation.py --steady-seconds 300 --burst 200 --participants 20

Stages, against `python app.py` (eventlet, SQLite) with translation on:
1. steady: `--per-minute` initiatives a minute (30), alternately in each session, for
   `--steady-seconds`. "To every screen" = from a post being sent to the moment the last
   screen that shows its session (each of its participants, the console, the room screen)
   has an `initiative:upserted` carrying its translation into the other session's language.
2. burst: both sessions move to `proposing` and `--burst` barriers (200) are proposed at
   once, spread over the participants. Printed: the time until every one is translated on
   every screen, translations per second, and translations per CPU second of the app
   (its translation engine's processes included): per core.
Then the steady stage again on a fresh server with translation off: the post
acknowledgement latency with translation on and off side by side (translation happens after
the acknowledgement, so the two should match).

How translation is switched: `--on-env` / `--off-env` (KEY=VALUE, repeatable) are set in the
app's environment; the defaults follow the app's configuration (docs/architecture.md):
on = `TRANSLATION=apertium` (the embedded engine), off = `TRANSLATION=off`.

Clients and server share this machine; the client's own CPU is printed too.
"""

import argparse
import asyncio
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import harness
import socketio
from harness import Meter, Usage, ms, percentile

NS = "/live"
CALL_TIMEOUT = 30
OTHER = {"en": "es", "es": "en"}


@dataclass
class Screen:
    """One connected client: a participant's phone (with its session), the console or the
    room screen (every session)."""

    name: str
    cookie: str
    auth: dict
    session_id: int | None = None  # None: sees every session
    client: object = None


@dataclass
class Tracker:
    """When each screen first had each subject's translation: {(kind, id): {screen: t}}."""

    seen: dict = field(default_factory=dict)

    def mark(self, key, screen):
        self.seen.setdefault(key, {}).setdefault(screen, time.monotonic())


def translated(data, lang, fieldname):
    entry = (data.get("translations") or {}).get(lang, {}).get(fieldname)
    return bool(entry and entry.get("text"))


class Workshop:
    def __init__(self, url, seed, args, http):
        self.url, self.seed, self.args, self.http = url, seed, args, http
        self.lang_of = {sid: lang for lang, sid in seed.sessions.items()}
        self.tracker = Tracker()
        self.busy = 0  # writes answered `busy` (each sent again)
        self.screens = []
        for lang, session_id in seed.sessions.items():
            for n, pid in enumerate(seed.participants[lang]):
                cookie = harness.participant_cookie(session_id, pid)
                auth = {"session_id": session_id}
                self.screens.append(Screen(f"{lang}-{n}", cookie, auth, session_id))
        boss = harness.facilitator_cookie(seed.facilitator_id)
        self.console = Screen("console", boss, {})
        self.room = Screen("room screen", boss, {})
        self.screens += [self.console, self.room]

    def audience(self, session_id):
        return [s for s in self.screens if s.session_id in (None, session_id)]

    def listen(self, screen):
        def on_initiative(message):
            data = message["initiative"]
            target = OTHER[self.lang_of[message["session_id"]]]
            if translated(data, target, "title"):
                self.tracker.mark(("i", data["id"]), screen.name)

        def on_items(message):
            for item in message["items"]:
                if translated(item, OTHER[item["lang"]], "text"):
                    self.tracker.mark(("t", item["id"]), screen.name)

        screen.client.on("initiative:upserted", on_initiative, namespace=NS)
        screen.client.on("items:upserted", on_items, namespace=NS)

    async def connect(self):
        gate = asyncio.Semaphore(20)

        async def one(screen):
            async with gate:
                screen.client = socketio.AsyncClient(
                    reconnection=False,
                    http_session=self.http,
                    websocket_extra_options={"headers": {"Cookie": screen.cookie}},
                )
                self.listen(screen)
                await screen.client.connect(
                    self.url, namespaces=[NS], auth=screen.auth, transports=["websocket"]
                )
                if screen.session_id is not None:
                    await self.call(screen, "session:snapshot", {"since_seq": None})

        await asyncio.gather(*(one(s) for s in self.screens))
        workshop_id = self.seed.workshop_id
        await self.call(self.console, "workshop:watch", {"workshop_id": workshop_id})
        await self.call(
            self.room, "workshop:watch", {"workshop_id": workshop_id, "view": "projector"}
        )

    async def call(self, screen, event, data):
        """An emit with acknowledgement; a `busy` answer is sent again (same client id)
        after a pause, as the page's outbox does. Returns (ack, seconds of the accepted
        try)."""
        pause = 0.5
        while True:
            started = time.monotonic()
            ack = await screen.client.call(event, data, namespace=NS, timeout=CALL_TIMEOUT)
            took = time.monotonic() - started
            if isinstance(ack, dict) and ack.get("ok"):
                return ack, took
            if not (isinstance(ack, dict) and ack.get("error", {}).get("code") == "busy"):
                raise RuntimeError(f"{event}: {ack}")
            self.busy += 1
            await asyncio.sleep(pause)
            pause = min(8, pause * 2)

    def posters(self, lang):
        return [s for s in self.screens if s.session_id == self.seed.sessions[lang]]

    async def set_phase(self, phase):
        for session_id in self.seed.sessions.values():
            await self.call(
                self.console, "session:set_phase", {"session_id": session_id, "phase": phase}
            )

    async def close(self):
        await asyncio.gather(*(s.client.disconnect() for s in self.screens if s.client))


async def wait_for(sent, workshop, until):
    """Wait until every sent subject reached its whole audience, or `until`."""
    while time.monotonic() < until:
        if all(
            len(workshop.tracker.seen.get(key, {})) >= len(workshop.audience(sid))
            for key, (_t0, sid) in sent.items()
        ):
            return True
        await asyncio.sleep(0.1)
    return False


def everywhere(sent, workshop):
    """Seconds from sending to the last screen's translation, per subject translated
    everywhere; and how many were not."""
    times, missing = [], 0
    for key, (t0, sid) in sent.items():
        seen = workshop.tracker.seen.get(key, {})
        if len(seen) >= len(workshop.audience(sid)):
            times.append(max(seen.values()) - t0)
        else:
            missing += 1
    return times, missing


async def steady(workshop, args, translate):
    """Posts at `--per-minute`, alternately in each session."""
    sent, acks = {}, []
    rate = args.per_minute / 60
    count = max(2, round(args.steady_seconds * rate))
    people = {lang: workshop.posters(lang) for lang in ("en", "es")}
    started = time.monotonic()

    async def post(k):
        lang = ("en", "es")[k % 2]
        person = people[lang][(k // 2) % len(people[lang])]
        payload = {
            "client_id": uuid.uuid4().hex,
            "title": TITLES[lang][k % len(TITLES[lang])],
            "description": DESCRIPTIONS[lang],
            "axis": "mobility",
            "sdgs": [11],
        }
        t0 = time.monotonic()
        ack, took = await workshop.call(person, "initiative:post", payload)
        acks.append(took)
        sent[("i", ack["initiative"]["id"])] = (t0, person.session_id)

    tasks = []
    for k in range(count):
        delay = started + k / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(post(k)))
    await asyncio.gather(*tasks)
    figures = {
        "posts": len(acks),
        "writes answered busy (sent again)": workshop.busy,
        "post ack p50 (ms)": ms(percentile(acks, 50)),
        "post ack p95 (ms)": ms(percentile(acks, 95)),
    }
    if translate:
        await wait_for(sent, workshop, time.monotonic() + args.grace)
        times, missing = everywhere(sent, workshop)
        figures.update(
            {
                "post to translation on every screen p50 (ms)": ms(percentile(times, 50)),
                "post to translation on every screen p95 (ms)": ms(percentile(times, 95)),
                "posts never translated everywhere": missing,
            }
        )
    return figures


async def burst(workshop, args, server_usage):
    """`--burst` barriers at once, spread over both sessions' participants."""
    await workshop.set_phase("proposing")
    people = workshop.posters("en") + workshop.posters("es")
    sent = {}
    meter = Meter(server_usage).start()
    started = time.monotonic()

    async def propose(k):
        person = people[k % len(people)]
        lang = workshop.lang_of[person.session_id]
        text = f"{BARRIERS[lang][k % len(BARRIERS[lang])]} ({k})"
        payload = {"client_id": uuid.uuid4().hex, "kind": "barrier", "text": text}
        t0 = time.monotonic()
        ack, _took = await workshop.call(person, "item:propose", payload)
        sent[("t", ack["item"]["id"])] = (t0, person.session_id)

    await asyncio.gather(*(propose(k) for k in range(args.burst)))
    done = await wait_for(sent, workshop, time.monotonic() + args.grace)
    finished = max(
        (max(workshop.tracker.seen.get(k, {0: started}).values()) for k in sent), default=started
    )
    meter.stop()
    times, missing = everywhere(sent, workshop)
    seconds = max(1e-9, finished - started)
    translated_count = len(sent) - missing
    if not translated_count:
        return {"barriers proposed": len(sent), "all translated on every screen": "none translated"}
    return {
        "barriers proposed": len(sent),
        "all translated on every screen": "yes" if done else f"no ({missing} missing)",
        "burst: first post to last translation (s)": f"{seconds:.1f}",
        "burst: post to translation everywhere p50 (ms)": ms(percentile(times, 50)),
        "burst: post to translation everywhere p95 (ms)": ms(percentile(times, 95)),
        "translations per second": f"{translated_count / seconds:.1f}",
        "translations per CPU second of the app (per core)": (
            f"{translated_count / meter.seconds:.1f}" if meter.seconds > 0 else "-"
        ),
        "app CPU during the burst (cores)": f"{meter.share:.2f}",
    }


TITLES = {
    "en": ["Protected bike lanes", "Open data portal", "Lack of funding for pilots"],
    "es": ["Carriles bici protegidos", "Portal de datos abiertos", "Falta de financiación"],
}
DESCRIPTIONS = {
    "en": "Forty kilometres of protected lanes along the ring road in two years.",
    "es": "Cuarenta kilómetros de carriles protegidos en la ronda en dos años.",
}
BARRIERS = {
    "en": ["Slow public procurement", "Lack of funding for pilots", "Data kept in silos"],
    "es": ["Compras públicas lentas", "Falta de financiación", "Datos aislados en silos"],
}


def run(args, env, translate, workdir):
    servers = harness.AppServers(workdir, 1, args.mode, "sqlite", env).start()
    client_cpu = Usage([os.getpid()], children=False)
    try:
        seed = harness.seed_workshop(servers.database_url, args.participants, "initiatives")

        async def drive():
            async with aiohttp.ClientSession() as http:
                workshop = Workshop(servers.urls[0], seed, args, http)
                await workshop.connect()
                try:
                    figures = await steady(workshop, args, translate)
                    if translate and args.burst:
                        usage = Usage(servers.pids)
                        figures.update(await burst(workshop, args, usage))
                    return figures
                finally:
                    await workshop.close()

        cpu = Meter(client_cpu).start()
        figures = asyncio.run(drive())
        figures["client CPU (cores)"] = f"{cpu.stop():.2f}"
        return figures
    finally:
        servers.stop()


def pairs(values):
    return dict(item.split("=", 1) for item in values)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=20, help="per session")
    parser.add_argument("--per-minute", type=float, default=30)
    parser.add_argument("--steady-seconds", type=float, default=120)
    parser.add_argument("--burst", type=int, default=200)
    parser.add_argument(
        "--grace", type=float, default=90, help="seconds to wait for late translations"
    )
    parser.add_argument("--mode", default="eventlet")
    parser.add_argument("--on-env", action="append", default=["TRANSLATION=apertium"])
    parser.add_argument("--off-env", action="append", default=["TRANSLATION=off"])
    parser.add_argument("--skip-off", action="store_true", help="no run with translation off")
    args = parser.parse_args(argv)
    harness.raise_fd_limit()
    print(harness.machine())
    with tempfile.TemporaryDirectory(prefix="bench-translation-") as folder:
        on = run(args, pairs(args.on_env), True, Path(folder) / "on")
        off = {} if args.skip_off else run(args, pairs(args.off_env), False, Path(folder) / "off")
    width = max(len(k) for k in on)
    print(f"\n{'':{width}}  {'on':>10}  {'off':>10}")
    for key, value in on.items():
        print(f"{key:{width}}  {value!s:>10}  {off.get(key, '')!s:>10}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
