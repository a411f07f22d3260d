"""Live bilingual focus groups for local governments."""

import os

from babel import Locale
from engineio.payload import Payload
from flask import Flask, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import get_locale
from flask_migrate import upgrade
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import assets, error_pages, runtime, translation
from .config import ROOT, load_config
from .extensions import babel, compress, csrf, db, limiter, login_manager, migrate, socketio
from .i18n import js_strings, select_locale
from .schemas import ID_MAX, LIMITS, NUMBERS, PASSWORD_MIN
from .security import SecureWSGI, add_security_headers, headers_for
from .services import counters
from .views.exports import allow_large_imports

MIGRATIONS = ROOT / "migrations"
MIGRATION_LOCK = 7261  # any number, the same in every process
ENGINE_IO_PATH = "socket.io"  # where Engine.IO serves Socket.IO (Flask-SocketIO's default)


def create_app(overrides=None):
    """Build the app; `overrides` (tests) replace settings read from the environment."""
    from . import sockets  # noqa: F401  (adds /live to socketio before any server exists)
    from .live import NAMESPACE
    from .sockets import guard

    app = LiveApp(__name__, template_folder="../templates", static_folder="../static")
    app.url_map.converters["int"] = IdConverter  # ids a database can hold, else 404
    app.session_interface = LiveSessionInterface()
    app.config.update(load_config(app.instance_path, overrides or {}))
    if app.config["PROXY_COUNT"]:
        # behind nginx: client addresses (rate limits) and URLs come from its headers
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    db.init_app(app)
    counters.install()  # running counts are written as transactions commit
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    app.before_request(allow_large_imports)  # before CSRF reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    assets.init_app(app)
    # python-engineio reads this limit from its Payload class, for every server in the process
    Payload.max_decode_packets = app.config["SOCKETIO_MAX_PACKETS"]
    socketio.init_app(
        app,
        async_mode=app.config["ASYNC_MODE"],
        message_queue=app.config["SOCKETIO_MESSAGE_QUEUE"],
        cors_allowed_origins=app.config["SOCKETIO_ALLOWED_ORIGINS"],
        max_http_buffer_size=app.config["SOCKETIO_MAX_MESSAGE"],
        namespaces=[NAMESPACE],  # the default namespace "/" accepts no one
        serializer=guard.TextPacket,
        json=guard.PayloadJSON,
        path=ENGINE_IO_PATH,
    )
    app.extensions["flood_guard"] = guard.install(socketio.server, app.config)
    # outermost: headers on Engine.IO's answers too; no forwarded headers without a proxy
    app.wsgi_app = SecureWSGI(app.wsgi_app, headers_for(app.config), app.config["PROXY_COUNT"] > 0)
    runtime.init_app(app)  # this process's live state; runtime.current().stop() ends it
    _register(app)
    with app.app_context():
        _prepare_database()
    runtime.of(app).start()  # background work that reads the database
    return app


def _register(app):
    from . import cli
    from .services import accounts
    from .views import accounts as account_views
    from .views import exports, facilitator, participant, shared

    for module in (account_views, exports, facilitator, participant, shared):
        app.register_blueprint(module.bp)
    cli.register(app)
    app.after_request(add_security_headers)
    names = [
        (code, Locale.parse(code).get_display_name(code).capitalize())
        for code in app.config["LANGUAGES"]
    ]
    app.context_processor(
        lambda: {
            "locale": str(get_locale()),
            "language_names": names,
            "js_strings": js_strings,
            "limits": LIMITS,
            "translation": translation.status(app),
            "numbers": NUMBERS,
            "password_min": PASSWORD_MIN,
        }
    )
    login_manager.login_view = "accounts.login"
    login_manager.user_loader(
        lambda user_id: accounts.facilitator_for_session(user_id, session.get(accounts.EPOCH_KEY))
    )
    error_pages.register(app)


class LiveApp(Flask):
    """Flask, with no URL matching for Socket.IO events."""

    def create_url_adapter(self, request):
        """Flask-SocketIO opens a request context on the connection's environ for each
        event, at an address no view serves (Engine.IO answers it before Flask). Matching
        it left a NotFound with its traceback on every event's request: a reference cycle
        that only the garbage collector frees, whose full passes then held the event loop
        for tenths of a second (docs/performance.md, "Pauses of the garbage collector").
        Such a context gets no adapter: nothing to match, and no URL to build there."""
        if request is not None and request.path.strip("/") == ENGINE_IO_PATH:
            return None
        return super().create_url_adapter(request)


class LiveSessionInterface(SecureCookieSessionInterface):
    """The signed-cookie session, not decoded again for every Socket.IO event: Flask-SocketIO
    replaces it at once by the connection's own copy (`environ["saved_session"]`, made
    from the cookie at its first event), so that copy is opened directly."""

    def open_session(self, app, request):
        saved = request.environ.get("saved_session")
        return saved if saved is not None else super().open_session(app, request)


class IdConverter(IntegerConverter):
    """`<int:…>` in URLs: positive and small enough for a database id."""

    def __init__(self, url_map, **kwargs):
        super().__init__(url_map, min=1, max=ID_MAX)


def _prepare_database():
    """Bring the schema to the newest migration; processes starting together take turns."""
    dialect = db.engine.dialect.name
    if dialect == "sqlite":
        _private_file(db.engine.url.database)
        event.listen(db.engine, "connect", _sqlite_pragmas)
        with db.engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA journal_mode=WAL")
        upgrade(directory=str(MIGRATIONS))
        return
    with db.engine.connect() as connection:
        if dialect == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_lock({MIGRATION_LOCK})")
        try:
            upgrade(directory=str(MIGRATIONS))
        finally:
            if dialect == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_unlock({MIGRATION_LOCK})")
                connection.commit()


def _private_file(path):
    """The SQLite file readable by this account only (SQLite gives its -wal and -shm
    files the same mode): created 0600 before SQLite opens it, tightened if older."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    os.chmod(path, 0o600)


def _sqlite_pragmas(connection, _record):
    cursor = connection.cursor()
    # no blocking wait for another process's write lock: unit_of_work.run waits, green
    cursor.execute("PRAGMA busy_timeout=0")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
