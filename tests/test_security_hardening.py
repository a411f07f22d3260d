"""Holes an outside probe found, each closed and kept closed: join-code guessing, sessions
that outlived sign-out, off-site redirects, sign-in timing, missing headers (HSTS, Engine.IO
answers), forwarded headers trusted without a proxy, world-readable files, bidi overrides
in links, and the import limit raised before sign-in and CSRF."""

import io
import json
import os
import stat
from urllib.parse import urlsplit

import pytest
from conftest import PASSWORD, emit, live_client, make_app, make_facilitator, sign_in

from facilitation.domain.links import without_bidi_controls
from facilitation.extensions import db
from facilitation.models import Facilitator, Participant, Workshop
from facilitation.schemas import validate_initiative
from facilitation.services import accounts, workshops
from facilitation.unit_of_work import work

WRONG = "ACDEFG"  # a well-formed code no session has (codes are made at random)


def open_session(app):
    """A workshop with one session open to joins; returns its join code."""
    make_facilitator(app)
    with app.app_context(), work():
        owner = db.session.query(Facilitator).one()
        found = workshops.create_workshop(owner, {"title": "W", "date": "2026-05-10"})
        code = workshops.add_session(found, {"name": "G", "language": "en"}, ["en"]).join_code
    assert code != WRONG
    return code


def from_address(app, address):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


# join-code guessing


@pytest.fixture
def guarded(tmp_path):
    """Rate limits on, with small failed-guess limits (the all-attempts one as shipped)."""
    return make_app(
        tmp_path,
        RATELIMIT_ENABLED=True,
        JOIN_GUESS_LIMIT="3 per minute",
        JOIN_GUESS_GLOBAL_LIMIT="5 per hour",
    )


@pytest.mark.parametrize(
    "guess",
    [
        lambda c: c.get(f"/j/{WRONG}"),
        lambda c: c.post(f"/j/{WRONG}", data={"display_name": "Bo"}),
        lambda c: c.post("/", data={"code": WRONG}),
        lambda c: c.get(f"/s/{WRONG}"),
    ],
    ids=["join link", "join form", "code form", "session page"],
)
def test_failed_guesses_from_one_address_are_refused_after_the_limit(guarded, guess):
    code = open_session(guarded)
    guesser = from_address(guarded, "203.0.113.7")
    assert [guess(guesser).status_code for _ in range(3)] == [404] * 3
    assert guess(guesser).status_code == 429
    # even the right code: the address is guessing
    assert guesser.get(f"/j/{code}").status_code == 429
    assert guesser.post("/", data={"code": code}).status_code == 429
    # another address is not affected
    assert from_address(guarded, "198.51.100.9").get(f"/j/{code}").status_code == 200


def test_guessing_across_many_addresses_is_refused_after_the_global_limit(guarded):
    code = open_session(guarded)
    for n in range(5):  # one failed guess from each of five addresses: the global budget
        assert from_address(guarded, f"203.0.113.{n}").get(f"/j/{WRONG}").status_code == 404
    # now an address with a failed guess is refused, whatever it tries next
    assert from_address(guarded, "203.0.113.0").get(f"/j/{code}").status_code == 429
    assert from_address(guarded, "203.0.113.9").get(f"/j/{WRONG}").status_code == 404
    assert from_address(guarded, "203.0.113.9").get(f"/j/{WRONG}").status_code == 429
    # an address that never guessed wrong still joins with the right code
    assert from_address(guarded, "198.51.100.9").get(f"/j/{code}").status_code == 200


def test_a_whole_room_behind_one_address_joins(guarded):
    """150 people behind one venue address open the link and join, with a few typos."""
    code = open_session(guarded)
    data = {"display_name": "Bo", "organisation": "Oslo", "country": "Norway"}
    typos = from_address(guarded, "192.0.2.1")
    assert [typos.post("/", data={"code": WRONG}).status_code for _ in range(2)] == [404] * 2
    for _ in range(150):
        phone = from_address(guarded, "192.0.2.1")
        assert phone.get(f"/j/{code}").status_code == 200
        assert phone.post(f"/j/{code}", data=data).status_code == 302
    with guarded.app_context():
        assert db.session.query(Participant).count() == 150


