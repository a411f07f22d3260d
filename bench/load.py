"""Live load: N participants in an English and a Spanish session post initiatives, then vote.

For each async mode, the same load runs against the app (`python app.py`, or several of them
on PostgreSQL + Redis) and against bench/bare_server.py (python-socketio, no app logic), and
the figures are printed side by side with the app's share of the bare server's performance.

    python bench/load.py --participants 500 --modes eventlet,gevent,threading
    python bench/load.py --participants 1000 --processes 2

Stages, each bounded in time:
1. join: a few participants join through the join form (HTTP); the rest are written to the
   database with their signed cookies. Every participant connects (WebSocket) and asks for
   its snapshot, as the session page does.
2. posts: `--post-rate` initiatives per second, alternately in each session, for
   `--post-seconds`. Fan-out latency = from a post being sent to the moment the last client
   of its session has the `initiative:upserted` message.
3. votes: `--vote-rate` dots per second for `--vote-seconds` (shared budget 100 per
   participant). "On screen" latency = from a vote being sent to the first `workshop:results`
   on the facilitator's dashboard whose total of dots counts it (by number of acknowledged
   votes, not identity: close enough while the votes are all +1).

A post or vote answered `busy` (the server sheds participants' writes while its event loop
lags, OVERLOAD_LAG) is sent again with the same id as the page's outbox does it: that
participant's writes pause for a growing, jittered delay, then one goes alone, the rest once
one is accepted. Busy answers are counted apart from errors. Ack latencies are those of
the accepted try; "accepted after" counts from the first try.

With `--processes 2`, client i connects straight to process i mod 2, as a sticky balancer
hashing many client addresses would spread them; the facilitator sits on the first process.
`--one-address` puts nginx (deploy/nginx-site.conf) in front instead and every client,
facilitator included, connects through it from 127.0.0.1, as a room behind one Wi-Fi
address does: nginx spreads them by its routing cookie (the bare servers stay reached
directly). `--one-session` puts every participant in the English session (posts too):
the audience of each post is everyone. `--listeners N` moves part of the participants'
connections to N more client processes, which only listen for the posts (their arrival
times are on the same monotonic clock): the work of receiving every post, a phone's in a
real room, is then spread over several processes instead of one. They speak the wire
protocol directly (`Ear`), at a fraction of python-socketio's client's CPU per message, so
that the clients of a 2,000 room leave the 2 cores to the servers. With nginx in front its
CPU is printed too.

Clients, servers, Redis and PostgreSQL all share this machine: the client's own CPU is
printed so that a saturated client can be told from a saturated server.
"""

import argparse
import asyncio
import itertools
import json
import math
import multiprocessing
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import harness
import requests
import socketio
from harness import Meter, Usage, ms, percentile
from realserver import csrf_token
from services import RedisServer

NS = "/live"
CALL_TIMEOUT = 30
GRACE = 10  # seconds to wait for late messages after a stage
# seconds to wait after the votes for results that count them all: an overloaded process
# shows its last votes after more than GRACE (p99 17.9 s at 700 votes/s on two processes)
SCREEN_GRACE = 40
BUSY_BASE, BUSY_CAP = 1.0, 8.0  # `busy` retry delays, as static/js/feed.js: 1, 2, 4, 8 s
GIVE_UP = 120  # seconds after its first try a write still answered `busy` is counted lost
DOTS = 50  # per pool; barriers and enablers separate: 100 per participant


@dataclass
class Person:
    language: str
    session_id: int
    cookie: str
    url: str
    client: object = None
    backoff: int = 0  # `busy` answers in a row (the page's outbox pauses, see Load.write)
    resume_at: float = 0.0
    probe: asyncio.Lock = field(default_factory=asyncio.Lock)


@dataclass
class Run:
    """One target (app or bare) in one mode: what was measured."""

    label: str
    figures: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)
    busy: dict = field(default_factory=dict)  # event -> `busy` answers (each sent again)

    def error(self, kind, n=1):
        self.errors[kind] = self.errors.get(kind, 0) + n


def http_join(url, code, name):
    """Join through the form as a phone would; returns (seconds, cookie header)."""
    http = requests.Session()
    started = time.monotonic()
    page = http.get(f"{url}/j/{code}", timeout=30)
    data = {"csrf_token": csrf_token(page.text), "display_name": name}
    data.update(organisation="Oslo", country="Norway")
    answer = http.post(f"{url}/j/{code}", data=data, timeout=30)
    elapsed = time.monotonic() - started
    if not answer.url.endswith(f"/s/{code}"):
        raise RuntimeError(f"join failed: {answer.status_code} {answer.url}")
    return elapsed, "; ".join(f"{k}={v}" for k, v in http.cookies.items())


