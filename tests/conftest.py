"""Fixtures: an app on a temporary SQLite file, clients, a facilitator, a two-language workshop."""

import atexit
import functools
import itertools
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from services import PostgresServer, need
from werkzeug.security import generate_password_hash

from facilitation import create_app, runtime
from facilitation.extensions import db, socketio
from facilitation.models import Facilitator
from facilitation.services import accounts, participants, workshops
from facilitation.unit_of_work import work

PASSWORD = "correct horse battery"


_template = {}


def fresh_db(path):
    """A migrated, empty SQLite file at `path`, copied from one built by the migrations
    once per test run (create_app then finds it at the newest revision)."""
    if "path" not in _template:
        folder = Path(tempfile.mkdtemp(prefix="facilitation-template-"))
        atexit.register(shutil.rmtree, folder, True)
        built = create_app(
            {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 't.db'}"}
        )
        with built.app_context():
            built.extensions["sqlalchemy"].engine.dispose()
        _template["path"] = folder / "t.db"
    shutil.copyfile(_template["path"], path)
    return f"sqlite:///{path}"


_started = []  # apps made by this test: their runtimes stop after it


@pytest.fixture(autouse=True)
def quick_password_hashes(request, monkeypatch):
    """Facilitators' passwords hashed with one PBKDF2 round in this process, so that signing
    in is not most of a test's time (scrypt takes about 0.15 s a hash). Tests marked
    `scrypt` keep the real hash; servers the tests start in other processes always do."""
    if request.node.get_closest_marker("scrypt") is None:
        quick = functools.partial(generate_password_hash, method="pbkdf2:sha256:1")
        monkeypatch.setattr(accounts, "generate_password_hash", quick)
    accounts._dummy_hash.cache_clear()
    yield
    accounts._dummy_hash.cache_clear()


@pytest.fixture
def app(tmp_path):
    """A fresh app and database for each test (threading mode, no CSRF, no rate limits)."""
    return _track(
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test-secret",
                "SQLALCHEMY_DATABASE_URI": fresh_db(tmp_path / "test.db"),
                "ASYNC_MODE": "threading",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "RESULTS_INTERVAL": 0.05,
                # never `busy`, however slow the machine (see test_sockets_overload)
                "OVERLOAD_LAG": 0,
                # no background translation (tests/test_translation_*.py turn it on)
                "TRANSLATION": "off",
            }
        )
    )


def _track(app):
    _started.append(app)
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def make_facilitator(app, email="ana@example.org", name="Ana"):
    """Create a facilitator through an invitation link, as a co-facilitator would."""
    with app.app_context(), work():
        token = accounts.invite(email, name)
        facilitator = accounts.redeem_token(
            token, {"name": name, "email": email, "password": PASSWORD}
        )
        return facilitator.id


@pytest.fixture
def facilitator(app):
    return make_facilitator(app)


def sign_in(client, email="ana@example.org"):
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.text
    return client


@pytest.fixture
def facilitator_client(client, facilitator):
    """A test client signed in as the facilitator."""
    return sign_in(client)


@pytest.fixture
def workshop(app, facilitator):
    """A workshop with an English and a Spanish session, initiatives open in both."""
    with app.app_context(), work():
        owner = app.extensions["sqlalchemy"].session.get(Facilitator, facilitator)
        found = workshops.create_workshop(
            owner, {"title": "Smart Cities Study", "date": "2026-05-10"}
        )
        en = workshops.add_session(found, {"name": "English group", "language": "en"}, ["en", "es"])
        es = workshops.add_session(found, {"name": "Grupo español", "language": "es"}, ["en", "es"])
        for s in (en, es):
            workshops.set_phase(s, "initiatives")
        return {
            "id": found.id,
            "en": {"id": en.id, "code": en.join_code},
            "es": {"id": es.id, "code": es.join_code},
        }


