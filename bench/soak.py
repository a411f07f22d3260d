"""Soak: N participants for a long time on two processes (PostgreSQL + Redis, nginx in
front, every client from one address), at a realistic rate of posts and votes.

    python bench/soak.py --participants 500 --minutes 30
    python bench/soak.py --participants 20 --minutes 0.5      # a quick look

Half the participants are in an English session taking initiatives, half in a Spanish one
voting on eight barriers and enablers (each places a dot, then takes it back, so the
budget never runs out). Every `--sample` seconds it prints each app process's resident
memory, the posts and votes acknowledged so far, the `busy` answers and the disconnects.
At the end: memory per process from the first sample after the warm-up to the last
(flat within 10 % is the target), and whether what was acknowledged is exactly what is
stored. A `busy` answer is sent again with the same id after a pause, as the page does.
It asserts nothing: the figures are for docs/performance.md.
"""

import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
import harness
import socketio
from harness import Usage

NS = "/live"
CALL_TIMEOUT = 30


class Soak:
    def __init__(self, args, url, http):
        self.args = args
        self.url = url
        self.http = http
        self.acked = {"post": set(), "vote": 0}
        self.busy = 0
        self.errors = {}
        self.disconnects = 0
        self.closing = False
        self.rng = random.Random(5)

    def error(self, kind):
        self.errors[kind] = self.errors.get(kind, 0) + 1

    async def connect(self, cookie, auth):
        client = socketio.AsyncClient(
            reconnection=True,
            reconnection_delay=1,
            http_session=self.http,
            websocket_extra_options={"headers": {"Cookie": cookie}},
        )
        client.on("disconnect", self.on_disconnect, namespace=NS)
        await client.connect(
            self.url, namespaces=[NS], auth=auth, transports=["websocket"], wait_timeout=30
        )
        return client

    def on_disconnect(self, *_reason):
        if not self.closing:
            self.disconnects += 1

    async def send(self, client, event, data):
        """Until accepted: `busy` waits 1-8 s and sends again; returns the ack or None."""
        pause = 1.0
        for _ in range(20):
            try:
                ack = await client.call(event, data, namespace=NS, timeout=CALL_TIMEOUT)
            except (TimeoutError, socketio.exceptions.SocketIOError) as error:
                self.error(f"{event} {type(error).__name__}")
                await asyncio.sleep(pause)
                continue
            code = (ack or {}).get("error", {}).get("code")
            if code == "busy":
                self.busy += 1
                await asyncio.sleep(pause * (0.5 + self.rng.random()))
                pause = min(8.0, pause * 2)
                continue
            if code:
                self.error(f"{event} {code}")
                return None
            return ack
        self.error(f"{event} gave up")
        return None


async def paced(rate, seconds, job):
    """`job(k)` at `rate` per second for `seconds`, each as its own task."""
    tasks, k, start = [], 0, time.monotonic()
    while time.monotonic() - start < seconds:
        tasks.append(asyncio.create_task(job(k)))
        k += 1
        await asyncio.sleep(max(0.0, start + k / rate - time.monotonic()))
    await asyncio.gather(*tasks)