class Load:
    """The clients of one run and the measurements they take."""

    def __init__(self, run, args, http):
        self.run = run
        self.args = args
        self.http = http
        self.rng = random.Random(7)
        self.jitter = random.Random(11)
        self.arrivals = {}  # post number -> [arrival times]
        self.results = []  # (time, total dots) seen by the facilitator
        self.counting = False
        self.closing = False

    def client(self, cookie):
        # one aiohttp session for all clients (a connector per client costs too much); its
        # cookie jar is shared, so the cookie goes in the WebSocket request's own headers
        return socketio.AsyncClient(
            reconnection=False,
            http_session=self.http,
            websocket_extra_options={"headers": {"Cookie": cookie}} if cookie else {},
        )

    async def connect(self, person, auth, record=True):
        client = self.client(person.cookie)
        if record:
            client.on("initiative:upserted", self.on_post, namespace=NS)
            client.on("disconnect", self.on_disconnect, namespace=NS)
        started = time.monotonic()
        await client.connect(
            person.url,
            namespaces=[NS],
            auth=auth,
            transports=["websocket"],
            wait_timeout=CALL_TIMEOUT,
        )
        person.client = client
        return time.monotonic() - started

    def on_disconnect(self, *reason):
        if not self.closing:
            self.run.error("disconnected by the server")

    def on_post(self, message):
        title = message["initiative"]["title"]
        if title.startswith("Bench post #"):
            self.arrivals.setdefault(int(title[12:]), []).append(time.monotonic())

    def on_results(self, results):
        if self.counting:
            combined = results["rankings"]["combined"]
            total = sum(u["dots"] for kind in ("barrier", "enabler") for u in combined[kind])
            self.results.append((time.monotonic(), total))

    async def call(self, person, event, data):
        """An emit with acknowledgement; returns (ack or None, seconds)."""
        started = time.monotonic()
        try:
            ack = await person.client.call(event, data, namespace=NS, timeout=CALL_TIMEOUT)
        except socketio.exceptions.TimeoutError:
            self.run.error(f"{event} timeout")
            return None, time.monotonic() - started
        except socketio.exceptions.SocketIOError as error:
            self.run.error(f"{event} {type(error).__name__}")
            return None, time.monotonic() - started
        return ack, time.monotonic() - started

    async def write(self, person, event, data):
        """A participant's write as the page's outbox sends it (static/js/feed.js): after
        a `busy` answer, all of that participant's writes wait a growing random delay, then
        one goes alone, the others once one is accepted; same ids. Returns (ack or None,
        seconds of the last try, seconds since the first try)."""
        first = time.monotonic()
        while True:
            while (pause := person.resume_at - time.monotonic()) > 0:
                await asyncio.sleep(pause)
            if person.backoff:  # after a pause: one try at a time until one is accepted
                async with person.probe:
                    if person.resume_at > time.monotonic() or not person.backoff:
                        continue
                    ack, took = await self.call(person, event, data)
            else:
                ack, took = await self.call(person, event, data)
            if not (isinstance(ack, dict) and ack.get("error", {}).get("code") == "busy"):
                person.backoff = 0
                return ack, took, time.monotonic() - first
            self.run.busy[event] = self.run.busy.get(event, 0) + 1
            if time.monotonic() - first > GIVE_UP:
                self.run.error(f"{event} still busy after {GIVE_UP} s")
                return None, took, time.monotonic() - first
            if person.resume_at <= time.monotonic():  # else a pause of this wave is on
                ceiling = min(BUSY_CAP, BUSY_BASE * 2**person.backoff)
                person.backoff += 1
                delay = ceiling / 2 + self.jitter.random() * ceiling / 2
                person.resume_at = time.monotonic() + delay


def http_session():
    """The one aiohttp session of a client process: unlimited connections, no shared cookie
    jar (each client sends its own cookie, see Load.client)."""
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    return aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar())


def deal(people, count):
    """`people` dealt into `count` shares, each with its part of every session."""
    shares = [[] for _ in range(count)]
    by_language = {}
    for person in people:
        by_language.setdefault(person.language, []).append(person)
    for group in by_language.values():
        for n, person in enumerate(group):
            shares[n % count].append(person)
    return shares