def test_all_join_attempts_from_one_address_are_limited(tmp_path):
    app = make_app(tmp_path, RATELIMIT_ENABLED=True, JOIN_RATE_LIMIT="4 per minute")
    code = open_session(app)
    client = app.test_client()
    assert [client.get(f"/j/{code}").status_code for _ in range(4)] == [200] * 4
    assert client.get(f"/j/{code}").status_code == 429


def test_the_shipped_limits_are_the_documented_ones(app):
    assert app.config["JOIN_RATE_LIMIT"] == "600 per minute"
    assert app.config["JOIN_GUESS_LIMIT"] == "10 per minute; 60 per hour"
    assert app.config["JOIN_GUESS_GLOBAL_LIMIT"] == "1000 per hour"


# signing out ends every session


def copied_browser(app, browser):
    """A second browser holding a copy of `browser`'s session cookie."""
    copy = app.test_client()
    copy.set_cookie("session", browser.get_cookie("session").value)
    return copy


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, workshop, facilitator_client):
    copy = copied_browser(app, facilitator_client)
    assert copy.get("/facilitator/").status_code == 200
    assert facilitator_client.post("/logout").status_code == 302
    refused = copy.get("/facilitator/")
    assert refused.status_code == 302 and refused.headers["Location"].startswith("/login")
    assert copy.get(f"/facilitator/workshops/{workshop['id']}/export/json").status_code == 302
    # signing in again works, and the new cookie is good
    assert sign_in(app.test_client()).get("/facilitator/").status_code == 200


