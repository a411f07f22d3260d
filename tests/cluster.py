"""The production shape on one machine: app processes on PostgreSQL and a Redis message
queue, with nginx (deploy/render_nginx.py) in front. Built from `realserver` and `services`.

Every process gets the same SECRET_KEY (`realserver.SECRET_KEY`) and the settings
docs/deployment.md lists: DATABASE_URL, SOCKETIO_MESSAGE_QUEUE, RATELIMIT_STORAGE_URI,
PROXY_COUNT=1.
"""

import importlib.util
import re
from pathlib import Path

import psycopg
from realserver import ROOT, RealServer
from services import NginxServer, PostgresServer, RedisServer, free_port

_spec = importlib.util.spec_from_file_location("render_nginx", ROOT / "deploy" / "render_nginx.py")
render_nginx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(render_nginx)
ROUTE_COOKIE = "fg_route"
# a line of the standalone nginx's access log (render_nginx.py's `routed` format)
ACCESS = re.compile(
    r'"(?P<method>\S+) (?P<uri>\S+) [^"]*" (?P<status>\d+) upstream=(?P<upstream>.*?)'
    r" route=(?P<route>\S*) sid=(?P<sid>\S*) set=(?P<set>.*)$"
)


class PgRealServer(RealServer):
    """`python app.py` on PostgreSQL. `query` (used by the realserver helpers, which write
    `?` placeholders) reads PostgreSQL instead of a SQLite file."""

    def __init__(self, workdir, database_url, async_mode="eventlet", env=None):
        super().__init__(workdir, async_mode, {"DATABASE_URL": database_url, **(env or {})})
        self.database_url = database_url

    def query(self, sql, params=()):
        return query(self.database_url, sql, params)

    def db(self):
        raise NotImplementedError("this server keeps its data in PostgreSQL: use query()")


def query(database_url, sql, params=()):
    """Rows of one SQL statement on PostgreSQL (`?` placeholders, as in sqlite3)."""
    with psycopg.connect(database_url) as connection:
        return connection.execute(sql.replace("?", "%s"), tuple(params)).fetchall()


class Via:
    """Another address for the same servers (nginx): what realserver's helpers need of a
    server (`url`, `query`), with the database of the cluster."""

    def __init__(self, url, server):
        self.url = url
        self._server = server

    def query(self, sql, params=()):
        return self._server.query(sql, params)

    def log(self):
        return self._server.log()


class Cluster:
    """Redis + PostgreSQL + `processes` app processes (+ nginx in front of them)."""

    def __init__(
        self,
        workdir,
        processes=2,
        async_mode="eventlet",
        env=None,
        nginx=True,
        durable=False,
    ):
        self.workdir = Path(workdir)
        self.count = processes
        self.async_mode = async_mode
        self.extra_env = env or {}
        self.with_nginx = nginx
        self.durable = durable
        self.redis = self.postgres = self.nginx = None
        self.servers = []
        self.database_url = None

    def start(self):
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self):
        self.redis = RedisServer().start()
        self.postgres = PostgresServer(durable=self.durable).start()
        self.database_url = self.postgres.create_database("fg")
        nginx_port = free_port()
        env = {
            "SOCKETIO_MESSAGE_QUEUE": self.redis.url,
            "RATELIMIT_STORAGE_URI": self.redis.url.replace("/0", "/1"),
            "PROXY_COUNT": "1",
            **self.extra_env,
        }
        self.servers = [
            PgRealServer(self.workdir / f"app-{n}", self.database_url, self.async_mode, env)
            for n in range(self.count)
        ]
        # nginx passes `Host: $host`, which drops a non-default port: the origin a browser
        # sends (http://127.0.0.1:<nginx port>) has to be listed (see docs/deployment.md)
        origins = [f"http://127.0.0.1:{nginx_port}"] + [s.url for s in self.servers]
        for server in self.servers:
            server.env.setdefault("SOCKETIO_ALLOWED_ORIGINS", ",".join(origins))
        # one after the other: the first prints the setup link, both migrate under a lock
        for server in self.servers:
            server.start(timeout=60)
        if self.with_nginx:
            apps = [f"127.0.0.1:{s.port}" for s in self.servers]
            self.nginx = NginxServer(apps, port=nginx_port).start()

    @property
    def front(self):
        """nginx as a server for realserver's helpers (join, LiveClient)."""
        return Via(self.nginx.url, self.servers[0])

    def query(self, sql, params=()):
        return query(self.database_url, sql, params)

    def route(self, server):
        """The routing cookie's value that names `server` (deploy/render_nginx.py)."""
        return render_nginx.route_name(f"127.0.0.1:{server.port}")

    def server_at(self, address):
        """The app process listening at `address` ("127.0.0.1:port")."""
        return next(s for s in self.servers if f"127.0.0.1:{s.port}" == address)

    def access_log(self):
        """nginx's access log so far, one dict per request: method, uri, status, upstream
        (the last address tried), route (the cookie it came with), sid (Engine.IO's),
        set (the routing cookie nginx set, if it did)."""
        path = self.nginx.folder / "access.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        entries = []
        for line in lines:
            found = ACCESS.search(line)
            if found:
                entry = found.groupdict()
                entry["upstream"] = entry["upstream"].split(", ")[-1]
                for key in ("route", "sid", "set"):
                    entry[key] = "" if entry[key] == "-" else entry[key]
                entries.append(entry)
        return entries

    def kill(self, server):
        """SIGKILL one app process: no clean shutdown, its connections cut."""
        server.process.kill()
        server.process.wait(10)
        server.stop()  # it has exited: only forgets the process

    def stop(self):
        if self.nginx is not None:
            self.nginx.stop()
        for server in self.servers:
            server.stop()
        if self.redis is not None:
            self.redis.stop()
        if self.postgres is not None:
            self.postgres.stop()