class Listeners:
    """`--listeners` client processes, each holding a share of the participants'
    connections that only listen: when each bench post reaches them. Asked through a pipe:
    "connected" (answered once connected, as connect_everyone does), "arrivals", "stop"."""

    def __init__(self, shares, concurrency):
        context = multiprocessing.get_context("spawn")
        self.pipes, self.processes = [], []
        for share in shares:
            mine, theirs = context.Pipe()
            rows = [(p.language, p.session_id, p.cookie, p.url) for p in share]
            process = context.Process(target=listen, args=(theirs, rows, concurrency))
            process.start()
            self.pipes.append(mine)
            self.processes.append(process)

    @property
    def pids(self):
        return [p.pid for p in self.processes]

    async def ask(self, request):
        """Every listener's answer to `request`, without holding this process's loop."""
        loop = asyncio.get_running_loop()

        def exchange(pipe):
            pipe.send(request)
            return pipe.recv()

        return await asyncio.gather(*(loop.run_in_executor(None, exchange, p) for p in self.pipes))

    async def stop(self):
        """Disconnect every listener's clients; returns their errors."""
        errors = await self.ask("stop")
        for process in self.processes:
            process.join(timeout=30)
        return errors


def listen(pipe, rows, concurrency):
    """A listener process (Listeners)."""
    asyncio.run(_listen(pipe, [Person(*row) for row in rows], concurrency))


async def _listen(pipe, people, concurrency):
    run = Run("listener")
    loop = asyncio.get_running_loop()
    async with http_session() as http:
        ear = Ear(run, http)
        times = await ear.connect_everyone(people, concurrency)
        while (request := await loop.run_in_executor(None, pipe.recv)) != "stop":
            if request == "connected":
                pipe.send({"connected": ear.connected, "times": times, "errors": dict(run.errors)})
                run.errors.clear()  # reported
            else:
                pipe.send(ear.arrivals)
        await ear.close()
        pipe.send(run.errors)


class Ear:
    """A listener process's connections, in the wire protocol directly (Engine.IO 4 over a
    WebSocket, the text packets python-socketio's client would send): connect with the
    participant's cookie and auth, ask for the snapshot, then only answer pings and note
    when each bench post arrives. It costs a fraction of python-socketio's client per
    message, so that receiving every post in a room of 2,000 does not take the cores the
    servers are measured on."""

    POST = f'42{NS},["initiative:upserted"'
    TITLE = '"title":"Bench post #'

    def __init__(self, run, http):
        self.run, self.http = run, http
        self.arrivals = {}  # post number -> [arrival times]
        self.connected = {}  # language -> connections
        self.sockets, self.readers = [], []
        self.closing = False

    async def connect_everyone(self, people, concurrency):
        """Connect and snapshot every participant, `concurrency` at a time; the times taken."""
        gate, times = asyncio.Semaphore(concurrency), []

        async def one(person):
            async with gate:
                try:
                    times.append(await self.connect(person))
                except (aiohttp.ClientError, OSError, TypeError, RuntimeError) as e:
                    self.run.error(f"connect {type(e).__name__}")

        await asyncio.gather(*(one(p) for p in people))
        return times

    async def connect(self, person):
        started = time.monotonic()
        url = person.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        headers = {"Cookie": person.cookie} if person.cookie else {}
        ws = await self.http.ws_connect(url, headers=headers, timeout=CALL_TIMEOUT)
        try:
            opened = await ws.receive_str(timeout=CALL_TIMEOUT)
            if not opened.startswith("0"):
                raise RuntimeError(f"no Engine.IO open packet: {opened[:40]}")
            await ws.send_str(f'40{NS},{{"session_id":{person.session_id}}}')
            if not (await self._next(ws, (f"40{NS},", f"44{NS},"))).startswith(f"40{NS},"):
                raise RuntimeError("connection refused")
            await ws.send_str(f'42{NS},0["session:snapshot",{{"since_seq":null}}]')
            answer = await self._next(ws, (f"43{NS},0[",))
            if not json.loads(answer[len(f"43{NS},0") :])[0].get("ok"):
                self.run.error("snapshot refused")
        except BaseException:
            await ws.close()
            raise
        self.sockets.append(ws)
        self.readers.append(asyncio.create_task(self.read(ws)))
        self.connected[person.language] = self.connected.get(person.language, 0) + 1
        return time.monotonic() - started

    async def _next(self, ws, starts):
        """The next packet that starts with one of `starts`; pings on the way are answered,
        broadcasts skipped."""
        while True:
            packet = await ws.receive_str(timeout=CALL_TIMEOUT)
            if packet.startswith(starts):
                return packet
            if packet == "2":
                await ws.send_str("3")

    async def read(self, ws):
        """Until the server closes the connection or leaves the namespace (an error unless
        this process is closing)."""
        async for message in ws:
            packet = message.data if message.type == aiohttp.WSMsgType.TEXT else ""
            if packet == "2":
                await ws.send_str("3")
            elif packet.startswith(self.POST) and (at := packet.find(self.TITLE)) > 0:
                start = at + len(self.TITLE)
                number = int(packet[start : packet.index('"', start)])
                self.arrivals.setdefault(number, []).append(time.monotonic())
            elif packet.startswith(f"41{NS}"):
                break
        if not self.closing:
            self.run.error("disconnected by the server")

    async def close(self):
        self.closing = True
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.gather(*self.readers, return_exceptions=True)