def test_sign_out_closes_the_accounts_sockets_and_refuses_copied_cookies(
    app, workshop, facilitator_client
):
    copy = copied_browser(app, facilitator_client)
    dashboard = live_client(app, copy)
    assert dashboard.is_connected("/live")
    assert emit(dashboard, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    facilitator_client.post("/logout")
    assert not dashboard.is_connected("/live")  # closed by the sign-out
    assert not live_client(app, copy).is_connected("/live")  # and cannot come back


def test_events_on_a_socket_opened_before_sign_out_are_refused(app, workshop, facilitator_client):
    """A connection the sign-out could not close (another process's) still gets nothing:
    every event checks the account's epoch."""
    dashboard = live_client(app, copied_browser(app, facilitator_client))
    with app.app_context(), work():
        accounts.end_sessions(db.session.get(Facilitator, 1))  # as a sign-out elsewhere would
    ack = emit(dashboard, "workshop:watch", {"workshop_id": workshop["id"]})
    assert ack["error"]["code"] == "unauthorized"


def test_a_new_password_ends_older_sessions(app, facilitator, facilitator_client):
    copy = copied_browser(app, facilitator_client)
    with app.app_context(), work():
        token = accounts.invite("ana@example.org", "Ana")
    setup = app.test_client()
    data = {"name": "Ana", "email": "ana@example.org", "password": "a brand new password"}
    assert setup.post(f"/setup/{token}", data=data).status_code == 302
    assert setup.get("/facilitator/").status_code == 200
    assert copy.get("/facilitator/").status_code == 302
    assert facilitator_client.get("/facilitator/").status_code == 302


# redirects stay on this site


HOSTILE_TARGETS = [
    "/\t/evil.example",
    "/%09/evil.example",
    "/\\evil.example",
    "/\\/evil.example",
    "\\\\evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/\x00/evil.example",
    "/\x0b/evil.example",
    " //evil.example",
    "/ /evil.example",
    "//evil.example",
    "https:/evil.example",
]


def stays_here(location):
    """Read `location` as a browser would (tabs and newlines dropped, `\\` as `/`): no host."""
    seen = "".join(ch for ch in location if ch not in "\t\n\r").replace("\\", "/").strip()
    return urlsplit(seen).netloc == "" and not urlsplit(seen).scheme


@pytest.mark.parametrize("target", HOSTILE_TARGETS)
def test_no_next_leaves_the_site(app, facilitator, target):
    client = app.test_client()
    sign_in_data = {"email": "ana@example.org", "password": PASSWORD}
    # the query string as the probe sent it (raw), and percent-encoded
    response = client.post(f"/login?next={target}", data=sign_in_data)
    assert response.headers["Location"] == "/facilitator/"
    response = client.post("/login", query_string={"next": target}, data=sign_in_data)
    assert stays_here(response.headers["Location"]), response.headers["Location"]
    response = client.post("/language", data={"lang": "es", "next": target})
    assert stays_here(response.headers["Location"]), response.headers["Location"]
    if "%" not in target:
        assert response.headers["Location"] == "/"


def test_local_targets_are_kept(app, facilitator):
    client = app.test_client()
    response = client.post(
        "/login?next=/facilitator/workshops/new",
        data={"email": "ana@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/facilitator/workshops/new"
    response = client.post("/language", data={"lang": "es", "next": "/j/ACDEFG?x=1"})
    assert response.headers["Location"] == "/j/ACDEFG?x=1"


# sign-in costs the same for known and unknown emails


@pytest.fixture
def hash_checks(monkeypatch):
    """Every password-hash check sign-in makes (the real check still runs)."""
    calls = []
    real = accounts.check_password_hash

    def counted(stored, password):
        calls.append(stored)
        return real(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counted)
    return calls


@pytest.mark.scrypt
def test_sign_in_checks_one_hash_for_known_and_unknown_emails(app, facilitator, hash_checks):
    client = app.test_client()
    attempts = [
        ("ana@example.org", PASSWORD, 302),
        ("ana@example.org", "not the password", 401),
        ("nobody@example.org", "not the password", 401),
        ("", "", 401),
    ]
    for email, password, status in attempts:
        before = len(hash_checks)
        response = client.post("/login", data={"email": email, "password": password})
        assert response.status_code == status
        assert len(hash_checks) == before + 1, email
    # the unknown email was checked against a real scrypt hash, like a known one
    with app.app_context():
        stored = db.session.get(Facilitator, facilitator).password_hash
    assert hash_checks[2].split("$")[0] == stored.split("$")[0]


def test_an_invited_account_without_a_password_also_costs_one_hash(app, hash_checks):
    with app.app_context(), work():
        accounts.invite("new@example.org", "New")
    response = app.test_client().post("/login", data={"email": "new@example.org", "password": "x"})
    assert response.status_code == 401 and len(hash_checks) == 1


# headers


def test_hsts_only_when_served_over_https(tmp_path, monkeypatch):
    (tmp_path / "plain").mkdir()
    (tmp_path / "secure").mkdir()
    plain = make_app(tmp_path / "plain")
    assert "Strict-Transport-Security" not in plain.test_client().get("/").headers
    monkeypatch.setenv("SECURE_COOKIES", "1")
    secure = make_app(tmp_path / "secure")
    for path in ("/", "/no-such-page", "/socket.io/?EIO=4&transport=polling"):
        response = secure.test_client().get(path)
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000", path


def test_engine_io_polling_answers_carry_the_security_headers(app):
    client = app.test_client()
    handshake = client.get("/socket.io/?EIO=4&transport=polling")
    assert handshake.status_code == 200 and handshake.text.startswith("0{")
    sid = json.loads(handshake.text[1:])["sid"]
    refused = client.get("/socket.io/?EIO=4&transport=polling&sid=not-a-session")
    assert refused.status_code == 400
    posted = client.post(f"/socket.io/?EIO=4&transport=polling&sid={sid}", data="40/live,")
    for response in (handshake, refused, posted):
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert response.headers.getlist("X-Frame-Options") == ["DENY"]  # once, not twice
    page = client.get("/")
    assert page.headers.getlist("Content-Security-Policy") == [
        page.headers["Content-Security-Policy"]
    ]


def handshake(client, origin, **headers):
    return client.get(
        "/socket.io/?EIO=4&transport=polling",
        headers={"Origin": origin, **headers},
        base_url="http://app.example",
    )


def test_the_origin_check_ignores_forwarded_host_without_a_proxy(app):
    client = app.test_client()
    assert handshake(client, "http://app.example").status_code == 200
    forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}
    assert handshake(client, "http://evil.example", **forged).status_code == 400


def test_the_origin_check_uses_forwarded_host_behind_a_proxy(tmp_path):
    app = make_app(tmp_path, PROXY_COUNT=1)
    forwarded = {"X-Forwarded-Host": "public.example", "X-Forwarded-Proto": "https"}
    assert handshake(app.test_client(), "https://public.example", **forwarded).status_code == 200


# files only this account can read


def test_the_database_file_is_private(tmp_path):
    app = make_app(tmp_path)
    path = str(tmp_path / "other.db")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    make_facilitator(app)  # written through WAL: its companion files are private too
    for companion in (path + "-wal", path + "-shm"):
        if os.path.exists(companion):
            assert stat.S_IMODE(os.stat(companion).st_mode) & 0o077 == 0, companion


def test_a_new_database_file_is_created_private(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(os, "umask", os.umask)  # restored after the test
    os.umask(0o022)
    from facilitation import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "ASYNC_MODE": "threading",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'new.db'}",
        }
    )
    assert stat.S_IMODE(os.stat(tmp_path / "new.db").st_mode) == 0o600
    with app.app_context():
        db.engine.dispose()


