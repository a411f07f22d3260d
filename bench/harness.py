"""What the benchmarks share: servers to measure, participants written straight into the
database with their signed cookies, percentiles and CPU/memory readings.

Servers are the real thing: `python app.py` (tests/realserver.py) on SQLite, or several of
them on PostgreSQL and Redis (tests/cluster.py), and bench/bare_server.py for comparison.
Everything listens on 127.0.0.1 only.
"""

import datetime as dt
import math
import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import sqlalchemy as sa
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]

from cluster import Cluster  # noqa: E402
from realserver import PYTHON, SECRET_KEY, RealServer, free_port, wait_until  # noqa: E402

from facilitation.extensions import db  # noqa: E402
from facilitation.models import Facilitator  # noqa: E402,F401  (fills db.metadata)

TABLES = db.metadata.tables
CODE_LETTERS = "34679ACDEFGHJKMNPQRTUVWXY"


def raise_fd_limit():
    """Allow as many open sockets as the hard limit does (servers started later inherit it)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def percentile(values, p):
    """The p-th percentile (nearest rank) of `values`, or nan when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def ms(seconds):
    return "-" if seconds is None or math.isnan(seconds) else f"{seconds * 1000:.0f}"


# signed cookies, as the app's join form and sign-in would set them


def cookie(data, secret=SECRET_KEY):
    """A `session=` cookie header with `data`, signed the way Flask signs it."""
    app = Flask("bench")
    app.secret_key = secret
    signed = SecureCookieSessionInterface().get_signing_serializer(app).dumps(dict(data))
    return f"session={signed}"


def participant_cookie(session_id, participant_id):
    return cookie({"participants": {str(session_id): participant_id}})


def facilitator_cookie(facilitator_id):
    return cookie({"_user_id": str(facilitator_id), "_fresh": True, "facilitator_epoch": 0})


# the database


def engine_for(url):
    return sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))


@dataclass
class Seed:
    facilitator_id: int
    workshop_id: int
    sessions: dict  # language -> session id
    codes: dict  # language -> join code
    participants: dict = field(default_factory=dict)  # language -> [participant id]


def seed_workshop(url, per_session, phase="lobby", rng=None):
    """A facilitator, a workshop with an English and a Spanish session, and `per_session`
    participants in each, inserted in bulk (joining through the form is measured apart)."""
    rng = rng or random.Random(1)
    engine = engine_for(url)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    try:
        with engine.begin() as c:
            facilitator = c.execute(
                sa.insert(TABLES["facilitators"]).values(
                    name="Bench", email=f"bench{rng.random()}@example.org", password_hash="-"
                )
            ).inserted_primary_key[0]
            workshop = c.execute(
                sa.insert(TABLES["workshops"]).values(
                    title="Benchmark workshop", date=dt.date(2026, 5, 10)
                )
            ).inserted_primary_key[0]
            c.execute(
                sa.insert(TABLES["workshop_facilitators"]).values(
                    workshop_id=workshop, facilitator_id=facilitator
                )
            )
            sessions, codes = {}, {}
            for language in ("en", "es"):
                codes[language] = "".join(rng.choice(CODE_LETTERS) for _ in range(6))
                sessions[language] = c.execute(
                    sa.insert(TABLES["sessions"]).values(
                        workshop_id=workshop,
                        name=f"Bench {language}",
                        language=language,
                        join_code=codes[language],
                        phase=phase,
                    )
                ).inserted_primary_key[0]
        seed = Seed(facilitator, workshop, sessions, codes)
        for language, session_id in sessions.items():
            seed.participants[language] = add_participants(engine, session_id, per_session, now)
        return seed
    finally:
        engine.dispose()


def add_participants(engine, session_id, count, now=None):
    table = TABLES["participants"]
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [
        {
            "session_id": session_id,
            "display_name": f"Participant {n}",
            "organisation": f"City {n % 97}",
            "country": "Norway",
            "lock_version": 0,
            "created_at": now,
        }
        for n in range(count)
    ]
    with engine.begin() as c:
        if rows:
            c.execute(sa.insert(table), rows)
        ids = c.execute(
            sa.select(table.c.id).where(table.c.session_id == session_id).order_by(table.c.id)
        )
        return [i for (i,) in ids][-count:] if count else []


# servers