def join(client, code, name="Bo", organisation="Oslo", country="Norway"):
    """Join a session through the join form; returns the participant id."""
    response = client.post(
        f"/j/{code}", data={"display_name": name, "organisation": organisation, "country": country}
    )
    assert response.status_code == 302, response.text
    with client.session_transaction() as cookie:
        return next(iter(cookie["participants"].values()))


def live_client(app, flask_client, auth=None):
    """A Flask-SocketIO test client on /live sharing `flask_client`'s cookies."""
    return socketio.test_client(app, namespace="/live", flask_test_client=flask_client, auth=auth)


def participant_in(app, code, **who):
    """A new browser that joined `code`, and its connected live client."""
    browser = app.test_client()
    join(browser, code, **who)
    with app.app_context():
        session_id = participants.session_by_code(code).id
    return browser, live_client(app, browser, {"session_id": session_id})


def csrf_token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


# helpers added for the view and socket suites

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "ASYNC_MODE": "threading",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "RESULTS_INTERVAL": 0.05,
    "OVERLOAD_LAG": 0,
    "TRANSLATION": "off",
}


def make_app(tmp_path, **overrides):
    """An app like the `app` fixture's, with some settings changed (rate limits, CSRF)."""
    config = {**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": fresh_db(tmp_path / "other.db")}
    return _track(create_app({**config, **overrides}))


def emit(live, event, data=None):
    """Emit on /live and return the acknowledgement."""
    args = () if data is None else (data,)
    return live.emit(event, *args, namespace="/live", callback=True)


def received(live, name):
    """The arguments of every `name` event this client got since the last call."""
    return [e["args"][0] for e in live.get_received("/live") if e["name"] == name]


def translated(msgid, lang="es"):
    """`msgid` as the compiled catalogue of `lang` has it (the msgid itself when untranslated).

    Another helper is translating in parallel; tests compare with this, so they check Spanish
    text once it exists and the English fallback until then.
    """
    from babel.support import Translations

    from facilitation.config import TRANSLATIONS

    return Translations.load(str(TRANSLATIONS), [lang]).gettext(msgid)


def wait_until(predicate, attempts=200, pause=0.05):
    """Poll `predicate` (for background broadcasts); never asserts on how long it took."""
    for _ in range(attempts):
        value = predicate()
        if value:
            return value
        socketio.sleep(pause)
    return predicate()


def pytest_configure(config):
    """Markers: `realserver` tests start `python app.py`; `browser` tests drive Chromium;
    `scrypt` tests keep the real password hash."""
    config.addinivalue_line("markers", "realserver: starts the real app as a subprocess")
    config.addinivalue_line("markers", "browser: drives Debian's Chromium through Playwright")
    config.addinivalue_line("markers", "scrypt: hashes passwords as the product does")


@pytest.fixture(autouse=True)
def runtimes_stop():
    """After each test, stop the runtime of every app it made: their scheduled result
    broadcasts are sent before the next test starts (the SocketIO object is shared)."""
    yield
    while _started:
        runtime.of(_started.pop()).stop()


_databases = itertools.count(1)


@pytest.fixture(scope="module")
def postgres():
    """One PostgreSQL cluster for a test module (skipped without PostgreSQL, failed under
    CI=true); each test makes its own database with `fresh_postgres`."""
    server = need(PostgresServer().start)
    yield server
    server.stop()


def fresh_postgres(request, driver=True):
    """A new, empty database of the module's cluster: its URL, in SQLAlchemy's psycopg 3 form
    unless `driver` is False (the form DATABASE_URL takes)."""
    url = request.getfixturevalue("postgres").create_database(f"d{next(_databases)}")
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if driver else url


def app_on_each_engine(request, tmp_path):
    """For an `app` fixture with params ["sqlite", "postgresql"]: the app on a fresh SQLite
    file or a fresh PostgreSQL database; its runtime stopped and its engine closed after."""
    url = fresh_db(tmp_path / "app.db") if request.param == "sqlite" else fresh_postgres(request)
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
    yield app
    runtime.of(app).stop()  # its broadcasts read the database
    with app.app_context():
        db.engine.dispose()
