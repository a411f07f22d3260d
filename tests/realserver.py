"""The real app as a subprocess on a free port, and the HTTP and Socket.IO helpers that drive it.

Nothing here imports the app: the server is `python app.py` exactly as it runs in production,
reached only over HTTP, Socket.IO and its SQLite file.
"""

import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import requests
import socketio

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
NAMESPACE = "/live"
SECRET_KEY = "real-server-test-secret"
PASSWORD = "correct horse battery"
SETUP_LINK = re.compile(r"(https?://\S+/setup/\S+)")
CSRF = re.compile(r'name="csrf_token"\s+value="([^"]+)"')


def free_port():
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout=20.0, interval=0.05):
    """Poll `condition` until it returns something truthy (returned) or `timeout` passes (None)."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


class RealServer:
    """`python app.py` on a free port with its own SQLite file; stop and start keep both."""

    def __init__(self, workdir, async_mode="eventlet", env=None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.workdir / "facilitation.db"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "PORT": str(self.port),
            "HOST": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{self.db_path}",
            "SECRET_KEY": SECRET_KEY,
            "FACILITATION_ASYNC_MODE": async_mode,
            "PYTHONUNBUFFERED": "1",
            # every test participant joins from 127.0.0.1
            "JOIN_RATE_LIMIT": "100000 per minute",
            # bursts that test rules under contention must not be answered `busy`; the
            # overload tests (test_realserver_overload.py) and the benchmarks turn it on
            "OVERLOAD_LAG": "0",
            # no background translation unless a test asks for it (test_translation_*.py)
            "TRANSLATION": "off",
            **(env or {}),
        }
        self.process = None
        self.starts = 0
        self.setup_link = None

    @property
    def log_path(self):
        return self.workdir / f"server-{self.starts}.log"

    def log(self):
        """What the current (or last) run printed."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout=30.0):
        """Start the process and wait until /healthz answers; note the setup link if printed."""
        assert self.process is None, "already running"
        self.starts += 1
        self.setup_link = None
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [str(PYTHON), "app.py"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if not wait_until(self._healthy, timeout, interval=0.1):
            self.stop()
            raise RuntimeError(f"server did not answer /healthz:\n{self.log()[-3000:]}")
        found = SETUP_LINK.search(self.log())
        if found:
            self.setup_link = found.group(1)
        return self

    def _healthy(self):
        if self.process.poll() is not None:
            code = self.process.returncode
            raise RuntimeError(f"server exited with {code}:\n{self.log()[-3000:]}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=1).status_code == 200
        except requests.RequestException:
            return False

    def stop(self, timeout=10.0):
        """SIGTERM, then SIGKILL if it has not exited within `timeout` seconds."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self.process = None

    def restart(self):
        """Stop and start again on the same port and database."""
        self.stop()
        return self.start()

    def db(self):
        """A read-only sqlite3 connection to the server's database (close it after use)."""
        return sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=10)

    def query(self, sql, params=()):
        connection = self.db()
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()


# over HTTP, as a browser would


def csrf_token(html):
    found = CSRF.search(html)
    assert found, "no csrf_token hidden input on the page"
    return found.group(1)


def submit(http, url, data, form_url=None):
    """GET the page holding the form, then POST `data` with its CSRF token."""
    page = http.get(form_url or url, timeout=10)
    assert page.status_code == 200, (page.status_code, page.url)
    response = http.post(url, data={"csrf_token": csrf_token(page.text), **data}, timeout=10)
    assert response.status_code == 200, (response.status_code, response.url, response.text[:500])
    assert response.history, f"the form at {url} did not redirect: {response.text[:500]}"
    return response


def cookie_header(http):
    return "; ".join(f"{name}={value}" for name, value in http.cookies.items())


def create_facilitator(server, name="Ana", email="ana@example.org"):
    """Redeem the printed one-time setup link; returns the signed-in requests.Session."""
    assert server.setup_link, f"the server printed no setup link:\n{server.log()}"
    http = requests.Session()
    data = {"name": name, "email": email, "password": PASSWORD}
    response = submit(http, server.setup_link, data)
    assert "/facilitator" in response.url, response.url
    return http


def start_seeded(server, size, votes):
    """Seed bench/exports.py's large workshop (id 1: `size` initiatives, 1,000 participants,
    `votes` votes) into the database of `server`, not yet started, then start it; returns
    Ana signed in as a co-facilitator of that workshop (its own facilitator has no password,
    so she is added in the database)."""
    seed = [str(PYTHON), str(ROOT / "bench" / "exports.py"), "--seed", "--db", str(server.db_path)]
    seed += ["--size", str(size), "--votes", str(votes)]
    subprocess.run(seed, cwd=ROOT, check=True, capture_output=True)
    server.start()
    try:
        http = create_facilitator(server)
        with sqlite3.connect(server.db_path, timeout=10) as connection:
            connection.execute(
                "INSERT INTO workshop_facilitators (workshop_id, facilitator_id)"
                " SELECT 1, id FROM facilitators WHERE email = 'ana@example.org'"
            )
    except BaseException:
        server.stop()
        raise
    return http


def create_workshop(server, facilitator, title="Smart Cities Study", date="2026-05-10"):
    """Create a workshop through the form; returns its id."""
    url = f"{server.url}/facilitator/workshops/new"
    response = submit(facilitator, url, {"title": title, "date": date})
    found = re.search(r"/facilitator/workshops/(\d+)$", response.url)
    assert found, response.url
    return int(found.group(1))


@dataclass
class SessionInfo:
    id: int
    code: str
    language: str


def add_session(server, facilitator, workshop_id, name, language):
    """Add a parallel session through the dashboard form; id and join code come from the DB."""
    url = f"{server.url}/facilitator/workshops/{workshop_id}"
    submit(facilitator, f"{url}/sessions", {"name": name, "language": language}, form_url=url)
    rows = server.query(
        "SELECT id, join_code, language FROM sessions WHERE workshop_id = ? AND name = ?"
        " ORDER BY id DESC LIMIT 1",
        (workshop_id, name),
    )
    assert rows, f"session {name!r} was not stored"
    return SessionInfo(*rows[0])


@dataclass
class Participant:
    http: requests.Session
    session: SessionInfo
    name: str


def join(server, session, name, organisation="Oslo", country="Norway"):
    """Join through the join form, as someone who opened the QR link would."""
    http = requests.Session()
    data = {"display_name": name, "organisation": organisation, "country": country}
    response = submit(http, f"{server.url}/j/{session.code}", data)
    assert response.url.endswith(f"/s/{session.code}"), response.url
    return Participant(http, session, name)


# over Socket.IO


class LiveClient:
    """A python-socketio client on /live that records every event it receives."""

    def __init__(self, server, http, auth=None, transports=("websocket",), origin=None):
        """Connect with `http`'s cookies; `origin` replaces the Origin header clients send."""
        self.server = server
        self.events = defaultdict(list)
        self._changed = threading.Condition()
        headers = {"Cookie": cookie_header(http)}
        options = {}
        if origin is not None:
            # the one Origin header, on polling requests and on the websocket handshake
            headers["Origin"] = origin
            options["websocket_extra_options"] = {"suppress_origin": True}
        # its cookie jar too: python-engineio sends `headers` on the handshake only, and a
        # browser sends its cookies (nginx's routing cookie among them) on every request
        self.sio = socketio.Client(reconnection=False, http_session=http, **options)
        self.sio.on("*", self._record, namespace=NAMESPACE)
        self.sio.connect(
            server.url,
            namespaces=[NAMESPACE],
            auth=auth,
            headers=headers,
            transports=list(transports),
            wait_timeout=10,
        )

    @property
    def transport(self):
        return self.sio.transport()

    def _record(self, event, data=None):
        with self._changed:
            self.events[event].append(data)
            self._changed.notify_all()

    def received(self, event):
        with self._changed:
            return list(self.events[event])

    def wait_for(self, condition, timeout=20.0):
        """Wait until `condition(self)` is truthy or `timeout` passes; returns its last value."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self), timeout)

    def call(self, event, data=None, timeout=15):
        return self.sio.call(event, data, namespace=NAMESPACE, timeout=timeout)

    def close(self):
        if self.sio.connected:
            self.sio.disconnect()


def connect_participant(server, participant, **options):
    """A live client for a joined participant (auth names the session it joined)."""
    auth = {"session_id": participant.session.id}
    return LiveClient(server, participant.http, auth=auth, **options)


def connect_facilitator(server, facilitator, **options):
    return LiveClient(server, facilitator, **options)


def open_phase(facilitator_live, session_ids, phase="initiatives"):
    """The facilitator moves sessions to `phase` over the socket; returns the acks."""
    acks = [
        facilitator_live.call("session:set_phase", {"session_id": i, "phase": phase})
        for i in session_ids
    ]
    assert all(ack.get("ok") for ack in acks), (acks, facilitator_live.server.log()[-3000:])
    return acks


def bilingual_workshop(server, facilitator, title="Smart Cities Study"):
    """A workshop with an English and a Spanish session; returns (id, {language: SessionInfo})."""
    workshop_id = create_workshop(server, facilitator, title)
    sessions = {
        "en": add_session(server, facilitator, workshop_id, f"{title} (English)", "en"),
        "es": add_session(server, facilitator, workshop_id, f"{title} (español)", "es"),
    }
    return workshop_id, sessions


def open_session(server, title, phase="initiatives"):
    """A new facilitator's workshop with one English session, moved to `phase` over the
    socket; returns the session (SessionInfo)."""
    facilitator = create_facilitator(server)
    workshop_id = create_workshop(server, facilitator, title)
    session = add_session(server, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        open_phase(watcher, [session.id], phase)
    finally:
        watcher.close()
    return session