class AppServers:
    """`processes` app processes: one on SQLite (the embedded default) or PostgreSQL, or
    several on PostgreSQL + Redis. `urls`, `pids`, `database_url`, `stop()`."""

    def __init__(
        self, workdir, processes=1, mode="eventlet", database="sqlite", env=None, nginx=False
    ):
        """`nginx`: several processes behind nginx (deploy/nginx-site.conf), `front_url`."""
        self.workdir = Path(workdir)
        self.cluster = None
        self.single = None
        # shedding as in production (tests' RealServer turns it off): OVERLOAD_LAG=0 to compare
        lag = os.environ.get("OVERLOAD_LAG", "0.5")
        env = {"SOCKET_EVENTS_PER_SECOND": "20", "OVERLOAD_LAG": lag, **(env or {})}
        if processes == 1 and database == "sqlite":
            self.single = RealServer(self.workdir / "app", async_mode=mode, env=env)
        else:
            self.cluster = Cluster(
                self.workdir, processes, async_mode=mode, env=env, nginx=nginx, durable=True
            )

    def start(self):
        if self.single:
            self.single.start(timeout=60)
        else:
            self.cluster.start()
        return self

    @property
    def servers(self):
        return [self.single] if self.single else self.cluster.servers

    @property
    def urls(self):
        return [s.url for s in self.servers]

    @property
    def pids(self):
        return [s.process.pid for s in self.servers]

    @property
    def front_url(self):
        """nginx's URL when there is one, else None."""
        return self.cluster.nginx.url if self.cluster and self.cluster.nginx else None

    def connections_per_process(self):
        """WebSocket connections nginx passed to each process so far ({port: n}); nginx
        logs one when it closes."""
        counts = {}
        for entry in self.cluster.access_log():
            if entry["status"] == "101":
                port = entry["upstream"].rsplit(":", 1)[-1]
                counts[port] = counts.get(port, 0) + 1
        return counts

    @property
    def database_url(self):
        if self.single:
            return f"sqlite:///{self.single.db_path}"
        return self.cluster.database_url

    def relay_pids(self):
        """nginx's master process (its workers are its children), when there is one."""
        nginx = self.cluster.nginx if self.cluster else None
        return [nginx.process.pid] if nginx else []

    def support_pids(self):
        """PostgreSQL's and Redis's processes (their CPU counts too)."""
        if not self.cluster:
            return []
        pids = [self.cluster.redis.process.pid]
        pidfile = self.cluster.postgres.folder / "data" / "postmaster.pid"
        if pidfile.exists():
            pids.append(int(pidfile.read_text().split()[0]))
        return pids

    def stop(self):
        if self.single:
            self.single.stop()
        else:
            self.cluster.stop()


class BareServers:
    """bench/bare_server.py: python-socketio with no app logic, same async mode."""

    def __init__(self, workdir, processes=1, mode="eventlet", redis_url=None):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.mode = mode
        self.redis_url = redis_url
        self.ports = [free_port() for _ in range(processes)]
        self.processes = []

    def start(self):
        for port in self.ports:
            command = [str(PYTHON), str(ROOT / "bench" / "bare_server.py")]
            command += ["--mode", self.mode, "--port", str(port)]
            if self.redis_url:
                command += ["--message-queue", self.redis_url]
            log = open(self.workdir / f"bare-{port}.log", "wb")  # noqa: SIM115
            self.processes.append(
                subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            )
            log.close()
        for port, process in zip(self.ports, self.processes, strict=True):
            if not wait_until(lambda p=port, pr=process: _healthy(p, pr), 30, 0.1):
                self.stop()
                raise RuntimeError(f"bare server on {port} did not start")
        return self

    @property
    def urls(self):
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    @property
    def pids(self):
        return [p.pid for p in self.processes]

    def support_pids(self):
        return []

    def relay_pids(self):
        return []

    def stop(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(10)
        self.processes = []


def _healthy(port, process):
    if process.poll() is not None:
        raise RuntimeError(f"bare server exited with {process.returncode}")
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
    except requests.RequestException:
        return False


# CPU and memory


class Usage:
    """CPU seconds and resident memory of a set of processes, with their children (which
    come and go: PostgreSQL starts a backend per connection) unless `children` is False."""

    def __init__(self, pids, children=True):
        self.children = children
        self.processes = []
        for pid in pids:
            try:
                self.processes.append(psutil.Process(pid))
            except psutil.NoSuchProcess:
                continue

    def _family(self, top):
        return top.children(recursive=True) if self.children else []

    def cpu(self):
        """User + system CPU seconds so far, exited children included."""
        total = 0.0
        for top in self.processes:
            try:
                times = top.cpu_times()
                total += times.user + times.system
                if self.children:
                    total += times.children_user + times.children_system
                for child in self._family(top):
                    try:
                        own = child.cpu_times()
                        total += own.user + own.system
                    except psutil.NoSuchProcess:
                        continue
            except psutil.NoSuchProcess:
                continue
        return total

    def rss(self):
        total = 0
        for top in self.processes:
            try:
                for p in [top, *self._family(top)]:
                    total += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total


class Meter:
    """CPU used by `usage` between start() and stop(), as a share of one core."""

    def __init__(self, usage):
        self.usage = usage
        self.started = self.cpu0 = None
        self.share = self.seconds = math.nan

    def start(self):
        self.started, self.cpu0 = time.monotonic(), self.usage.cpu()
        return self

    def stop(self):
        elapsed = time.monotonic() - self.started
        self.seconds = self.usage.cpu() - self.cpu0
        self.share = self.seconds / elapsed if elapsed > 0 else math.nan
        return self.share


def machine():
    """One line about this machine, for the printed report."""
    memory = psutil.virtual_memory().total / 2**30
    load = os.getloadavg()
    return (
        f"{psutil.cpu_count()} cores, {memory:.0f} GiB, Python {sys.version.split()[0]}, "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}"
    )