async def paced(count, rate, send, deadline):
    """Start `send(k)` for k < count at `rate` per second; wait for them all."""
    started = time.monotonic()
    tasks = []
    for k in range(count):
        delay = started + k / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        if time.monotonic() > deadline:
            break
        tasks.append(asyncio.create_task(send(k)))
    sent_for = time.monotonic() - started
    await asyncio.gather(*tasks)
    return len(tasks), sent_for


async def connect_everyone(load, people, concurrency):
    """Connect every participant and fetch its snapshot, `concurrency` at a time."""
    gate = asyncio.Semaphore(concurrency)
    times = []

    async def one(person):
        async with gate:
            try:
                elapsed = await load.connect(person, {"session_id": person.session_id})
                ack, took = await load.call(person, "session:snapshot", {"since_seq": None})
                if ack and ack.get("ok"):
                    times.append(elapsed + took)
                else:
                    load.run.error("snapshot refused")
            except (socketio.exceptions.ConnectionError, aiohttp.ClientError, OSError) as error:
                load.run.error(f"connect {type(error).__name__}")
                person.client = None

    started = time.monotonic()
    await asyncio.gather(*(one(p) for p in people))
    return time.monotonic() - started, times


async def post_stage(load, people, facilitator, args, listeners=None, elsewhere=None):
    """`listeners` (Listeners) hold more of the audience: `elsewhere` {language: n}."""
    by_language = {}
    for person in people:
        if person.client is not None:
            by_language.setdefault(person.language, []).append(person)
    languages = sorted(by_language)
    sent, acks = {}, []

    async def send(k):
        group = by_language[languages[k % len(languages)]]
        person = group[(k // len(languages)) % len(group)]
        payload = {
            "client_id": f"post-{k}-{os.getpid()}",
            "title": f"Bench post #{k}",
            "description": "Protected bike lanes along the ring road. " * 4,
            "axis": "mobility",
            "sdgs": [3, 11, 13],
        }
        sent[k] = (time.monotonic(), person.language)
        ack, took, _ = await load.write(person, "initiative:post", payload)
        if ack and ack.get("ok"):
            acks.append(took)
        elif ack is not None:
            load.run.error(f"post {ack.get('error', {}).get('code')}")

    count = max(1, round(args.post_seconds * args.post_rate))
    deadline = time.monotonic() + args.post_seconds + 5
    posted, seconds = await paced(count, args.post_rate, send, deadline)
    audience = {lang: len(group) for lang, group in by_language.items()}
    for lang, n in (elsewhere or {}).items():
        audience[lang] = audience.get(lang, 0) + n
    arrivals = load.arrivals

    async def complete():
        nonlocal arrivals
        if listeners:
            arrivals = {k: list(times) for k, times in load.arrivals.items()}
            for theirs in await listeners.ask("arrivals"):
                for k, times in theirs.items():
                    arrivals.setdefault(k, []).extend(times)
        return all(len(arrivals.get(k, [])) >= audience[lang] for k, (_, lang) in sent.items())

    limit = time.monotonic() + GRACE
    while not await complete() and time.monotonic() < limit:
        await asyncio.sleep(0.25)
    everyone, deliveries, missed = [], [], 0
    for k, (t0, lang) in sent.items():
        arrived = arrivals.get(k, [])
        deliveries += [t - t0 for t in arrived]
        missed += max(0, audience[lang] - len(arrived))
        if len(arrived) >= audience[lang]:
            everyone.append(max(arrived) - t0)
    if missed:
        load.run.error("post deliveries missed", missed)
    return {
        "posts sent": posted,
        "posts acknowledged": len(acks),
        "posts per second (sent)": posted / (seconds + 1 / args.post_rate),
        "post ack p50 (ms)": ms(percentile(acks, 50)),
        "post ack p95 (ms)": ms(percentile(acks, 95)),
        "fan-out to whole session p50 (ms)": ms(percentile(everyone, 50)),
        "fan-out to whole session p95 (ms)": ms(percentile(everyone, 95)),
        "fan-out to whole session p99 (ms)": ms(percentile(everyone, 99)),
        "one delivery p50 (ms)": ms(percentile(deliveries, 50)),
        "one delivery p99 (ms)": ms(percentile(deliveries, 99)),
    }


async def prepare_voting(load, facilitator, workshop_id, sessions):
    """Items in each session, a budget of 2 x 50 dots, both sessions in `voting`."""
    items = {}
    for language, session_id in sessions.items():
        items[language] = []
        for n in range(8):
            kind = "barrier" if n % 2 else "enabler"
            data = {"session_id": session_id, "client_id": f"bench-{n}", "kind": kind}
            data["text"] = f"{kind.title()} {n} ({language})"
            ack, _ = await load.call(facilitator, "item:add", data)
            items[language].append(ack["item"]["id"])
    rules = {"workshop_id": workshop_id, "dots": DOTS, "per_item": DOTS, "separate": True}
    ack, _ = await load.call(facilitator, "workshop:set_voting_rules", rules)
    assert ack and ack.get("ok"), ack
    for session_id in sessions.values():
        data = {"session_id": session_id, "phase": "voting"}
        ack, _ = await load.call(facilitator, "session:set_phase", data)
        assert ack and ack.get("ok"), ack
    return items


async def vote_stage(load, people, items, args):
    voters = [p for p in people if p.client is not None]
    accepted, refused, acks, waits = [], {}, [], []
    busy_before = load.run.busy.get("vote:cast", 0)

    async def send(k):
        person = voters[k % len(voters)]
        item = load.rng.choice(items[person.language])
        started = time.monotonic()
        payload = {"client_id": f"vote-{k}-{os.getpid()}", "item_id": item, "delta": 1}
        ack, took, waited = await load.write(person, "vote:cast", payload)
        if ack and ack.get("ok") and ack.get("created"):
            accepted.append((started + waited, started))
            acks.append(took)
            waits.append(waited)
        elif ack is not None:
            code = ack.get("error", {}).get("code", "no ack")
            refused[code] = refused.get(code, 0) + 1

    count = max(1, round(args.vote_seconds * args.vote_rate))
    load.results.clear()
    load.counting = True
    started = time.monotonic()
    deadline = started + args.vote_seconds + 5
    sent, seconds = await paced(count, args.vote_rate, send, deadline)
    finished = time.monotonic()
    # the last results broadcast comes one interval after the last vote, unless overloaded
    limit = time.monotonic() + SCREEN_GRACE
    while time.monotonic() < limit and (not load.results or load.results[-1][1] < len(accepted)):
        await asyncio.sleep(0.05)
    load.counting = False
    on_screen = []
    ordered = sorted(accepted)
    shown = sorted(load.results)
    cursor = 0
    for rank, (_acked, sent_at) in enumerate(ordered, start=1):
        while cursor < len(shown) and shown[cursor][1] < rank:
            cursor += 1
        if cursor == len(shown):
            load.run.error("votes never on screen", len(ordered) - rank + 1)
            break
        on_screen.append(max(0.0, shown[cursor][0] - sent_at))
    for code, n in refused.items():
        load.run.error(f"vote {code}", n)
    return {
        "votes sent": sent,
        "votes accepted": len(accepted),
        "votes per second (sent)": sent / (seconds + 1 / args.vote_rate),
        "votes accepted per second": len(accepted)
        / max(finished - started, seconds + 1 / args.vote_rate),
        "vote busy answers (sent again)": load.run.busy.get("vote:cast", 0) - busy_before,
        "vote ack p50 (ms)": ms(percentile(acks, 50)),
        "vote ack p95 (ms)": ms(percentile(acks, 95)),
        "vote accepted after, from first try p50 (ms)": ms(percentile(waits, 50)),
        "vote accepted after, from first try p95 (ms)": ms(percentile(waits, 95)),
        "vote on screen p50 (ms)": ms(percentile(on_screen, 50)),
        "vote on screen p95 (ms)": ms(percentile(on_screen, 95)),
        "vote on screen p99 (ms)": ms(percentile(on_screen, 99)),
    }


def people_for_app(servers, seed, args, run, urls=None):
    """Participants: `--http-joins` through the form, the rest written to the database;
    client i reaches urls[i mod len(urls)] (each process in turn, or nginx)."""
    urls = urls or servers.urls
    people, join_times = [], []
    for n in range(min(args.http_joins, args.participants)):
        language = language_of(n, args)
        url = urls[n % len(urls)]
        try:
            took, cookie = http_join(url, seed.codes[language], f"Joiner {n}")
        except (requests.RequestException, RuntimeError) as error:
            run.error(f"http join {type(error).__name__}")
            continue
        join_times.append(took)
        people.append(Person(language, seed.sessions[language], cookie, url))
    pool = {lang: iter(ids) for lang, ids in seed.participants.items()}
    while len(people) < args.participants:
        language = language_of(len(people), args)
        session_id = seed.sessions[language]
        cookie = harness.participant_cookie(session_id, next(pool[language]))
        people.append(Person(language, session_id, cookie, urls[len(people) % len(urls)]))
    return people, join_times


def language_of(n, args):
    """Participant n's session: alternately English and Spanish, or all English."""
    return "en" if args.one_session else ("en", "es")[n % 2]


def people_for_bare(servers, args):
    urls = servers.urls
    sessions = {"en": 1, "es": 2}
    return [
        Person(language_of(n, args), sessions[language_of(n, args)], "", urls[n % len(urls)])
        for n in range(args.participants)
    ]


async def drive(run, servers, people, facilitator, workshop_id, sessions, args):
    """Stages 1-3 against running servers; fills run.figures."""
    async with http_session() as http:
        load = Load(run, args, http)
        own, *shares = deal(people, args.listeners + 1)
        listeners = None
        try:
            await load.connect(facilitator, None, record=False)
            facilitator.client.on("workshop:results", load.on_results, namespace=NS)
            ack, _ = await load.call(facilitator, "workshop:watch", {"workshop_id": workshop_id})
            assert ack and ack.get("ok"), ack
            for session_id in sessions.values():
                data = {"session_id": session_id, "phase": "initiatives"}
                ack, _ = await load.call(facilitator, "session:set_phase", data)
                assert ack and ack.get("ok"), ack
            usage = Usage(servers.pids)
            support = Usage(servers.support_pids())
            rss0 = usage.rss()
            started = time.monotonic()
            if shares:
                listeners = Listeners(shares, args.connect_concurrency)
            client = Usage([os.getpid(), *(listeners.pids if listeners else [])], children=False)
            _took, times = await connect_everyone(load, own, args.connect_concurrency)
            connected = sum(p.client is not None for p in own)
            elsewhere = {}
            for answer in await listeners.ask("connected") if listeners else []:
                times += answer["times"]
                for kind, n in answer["errors"].items():
                    run.error(kind, n)
                for lang, n in answer["connected"].items():
                    elsewhere[lang] = elsewhere.get(lang, 0) + n
                    connected += n
            took = time.monotonic() - started
            rss1 = Usage(servers.pids).rss()
            run.figures.update(
                {
                    "participants connected": connected,
                    "connect all (s)": f"{took:.1f}",
                    "connect + snapshot p50 (ms)": ms(percentile(times, 50)),
                    "connect + snapshot p95 (ms)": ms(percentile(times, 95)),
                    "server memory per participant (KiB)": f"{(rss1 - rss0) / 1024 / connected:.0f}"
                    if connected
                    else "-",
                    "server memory, total (MiB)": f"{rss1 / 2**20:.0f}",
                }
            )
            parts = [Usage(servers.pids), support, client]
            if relay := servers.relay_pids():
                parts.append(Usage(relay))
            meters = [Meter(u).start() for u in parts]
            posts = await post_stage(load, own, facilitator, args, listeners, elsewhere)
            shares = [m.stop() for m in meters]
            run.figures.update(posts)
            run.figures.update(cpu_figures("posts", shares, connected))
            run.figures["server CPU per post (ms)"] = per(meters[0], posts["posts acknowledged"])
            items = await prepare_voting(load, facilitator, workshop_id, sessions)
            meters = [Meter(u).start() for u in parts]
            votes = await vote_stage(load, own, items, args)
            shares = [m.stop() for m in meters]
            run.figures.update(votes)
            run.figures.update(cpu_figures("votes", shares, connected))
            accepted = votes["votes accepted"]
            run.figures["server CPU per accepted vote (ms)"] = per(meters[0], accepted)
            disconnected = run.errors.get("disconnected by the server", 0)
            run.figures["clients disconnected by the server"] = disconnected
        finally:
            load.closing = True
            clients = [p.client for p in [*own, facilitator] if p.client is not None]
            for person in [*own, facilitator]:
                person.client = None
            await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)
            for errors in await listeners.stop() if listeners else []:
                for kind, n in errors.items():
                    run.error(kind, n)


def per(meter, count):
    """CPU milliseconds per operation: what a free core would need for each (idle work such
    as pings and result broadcasts is counted in, so it is an upper bound)."""
    return f"{meter.seconds * 1000 / count:.1f}" if count else "-"


def cpu_figures(stage, shares, connected):
    server, support, client, *relay = shares
    per = server / connected * 1000 if connected else math.nan
    figures = {
        f"server CPU during {stage} (% of a core)": f"{server * 100:.0f}",
        f"server CPU per participant during {stage} (ms/s)": f"{per:.2f}",
        f"PostgreSQL + Redis CPU during {stage} (% of a core)": f"{support * 100:.0f}",
        f"load client CPU during {stage} (% of a core)": f"{client * 100:.0f}",
    }
    if relay:
        figures[f"nginx CPU during {stage} (% of a core)"] = f"{relay[0] * 100:.0f}"
    return figures


def run_app(mode, args, workdir):
    run = Run(f"{mode} app")
    database = "postgres" if args.processes > 1 else args.database
    env = dict(item.split("=", 1) for item in args.app_env)
    nginx = args.one_address and args.processes > 1
    servers = harness.AppServers(
        workdir / "app", args.processes, mode, database, env, nginx=nginx
    ).start()
    try:
        per_session = (args.participants if args.one_session else args.participants // 2) + 1
        seed = harness.seed_workshop(servers.database_url, per_session)
        front = [servers.front_url] if nginx else None
        people, join_times = people_for_app(servers, seed, args, run, front)
        run.figures["join through the form p50 (ms)"] = ms(percentile(join_times, 50))
        run.figures["join through the form p95 (ms)"] = ms(percentile(join_times, 95))
        cookie = harness.facilitator_cookie(seed.facilitator_id)
        facilitator = Person("en", 0, cookie, (front or servers.urls)[0])
        asyncio.run(drive(run, servers, people, facilitator, seed.workshop_id, seed.sessions, args))
        if nginx:
            spread = servers.connections_per_process()
            run.figures["connections per process (through nginx)"] = " / ".join(
                str(spread.get(str(s.port), 0)) for s in servers.servers
            )
    finally:
        servers.stop()
    return run


def run_bare(mode, args, workdir):
    run = Run(f"{mode} bare")
    redis = RedisServer().start() if args.processes > 1 else None
    servers = harness.BareServers(
        workdir / "bare", args.processes, mode, redis.url if redis else None
    )
    try:
        servers.start()
        people = people_for_bare(servers, args)
        run.figures["join through the form p50 (ms)"] = "-"
        run.figures["join through the form p95 (ms)"] = "-"
        facilitator = Person("en", 0, "", servers.urls[0])
        sessions = {"en": 1, "es": 2}
        asyncio.run(drive(run, servers, people, facilitator, 1, sessions, args))
    finally:
        servers.stop()
        if redis:
            redis.stop()
    return run


HIGHER_IS_BETTER = ("per second",)
RATIO_ROWS = [
    "fan-out to whole session p95 (ms)",
    "votes accepted per second",
    "vote on screen p95 (ms)",
    "server CPU during posts (% of a core)",
    "server CPU during votes (% of a core)",
]


def number(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def ratio(row, app, bare):
    """App relative to bare, 1.0 = as good: throughput app/bare; latency and CPU bare/app."""
    a, b = number(app.figures.get(row)), number(bare.figures.get(row))
    if math.isnan(a) or math.isnan(b) or a == 0 or b == 0:
        return "-"
    return f"{(a / b if any(h in row for h in HIGHER_IS_BETTER) else b / a):.2f}"


def show(value):
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def report(runs, args):
    print()
    shape = (" through nginx from one address" if args.one_address else "") + (
        ", all in one session" if args.one_session else ""
    )
    print(f"## Live load: {args.participants} participants, {args.processes} process(es){shape}")
    print()
    print(f"machine: {harness.machine()}")
    print(
        f"load: {args.post_rate}/s posts for {args.post_seconds}s, {args.vote_rate}/s votes "
        f"for {args.vote_seconds}s, {args.http_joins} joins through the form"
        + (f"; client processes listening besides: {args.listeners}" if args.listeners else "")
    )
    print()
    rows = list(dict.fromkeys(r for run in runs for r in run.figures))
    print("| figure | " + " | ".join(run.label for run in runs) + " |")
    print("|---|" + "---|" * len(runs))
    for row in rows:
        cells = [show(run.figures.get(row, "-")) for run in runs]
        print(f"| {row} | " + " | ".join(cells) + " |")
    errors = [
        "; ".join(f"{k}: {v}" for k, v in sorted(run.errors.items())) or "none" for run in runs
    ]
    print("| errors | " + " | ".join(errors) + " |")
    busy = ["; ".join(f"{k}: {v}" for k, v in sorted(run.busy.items())) or "none" for run in runs]
    print("| busy answers (sent again later) | " + " | ".join(busy) + " |")
    pairs = [(a, b) for a, b in itertools.pairwise(runs) if a.label.endswith("app")]
    if pairs:
        print()
        print("app relative to bare (1.00 = as good; latency and CPU: bare/app, rates: app/bare)")
        print()
        print("| figure | " + " | ".join(a.label.split()[0] for a, _ in pairs) + " |")
        print("|---|" + "---|" * len(pairs))
        for row in RATIO_ROWS:
            print(f"| {row} | " + " | ".join(ratio(row, a, b) for a, b in pairs) + " |")
    sys.stdout.flush()


def interrupt(*_):
    """SIGTERM stops like Ctrl-C: the servers this run started are stopped too."""
    raise KeyboardInterrupt


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--modes", default="eventlet", help="comma list: eventlet,gevent,threading")
    parser.add_argument("--processes", type=int, default=1, help="2+: PostgreSQL and Redis")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--post-rate", type=float, default=2.0, help="initiatives per second")
    parser.add_argument("--post-seconds", type=float, default=20)
    parser.add_argument("--vote-rate", type=float, default=500, help="dots per second")
    parser.add_argument("--vote-seconds", type=float, default=10)
    parser.add_argument("--http-joins", type=int, default=20)
    parser.add_argument("--connect-concurrency", type=int, default=50)
    parser.add_argument("--no-bare", action="store_true", help="skip the bare server")
    parser.add_argument(
        "--one-address", action="store_true", help="2+ processes: every client through nginx"
    )
    parser.add_argument(
        "--one-session", action="store_true", help="every participant in one session"
    )
    parser.add_argument(
        "--listeners", type=int, default=0, help="more client processes that only listen"
    )
    parser.add_argument("--workdir", help="keep the servers' logs and databases here")
    parser.add_argument(
        "--app-env", action="append", default=[], metavar="NAME=VALUE", help="for app processes"
    )
    args = parser.parse_args(argv)
    harness.raise_fd_limit()
    voters = args.participants // (args.listeners + 1)
    per_participant = args.vote_rate * args.vote_seconds / max(1, voters)
    if per_participant > 2 * DOTS:
        print(f"note: {per_participant:.0f} votes per participant > budget {2 * DOTS}")
    runs = []
    signal.signal(signal.SIGTERM, interrupt)
    with tempfile.TemporaryDirectory(prefix="fg-load-") as folder:
        for mode in [m.strip() for m in args.modes.split(",") if m.strip()]:
            workdir = Path(args.workdir or folder) / mode
            print(f"running {mode} app ...", flush=True)
            runs.append(run_app(mode, args, workdir))
            if not args.no_bare:
                print(f"running {mode} bare ...", flush=True)
                runs.append(run_bare(mode, args, workdir))
    report(runs, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