# links: bidirectional controls removed


BIDI = [
    "\u061c",
    "\u200e",
    "\u200f",
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
]


def test_bidi_controls_are_removed_from_links():
    for control in BIDI:
        link = f"https://example.org/{control}fdp.exe"
        assert without_bidi_controls(link) == "https://example.org/fdp.exe"
        draft = validate_initiative({"title": "T", "axis": "mobility", "sdgs": [11], "link": link})
        assert draft.link == "https://example.org/fdp.exe"
    assert without_bidi_controls(None) is None


def test_a_posted_link_keeps_no_rtl_override(app, workshop):
    from conftest import participant_in

    _, live = participant_in(app, workshop["en"]["code"])
    link = "https://example.org/\u202egpj.exe"
    ack = emit(
        live,
        "initiative:post",
        {"client_id": "c1", "title": "T", "axis": "mobility", "sdgs": [11], "link": link},
    )
    assert ack["ok"], ack
    assert ack["initiative"]["link"] == "https://example.org/gpj.exe"


# the import limit applies after sign-in and CSRF


@pytest.fixture
def csrf_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, IMPORT_MAX_BYTES=10 * 1024 * 1024)
    make_facilitator(app)
    return app


def big_upload():
    return {"file": (io.BytesIO(b"[" + b" " * 200_000 + b"]"), "w.json")}


def signed_in_with_token(app):
    from conftest import csrf_token

    client = app.test_client()
    page = client.get("/login")
    data = {"email": "ana@example.org", "password": PASSWORD, "csrf_token": csrf_token(page.text)}
    assert client.post("/login", data=data).status_code == 302
    return client, csrf_token(client.get("/facilitator/import").text)


def test_an_anonymous_upload_over_the_small_limit_is_refused_unread(csrf_app):
    response = csrf_app.test_client().post("/facilitator/import", data=big_upload())
    assert response.status_code == 413


def test_a_facilitators_upload_without_a_valid_token_keeps_the_small_limit(csrf_app):
    client, token = signed_in_with_token(csrf_app)
    assert client.post("/facilitator/import", data=big_upload()).status_code == 413
    forged = client.post("/facilitator/import?csrf_token=forged", data=big_upload())
    assert forged.status_code == 413


def test_a_facilitators_upload_with_the_token_gets_the_import_limit(csrf_app):
    client, token = signed_in_with_token(csrf_app)
    page = client.get("/facilitator/import").text
    assert f'action="/facilitator/import?csrf_token={token}"' in page
    response = client.post(
        f"/facilitator/import?csrf_token={token}", data={**big_upload(), "csrf_token": token}
    )
    assert response.status_code == 400  # read and judged: not a workshop export
    with csrf_app.app_context():
        assert db.session.query(Workshop).count() == 0
