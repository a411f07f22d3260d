"""Real Redis, PostgreSQL and nginx on loopback, each in its own temporary folder.

Used by the multi-process and migration tests and by the benchmarks in `bench/`. Nothing here
imports pytest: a missing binary raises `Unavailable`, which `need()` turns into a skip, or
into a failure under `CI=true` (CI must have every dependency; `.ci/run` installs them).

As root, PostgreSQL refuses to run: initdb and pg_ctl then run as the `postgres` user, in a
folder that user owns.
"""

import atexit
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RENDER_NGINX = ROOT / "deploy" / "render_nginx.py"
_running = []


class Unavailable(RuntimeError):
    """A binary or system user the service needs is not on this machine."""


def need(start, *args, **kwargs):
    """`start(*args, **kwargs)`, skipping the test if it raises Unavailable (failing it under
    CI=true, where every dependency must be installed)."""
    import pytest

    try:
        return start(*args, **kwargs)
    except Unavailable as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing} (CI=true: .ci/run must install it)", pytrace=False)
        pytest.skip(str(missing))


def free_port():
    """A TCP port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, timeout=30.0, interval=0.05):
    """Poll `condition` until it returns something truthy (returned) or `timeout` passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(interval)


def _accepts(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _binary(name, *candidates, package):
    found = shutil.which(name) or next((c for c in candidates if os.access(c, os.X_OK)), None)
    if not found:
        raise Unavailable(f"{name} not found: install Debian's {package} package")
    return found


def _temp_folder(prefix):
    # not under pytest's tmp_path: its parents are private to root, and postgres must get in
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


def stop_all():
    """Stop every service still running (also called at interpreter exit)."""
    while _running:
        _running.pop().stop()


atexit.register(stop_all)


class RedisServer:
    """`redis-server` on 127.0.0.1, no persistence, in a temporary folder."""

    def __init__(self):
        self.binary = _binary("redis-server", "/usr/bin/redis-server", package="redis-server")
        self.folder = None
        self.process = None
        self.port = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=30.0):
        self.folder = _temp_folder("fg-redis-")
        self.port = free_port()
        command = [self.binary, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        command += ["--logfile", str(self.folder / "redis.log"), "--maxclients", "10000"]
        self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL)
        _running.append(self)
        if not wait_until(self._ready, timeout):
            self.stop()
            raise RuntimeError(f"redis-server did not answer PING on port {self.port}")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"redis-server exited with {self.process.returncode}")
        import redis

        try:
            return redis.Redis(port=self.port, socket_timeout=1).ping()
        except redis.RedisError:
            return False

    def stop(self):
        if self.process is not None:
            _terminate(self.process)
            self.process = None
        if self in _running:
            _running.remove(self)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def postgres_bindir():
    """The folder holding initdb and pg_ctl (Debian keeps them out of PATH)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True
    )
    candidates = [os.environ.get("PG_BINDIR", "")] + found
    which = shutil.which("initdb")
    if which:
        candidates.append(str(Path(which).parent))
    for folder in candidates:
        if folder and all(os.access(Path(folder) / b, os.X_OK) for b in ("initdb", "pg_ctl")):
            return Path(folder)
    raise Unavailable("PostgreSQL's initdb and pg_ctl not found: install Debian's postgresql")


class PostgresServer:
    """A throwaway PostgreSQL cluster on 127.0.0.1 (trust authentication for `postgres`).

    `durable=False` (tests) turns fsync off; benchmarks keep PostgreSQL's defaults.
    """

    def __init__(self, durable=False):
        self.bindir = postgres_bindir()
        self.durable = durable
        self.folder = None
        self.port = None
        self._user = None
        if os.geteuid() == 0:
            try:
                self._user = pwd.getpwnam("postgres")
            except KeyError:
                raise Unavailable("running as root needs a 'postgres' system user") from None

    def url(self, database="postgres"):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command, timeout=120):
        """Run a PostgreSQL program, as the postgres user when we are root."""
        options = {}
        if self._user is not None:
            options = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        env = {**os.environ, "HOME": str(self.folder), "LC_ALL": "C"}
        result = subprocess.run(
            [str(self.bindir / command[0]), *command[1:]],
            cwd=self.folder,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            **options,
        )
        if result.returncode != 0:
            log = self.folder / "postgres.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {result.stdout}{result.stderr}\n{tail}")
        return result

    def start(self):
        self.folder = _temp_folder("fg-pg-")
        if self._user is not None:
            os.chown(self.folder, self._user.pw_uid, self._user.pw_gid)
        self.port = free_port()
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "-N")
        settings = f"-p {self.port} -k {self.folder} -h 127.0.0.1 -c max_connections=300"
        if not self.durable:
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        _running.append(self)
        log = str(self.folder / "postgres.log")
        self._run("pg_ctl", "-D", str(data), "-l", log, "-o", settings, "-w", "-t", "60", "start")
        return self

    def create_database(self, name):
        """A new empty database; returns its URL."""
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self):
        if self.folder is not None and (self.folder / "data" / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop")
            except (RuntimeError, subprocess.TimeoutExpired) as error:
                print(f"warning: pg_ctl stop: {error}", file=sys.stderr)
        if self in _running:
            _running.remove(self)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


class NginxServer:
    """nginx in front of app processes, configured by deploy/render_nginx.py --standalone."""

    def __init__(self, apps, port=None):
        self.binary = _binary("nginx", "/usr/sbin/nginx", package="nginx")
        self.apps = list(apps)
        self.port = port or free_port()
        self.folder = None
        self.process = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout=30.0):
        self.folder = _temp_folder("fg-nginx-")
        command = [sys.executable, str(RENDER_NGINX), "--listen", f"127.0.0.1:{self.port}"]
        for app in self.apps:
            command += ["--app", app]
        command += ["--standalone", str(self.folder)]
        config = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        (self.folder / "nginx.conf").write_text(config)
        self.process = subprocess.Popen(
            [self.binary, "-p", str(self.folder), "-c", str(self.folder / "nginx.conf")]
            + ["-e", str(self.folder / "error.log")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        _running.append(self)
        if not wait_until(lambda: self._alive() and _accepts(self.port), timeout):
            log = self.log()
            self.stop()
            raise RuntimeError(f"nginx did not start on port {self.port}:\n{log}")
        return self

    def _alive(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"nginx exited with {self.process.returncode}:\n{self.log()}")
        return True

    def log(self):
        path = self.folder / "error.log" if self.folder else None
        return path.read_text(errors="replace")[-3000:] if path and path.exists() else ""

    def stop(self):
        if self.process is not None:
            _terminate(self.process, signal.SIGQUIT)
            self.process = None
        if self in _running:
            _running.remove(self)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None


def _terminate(process, how=signal.SIGTERM, timeout=10.0):
    if process.poll() is None:
        process.send_signal(how)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