async def drive(args, servers, seed):
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(
        connector=connector, cookie_jar=aiohttp.DummyCookieJar()
    ) as http:
        soak = Soak(args, servers.front_url, http)
        facilitator = await soak.connect(harness.facilitator_cookie(seed.facilitator_id), None)
        call = lambda event, data: facilitator.call(event, data, namespace=NS, timeout=30)  # noqa: E731
        assert (await call("workshop:watch", {"workshop_id": seed.workshop_id}))["ok"]
        es = seed.sessions["es"]
        items = []
        for n in range(8):
            kind = "barrier" if n % 2 else "enabler"
            data = {"session_id": es, "client_id": f"soak-{n}", "kind": kind, "text": f"{kind} {n}"}
            items.append((await call("item:add", data))["item"]["id"])
        rules = {"workshop_id": seed.workshop_id, "dots": 50, "per_item": 50, "separate": True}
        assert (await call("workshop:set_voting_rules", {**rules, "sdg_limit": 3}))["ok"]
        assert (await call("session:set_phase", {"session_id": es, "phase": "voting"}))["ok"]
        en = seed.sessions["en"]
        assert (await call("session:set_phase", {"session_id": en, "phase": "initiatives"}))["ok"]

        people = {"en": [], "es": []}
        for language in ("en", "es"):
            session_id = seed.sessions[language]
            for pid in seed.participants[language][: args.participants // 2]:
                cookie = harness.participant_cookie(session_id, pid)
                people[language].append(await soak.connect(cookie, {"session_id": session_id}))
        placed = {}  # voter index -> the item holding its dot

        async def post(k):
            client = people["en"][k % len(people["en"])]
            data = {"client_id": f"soak-post-{k}-{os.getpid()}", "title": f"Soak post {k}"}
            data.update(axis="mobility", sdgs=[11], description="Bike lanes. " * 10)
            ack = await soak.send(client, "initiative:post", data)
            if ack:
                soak.acked["post"].add(data["client_id"])

        locks = [asyncio.Lock() for _ in people["es"]]

        async def vote(k):
            """Each voter's votes one after the other: a dot placed, then taken back."""
            n = k % len(people["es"])
            async with locks[n]:
                item = placed.get(n)
                delta = -1 if item else 1
                item = item or items[k % len(items)]
                data = {"client_id": f"soak-vote-{k}", "item_id": item, "delta": delta}
                ack = await soak.send(people["es"][n], "vote:cast", data)
                if ack:
                    soak.acked["vote"] += 1
                    if delta == 1:
                        placed[n] = item
                    else:
                        placed.pop(n, None)

        usage = [Usage([pid]) for pid in servers.pids]
        samples, start = [], time.monotonic()
        seconds = args.minutes * 60

        async def sample():
            while time.monotonic() - start < seconds:
                await asyncio.sleep(args.sample)
                rss = [u.rss() / 2**20 for u in usage]
                samples.append((time.monotonic() - start, rss))
                print(
                    f"{samples[-1][0]:7.0f} s  RSS MiB {' / '.join(f'{r:.1f}' for r in rss)}"
                    f"  posts {len(soak.acked['post'])}  votes {soak.acked['vote']}"
                    f"  busy {soak.busy}  disconnects {soak.disconnects}"
                    f"  load {os.getloadavg()[0]:.2f}",
                    flush=True,
                )

        await asyncio.gather(
            paced(args.post_rate, seconds, post),
            paced(args.vote_rate, seconds, vote),
            sample(),
        )
        soak.closing = True
        clients = [facilitator, *people["en"], *people["es"]]
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
        return soak, samples


def report(args, servers, seed, soak, samples):
    stored_posts = {
        cid
        for (cid,) in servers.cluster.query(
            "SELECT client_id FROM initiatives WHERE session_id = ?", (seed.sessions["en"],)
        )
    }
    (stored_votes,) = servers.cluster.query(
        "SELECT count(*) FROM votes WHERE session_id = ?", (seed.sessions["es"],)
    )[0]
    warm = [s for s in samples if s[0] >= args.warmup * 60] or samples
    print()
    print(f"## Soak: {args.participants} participants, {args.minutes} min, 2 processes")
    print()
    print(f"machine: {harness.machine()}")
    print()
    print("| figure | value |")
    print("|---|---|")
    if warm:
        first, last = warm[0][1], warm[-1][1]
        peak = [max(s[1][i] for s in warm) for i in range(len(first))]
        for i, (a, b, p) in enumerate(zip(first, last, peak, strict=True)):
            print(
                f"| process {i + 1} RSS after warm-up / at the end / peak (MiB) | "
                f"{a:.1f} / {b:.1f} / {p:.1f} ({(p - a) / a * 100:+.1f} % peak) |"
            )
    print(f"| posts acknowledged / stored | {len(soak.acked['post'])} / {len(stored_posts)} |")
    print(f"| acknowledged posts all stored | {soak.acked['post'] <= stored_posts} |")
    print(f"| votes acknowledged / stored | {soak.acked['vote']} / {stored_votes} |")
    print(f"| busy answers (sent again) | {soak.busy} |")
    print(f"| clients disconnected | {soak.disconnects} |")
    errors = "; ".join(f"{k}: {v}" for k, v in sorted(soak.errors.items())) or "none"
    print(f"| errors | {errors} |")


def interrupt(*_):
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=2, help="minutes before memory counts")
    parser.add_argument("--post-rate", type=float, default=1.0, help="initiatives per second")
    parser.add_argument("--vote-rate", type=float, default=20.0, help="dots per second")
    parser.add_argument("--sample", type=float, default=60, help="seconds between samples")
    args = parser.parse_args(argv)
    harness.raise_fd_limit()
    signal.signal(signal.SIGTERM, interrupt)
    with tempfile.TemporaryDirectory(prefix="fg-soak-") as folder:
        servers = harness.AppServers(
            Path(folder), 2, "eventlet", "postgres", {"SOCKET_EVENTS_PER_SECOND": "20"}, True
        ).start()
        try:
            seed = harness.seed_workshop(servers.database_url, args.participants // 2 + 1)
            soak, samples = asyncio.run(drive(args, servers, seed))
            report(args, servers, seed, soak, samples)
        finally:
            servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
