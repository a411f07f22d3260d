"""Malformed input never breaks the server: generated payloads for every /live event and
every POST form (wrong types, missing fields, huge strings, unknown codes, nested junk,
bytes) get a clean error acknowledgement or a 4xx page, never a `server_error` ack, a 500
or a logged exception, and the connection and the app still answer afterwards.

The events come from LiveNamespace's `on_*` methods and the forms from `app.url_map`, so a
new event or form is fuzzed (or this file fails for want of a base payload) without edits.
"""

import inspect
import io
import itertools
import json
import logging
import math

import pytest
from conftest import emit, join, live_client, make_app, make_facilitator, sign_in
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from services import PostgresServer, need

from facilitation import runtime
from facilitation.extensions import db
from facilitation.i18n import ERRORS
from facilitation.models import Facilitator, Participant, Session
from facilitation.services import accounts, initiatives, items, proxy, workshops
from facilitation.sockets import LiveNamespace
from facilitation.sockets.guard import MALFORMED, PayloadJSON
from facilitation.unit_of_work import work

EXAMPLES = 50
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    # report the first failing example as generated: shrinking a failure here would cost
    # minutes, and the assertion message already names the event, payload and answer
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# every code an error ack may carry; `server_error` means an unexpected failure
ACK_CODES = set(ERRORS) - {"server_error"}
MISSING = object()


# --- what junk looks like -------------------------------------------------------------

huge_text = st.sampled_from([4_000, 70_000]).flatmap(
    lambda n: st.sampled_from(["x" * n, "<b>" * (n // 3), "é🙂" * (n // 2), " " * n])
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([2**63, -(2**63) - 1, 2**80, 0, -1]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(["", " ", "\x00", "1", "true", "null", "=cmd|' /C calc'!A0", "../../etc"]),
    # text no database stores: a NUL inside, lone surrogates (PostgreSQL and SQLite refuse)
    st.sampled_from(["Plan\x00B", "\ud800", "a\udc00b", "\udfff\ud800"]),
    huge_text,
    st.binary(max_size=40),
)


def nested(depth, leaf):
    """`leaf` inside `depth` lists and objects (far deeper than any payload's shape)."""
    for n in range(depth):
        leaf = [leaf] if n % 2 else {"k": leaf}
    return leaf


junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.text(max_size=8), inner, max_size=4),
        st.builds(nested, st.integers(30, 300), inner),
    ),
    max_leaves=8,
)
# plausible-looking values that are not known codes
unknown_codes = st.sampled_from(
    ["nope", "Mobility", "MOBILITY", "barrier ", "enabler\x00", "vote", "results!", "0", "18"]
)


# values at the edges of what a column or a type check accepts
edge_values = st.sampled_from(
    [2**63, 2**80, -(2**63) - 1, True, False, 1.0, "1", None, [], {}, [1, 2], {"id": 1}]
)


def mutations(base):
    """Dicts built from a valid payload: each field kept, dropped, or replaced by junk or
    by an unknown code, plus unexpected extra keys."""
    fields = {
        key: st.one_of(st.just(value), st.just(MISSING), junk, unknown_codes, edge_values)
        for key, value in base.items()
    }
    extra = st.dictionaries(st.text(max_size=12), junk, max_size=2)
    return st.tuples(st.fixed_dictionaries(fields), extra).map(
        lambda pair: {
            **pair[1],
            **{key: value for key, value in pair[0].items() if value is not MISSING},
        }
    )


def payloads(base):
    """Anything at all, or a damaged version of a valid payload (most examples)."""
    return st.one_of(junk, mutations(base), mutations(base), mutations(base))


class ErrorLog(logging.Handler):
    """Collects every record at ERROR or above, from any logger, while installed."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)


def describe(records):
    return [
        f"{r.name}: {r.getMessage()} {r.exc_info[1]!r}" if r.exc_info else r.name for r in records
    ]


# --- the world the fuzzed events run in ----------------------------------------------


def namespace_events():
    """Every event of /live (`on_session_set_phase` -> `session:set_phase`), but connect."""
    names = [
        name[3:].replace("_", ":", 1)
        for name, _ in inspect.getmembers(LiveNamespace, inspect.isfunction)
        if name.startswith("on_")
    ]
    return sorted(n for n in names if n != "connect")


@pytest.fixture(scope="module")
def postgres():
    """One PostgreSQL cluster for the module; each test gets a database of its own."""
    server = need(PostgresServer().start)
    yield server
    server.stop()


_databases = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def fuzz_app(request, tmp_path):
    """An app whose per-connection event limit never interferes with the examples, on
    SQLite and on PostgreSQL (they refuse different text: NUL bytes, lone surrogates)."""
    database = {}
    if request.param == "postgresql":
        url = request.getfixturevalue("postgres").create_database(f"fuzz{next(_databases)}")
        database["SQLALCHEMY_DATABASE_URI"] = url.replace("postgresql://", "postgresql+psycopg://")
    app = make_app(tmp_path, SOCKET_EVENTS_PER_SECOND=1e6, SOCKET_EVENT_BURST=10**9, **database)
    yield app
    runtime.of(app).stop()  # its last result broadcasts read the database: then close it
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def world(fuzz_app):
    """A workshop with an English session, a participant with an initiative, two items."""
    app = fuzz_app
    make_facilitator(app)
    with app.app_context(), work():
        owner = db.session.query(Facilitator).one()
        found = workshops.create_workshop(owner, {"title": "Fuzz", "date": "2026-05-10"})
        session = workshops.add_session(found, {"name": "English", "language": "en"}, ["en"])
        ids = {"workshop": found.id, "session": session.id, "code": session.join_code}
    browser = app.test_client()
    participant_id = join(browser, ids["code"])
    with app.app_context(), work():
        session = db.session.get(Session, ids["session"])
        workshops.set_phase(session, "initiatives")
        me = db.session.get(Participant, participant_id)
        post = {"client_id": "base", "title": "Base", "axis": "mobility", "sdgs": [11]}
        ids["initiative"] = initiatives.post(me, post)[0]["id"]
        owner = db.session.query(Facilitator).one()
        who = {"display_name": "Dee", "organisation": "Lyon", "country": "France"}
        entered = proxy.enter(owner, session, who)
        ids["entered"] = entered.id
        post = {"client_id": "theirs", "title": "Theirs", "axis": "mobility", "sdgs": [11]}
        ids["entered_initiative"] = initiatives.post(entered, post)[0]["id"]
        ids["items"] = [
            items.add_by_facilitator(
                owner, session, {"client_id": f"b{n}", "text": f"Item {n}", "kind": "barrier"}
            )[0][0].id
            for n in range(2)
        ]
    ids["browser"] = browser
    ids["owner"] = sign_in(app.test_client())
    return ids


def bases(w):
    """(phase, connection kind, valid payload) for each event."""
    session, workshop = w["session"], w["workshop"]
    first, second = w["items"]
    initiative = {
        "title": "Bike lanes",
        "description": "Forty km",
        "axis": "mobility",
        "sdgs": [11, 13],
        "link": "https://example.org/x",
    }
    return {
        "session:snapshot": (None, "participant", {"session_id": session, "since_seq": 0}),
        "initiative:post": ("initiatives", "participant", {"client_id": "c1", **initiative}),
        "initiative:edit": ("initiatives", "participant", {"id": w["initiative"], **initiative}),
        "initiative:withdraw": ("initiatives", "participant", {"id": w["initiative"]}),
        "initiative:page": (
            None,
            "participant",
            {"session_id": session, "before_id": w["initiative"]},
        ),
        "workshop:boards": (None, "participant", {}),
        "item:propose": (
            "proposing",
            "participant",
            {"client_id": "p1", "text": "Red tape", "kind": "barrier", "axis": "governance"},
        ),
        "vote:cast": ("voting", "participant", {"client_id": "v1", "item_id": first, "delta": 1}),
        "sdg:pick": ("sdg_picks", "participant", {"axis": "mobility", "sdg": 11, "picked": True}),
        "workshop:watch": (None, "facilitator", {"workshop_id": workshop}),
        "session:set_phase": (
            None,
            "facilitator",
            {"session_id": session, "phase": "voting", "minutes": 5, "auto_close": True},
        ),
        "session:countdown": (None, "facilitator", {"session_id": session, "action": "add_minute"}),
        "session:set_auto_close": (
            None,
            "facilitator",
            {"session_id": session, "auto_close": True},
        ),
        "workshop:set_voting_rules": (
            None,
            "facilitator",
            {"workshop_id": workshop, "dots": 5, "per_item": 2, "separate": False, "sdg_limit": 3},
        ),
        "workshop:set_display": (
            None,
            "facilitator",
            {"workshop_id": workshop, "anonymity": "public", "results_to_participants": True},
        ),
        "workshop:set_projector": (
            None,
            "facilitator",
            {"workshop_id": workshop, "results_shown": True, "layout": "side_by_side"},
        ),
        "item:add": (
            None,
            "facilitator",
            {
                "session_id": session,
                "client_id": "f1",
                "text": "Silos",
                "kind": "enabler",
                "axis": None,
            },
        ),
        "translation:correct": (
            None,
            "facilitator",
            {
                "subject": "item",
                "subject_id": first,
                "field": "text",
                "language": "es",
                "text": "Ítem",
            },
        ),
        "item:correct": (
            None,
            "facilitator",
            {"item_id": first, "text": "Fixed", "kind": "barrier", "axis": "economy"},
        ),
        "item:set_hidden": (None, "facilitator", {"item_id": first, "hidden": True}),
        "item:merge": (None, "facilitator", {"workshop_id": workshop, "item_ids": [first, second]}),
        "item:unmerge": (None, "facilitator", {"item_id": first}),
        "initiative:set_hidden": (
            None,
            "facilitator",
            {"initiative_id": w["initiative"], "hidden": True},
        ),
        "initiative:correct": (
            None,
            "facilitator",
            {"initiative_id": w["initiative"], "title": "Fixed", "description": "Kept"},
        ),
        "participant:enter": (
            None,
            "facilitator",
            {"session_id": session, "display_name": "Dee", "organisation": "Lyon", "country": "FR"},
        ),
        "proxy:list": (None, "facilitator", {"session_id": session}),
        "proxy:state": (None, "facilitator", {"participant_id": w["entered"]}),
        "proxy:initiative_post": (
            "initiatives",
            "facilitator",
            {"participant_id": w["entered"], "client_id": "c2", **initiative},
        ),
        "proxy:initiative_withdraw": (
            "initiatives",
            "facilitator",
            {"participant_id": w["entered"], "id": w["entered_initiative"]},
        ),
        "proxy:item_propose": (
            "proposing",
            "facilitator",
            {"participant_id": w["entered"], "client_id": "p2", "text": "Silos", "kind": "barrier"},
        ),
        "proxy:vote_cast": (
            "voting",
            "facilitator",
            {"participant_id": w["entered"], "client_id": "v2", "item_id": first, "delta": 1},
        ),
        "proxy:sdg_pick": (
            "sdg_picks",
            "facilitator",
            {"participant_id": w["entered"], "axis": "mobility", "sdg": 11, "picked": True},
        ),
        "merge:suggestions": (None, "facilitator", {"workshop_id": workshop}),
        "merge:dismiss": (
            None,
            "facilitator",
            {"workshop_id": workshop, "item_ids": [first, second]},
        ),
        "merge:restore": (
            None,
            "facilitator",
            {"workshop_id": workshop, "item_ids": [first, second]},
        ),
        "unknown:event": (None, "participant", {}),
    }


def connection(app, w, kind):
    if kind == "participant":
        return live_client(app, w["browser"], {"session_id": w["session"]})
    return live_client(app, w["owner"])


def set_phase(app, w, phase):
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, w["session"]), phase)


def assert_clean(ack, event, data):
    assert isinstance(ack, dict), (event, data, ack)
    if ack.get("ok") is True:
        return
    assert set(ack) == {"error"}, (event, data, ack)
    error = ack["error"]
    assert error["code"] in ACK_CODES, (event, data, ack)
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)


# --- sockets ---------------------------------------------------------------------------


def test_every_event_has_a_base_payload(fuzz_app, world):
    missing = sorted(set(namespace_events()) - set(bases(world)))
    assert not missing, f"events without a base payload to fuzz: {missing}"


@pytest.mark.parametrize("event", namespace_events())
def test_fuzzed_event_payloads_get_clean_acks(fuzz_app, world, event):
    phase, kind, base = bases(world)[event]
    if phase:
        set_phase(fuzz_app, world, phase)
    live = connection(fuzz_app, world, kind)
    assert live.is_connected("/live")
    seen = {"answered": 0}

    @FUZZ
    @given(data=payloads(base))
    def check(data):
        ack = emit(live, event, data)
        assert_clean(ack, event, data)
        seen["answered"] += 1

    with ErrorLog() as errors:
        check()
    assert errors.records == [], describe(errors.records)
    assert seen["answered"] >= EXAMPLES // 2
    # the same connection still works
    assert live.is_connected("/live")
    ack = emit(live, "session:snapshot", {"session_id": world["session"]})
    assert ack.get("ok") is True, ack


def test_fuzzed_event_names_get_unknown_event(fuzz_app, world):
    live = connection(fuzz_app, world, "participant")
    known = set(namespace_events()) | {"connect", "disconnect"}

    @FUZZ
    @given(name=st.text(min_size=1, max_size=30).filter(lambda n: n not in known), data=junk)
    def check(name, data):
        if name.replace(":", "_") in {e.replace(":", "_") for e in known}:
            return  # another spelling of a real event
        ack = emit(live, name, data)
        # text no database stores (a NUL, a lone surrogate) is refused before the name is
        # looked at: see tests/test_sockets_guard.py for that rule
        text = json.dumps([name, data], default=lambda binary: "")  # bytes: attachments
        taken = PayloadJSON.loads(text) != [MALFORMED]
        expected = "unknown_event" if taken else "bad_request"
        assert isinstance(ack, dict) and ack["error"]["code"] == expected, (name, ack)

    with ErrorLog() as errors:
        check()
    assert errors.records == [], describe(errors.records)
    assert emit(live, "session:snapshot", {}).get("ok") is True


@pytest.mark.parametrize("event", ["initiative:post", "session:set_phase"])
def test_an_event_with_extra_arguments_is_still_answered(fuzz_app, world, event):
    """Every event takes one object; a client may still send more. The handler must not
    fail on them (before, a TypeError inside the server and no ack): the extras are
    ignored and the first argument is answered as usual."""
    phase, kind, base = bases(world)[event]
    if phase:
        set_phase(fuzz_app, world, phase)
    live = connection(fuzz_app, world, kind)
    with ErrorLog() as errors:
        ack = live.emit(event, base, {"second": 1}, "third", namespace="/live", callback=True)
    assert_clean(ack, event, (base, {"second": 1}, "third"))
    assert ack.get("ok") is True, ack  # the first argument is a valid payload
    assert errors.records == [], describe(errors.records)
    assert emit(live, "session:snapshot", {"session_id": world["session"]}).get("ok")


@pytest.mark.parametrize("kind", ["participant", "facilitator"])
@pytest.mark.parametrize("name", ["connect", "disconnect"])
def test_reserved_event_names_sent_by_a_client_raise_nothing(fuzz_app, world, kind, name):
    """`connect` and `disconnect` are the handshake, not events (docs/api.md 5.1: they get
    an empty acknowledgement or none). Sent as events they must not raise inside the server
    (a participant's `connect` re-ran the connect handler, which raised
    ConnectionRefusedError: a traceback in the server log for every such message), and
    the connection keeps working as what it was."""
    live = connection(fuzz_app, world, kind)
    with ErrorLog() as errors:
        ack = emit(live, name, {"session_id": world["session"]})
    assert not (isinstance(ack, dict) and ack.get("ok")), ack  # nothing was done
    assert errors.records == [], describe(errors.records)
    assert live.is_connected("/live")
    # still the same kind of connection: a participant event works only for a participant
    snapshot = emit(live, "session:snapshot", {"session_id": world["session"]})
    assert snapshot.get("ok") is True, snapshot
    assert ("votes" in snapshot) == (kind == "participant")


ID_FIELDS = ("id", "item_id", "session_id", "workshop_id", "item_ids", "before_id")


def id_cases(app, w, value):
    """(event, field, ack) for every id field of every event's base payload set to
    `value` (a list of two for `item_ids`), each sent in the phase the event needs."""
    cases = []
    for event, (phase, kind, base) in sorted(bases(w).items()):
        if event == "session:snapshot":
            kind = "facilitator"  # a participant's session_id is ignored
        for field in ID_FIELDS:
            if field not in base:
                continue
            if phase:
                set_phase(app, w, phase)
            bad = [value, value] if field == "item_ids" else value
            ack = emit(connection(app, w, kind), event, {**base, field: bad})
            cases.append((event, field, ack))
    return cases


def _wrong(cases):
    """(event, field, what came back) where the answer was not `not_found` / `invalid`."""
    answers = [
        (event, field, "ok" if ack.get("ok") else ack.get("error", {}).get("code"))
        for event, field, ack in cases
    ]
    return [case for case in answers if case[2] not in ("not_found", "invalid")]


@pytest.mark.parametrize("value", [True, 1.0, "1"], ids=["true", "1.0", "string"])
def test_ids_that_are_not_json_integers_name_nothing(fuzz_app, world, value):
    """docs/api.md: "int" means a JSON integer (`true`, `1.0` and `"1"` are not integers),
    so such an id names nothing: `true` must not quietly stand for the row with id 1."""
    assert world["workshop"] == 1 and world["session"] == 1  # what `true` would hit
    cases = id_cases(fuzz_app, world, value)
    assert len(cases) >= 10
    wrong = _wrong(cases)
    assert not wrong, "answers other than not_found/invalid:\n" + "\n".join(map(str, wrong))


@pytest.mark.parametrize("value", [2**63, 2**80, -(2**63) - 1])
def test_ids_beyond_64_bits_name_nothing(fuzz_app, world, value):
    """An id no database column can hold is simply not found (not a `server_error`)."""
    with ErrorLog() as errors:
        cases = id_cases(fuzz_app, world, value)
    assert len(cases) >= 10
    wrong = _wrong(cases)
    assert not wrong, "answers other than not_found/invalid:\n" + "\n".join(map(str, wrong))
    assert errors.records == [], describe(errors.records)


def test_urls_with_ids_beyond_64_bits_are_404(fuzz_app, world):
    """Werkzeug's `int` converter takes any number of digits; such an id is not found (404),
    not a 500. Every route with an <int:...> part, read from the app."""
    huge = str(2**64)
    rules = [r for r in fuzz_app.url_map.iter_rules() if "<int:" in r.rule]
    assert rules
    answers = []
    for rule in rules:
        path = rule.rule
        for name in rule.arguments:
            value = huge if f"<int:{name}>" in path else "csv"
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        for method in sorted(rule.methods & {"GET", "POST"}):
            client = fuzz_app.test_client()
            client.set_cookie("session", cookie_of(world["owner"]))
            try:
                status = client.open(path, method=method, data={}).status_code
            except Exception as error:  # TESTING propagates what would be a 500
                status = f"500 ({type(error).__name__}: {error})"
            answers.append((method, rule.rule, status))
    wrong = [a for a in answers if a[2] != 404]
    assert not wrong, "\n".join(map(str, wrong))


def test_a_flood_of_events_is_rate_limited_per_connection(tmp_path):
    """SOCKET_EVENT_BURST events, then `rate_limited` (nothing done) until tokens come back
    at SOCKET_EVENTS_PER_SECOND; another connection has its own bucket."""
    app = make_app(tmp_path, SOCKET_EVENT_BURST=5, SOCKET_EVENTS_PER_SECOND=0.0001)
    make_facilitator(app)
    owner = sign_in(app.test_client())
    with app.app_context(), work():
        me = db.session.query(Facilitator).one()
        workshop_id = workshops.create_workshop(me, {"title": "W", "date": "2026-05-10"}).id
    flooding = live_client(app, owner)
    acks = [emit(flooding, "workshop:watch", {"workshop_id": workshop_id}) for _ in range(8)]
    assert [a.get("ok") for a in acks[:5]] == [True] * 5
    assert [a["error"]["code"] for a in acks[5:]] == ["rate_limited"] * 3
    assert flooding.is_connected("/live")
    assert emit(live_client(app, owner), "workshop:watch", {"workshop_id": workshop_id})["ok"]


# --- HTTP forms -------------------------------------------------------------------------

form_values = st.one_of(
    st.text(max_size=60),
    huge_text,
    st.sampled_from(["", "2026-02-30", "ACDEFG", "es", "xx", "//evil.example", "%00", "\x00"]),
    st.lists(st.text(max_size=10), min_size=2, max_size=3),  # the field repeated
)


def form_fields(names):
    known = st.fixed_dictionaries({}, optional=dict.fromkeys(names, form_values))
    extra = st.dictionaries(st.text(min_size=1, max_size=10), form_values, max_size=2)
    return st.tuples(known, extra).map(lambda pair: {**pair[1], **pair[0]})


def raw_bodies():
    """Form bodies that are not what a browser sends: bad UTF-8, bad percent escapes."""
    return st.one_of(
        st.binary(max_size=200),
        st.sampled_from([b"title=%FF%FE%00", b"code=%", b"a=1&a=2&&&=", b"\xff\xfe=\x00"]),
    )


@pytest.fixture
def forms(fuzz_app, world):
    """Each POST route with a request path and the field names its form has."""
    app = fuzz_app
    with app.app_context(), work():
        token = accounts.invite("invited@example.org", "Invited")
    exported = world["owner"].get(f"/facilitator/workshops/{world['workshop']}/export/json")
    document = json.loads(exported.data)
    exported.close()
    return {
        "/": ("/", ["code"]),
        "/j/<code>": (f"/j/{world['code']}", ["display_name", "organisation", "country"]),
        "/language": ("/language", ["lang", "next"]),
        "/setup/<token>": (f"/setup/{token}", ["name", "email", "password"]),
        "/login": ("/login", ["email", "password"]),
        "/logout": ("/logout", []),
        "/facilitator/workshops/new": (
            "/facilitator/workshops/new",
            ["title", "date", "description"],
        ),
        "/facilitator/workshops/<int:workshop_id>/sessions": (
            f"/facilitator/workshops/{world['workshop']}/sessions",
            ["name", "language"],
        ),
        "/facilitator/import": ("/facilitator/import", ["file"]),
        "document": document,
    }


def post_rules(app):
    return sorted(rule.rule for rule in app.url_map.iter_rules() if "POST" in rule.methods)


def cookie_of(client):
    return client.get_cookie("session").value


def test_every_form_has_fields_to_fuzz(fuzz_app, forms):
    missing = sorted(set(post_rules(fuzz_app)) - set(forms))
    assert not missing, f"POST routes without fields to fuzz: {missing}"


def assert_clean_page(response, what):
    assert response.status_code < 500, (what, response.status_code, response.text[:500])
    if response.status_code >= 400:
        assert response.mimetype == "text/html", (what, response.mimetype)
        assert response.data, what


def test_fuzzed_forms_get_clean_pages(fuzz_app, world, forms):
    """Every POST form of the app but the upload (fuzzed with files below)."""
    cookie = cookie_of(world["owner"])
    rules = [rule for rule in post_rules(fuzz_app) if rule != "/facilitator/import"]
    assert len(rules) >= 8

    def client():
        fresh = fuzz_app.test_client()  # signed in as the facilitator, whatever came before
        fresh.set_cookie("session", cookie)
        return fresh

    def fuzz(rule):
        path, names = forms[rule]

        @FUZZ
        @given(fields=form_fields(names), raw=st.one_of(st.none(), raw_bodies()))
        def check(fields, raw):
            if raw is None:
                response = client().post(path, data=fields)
            else:
                response = client().post(
                    path, data=raw, content_type="application/x-www-form-urlencoded"
                )
            assert_clean_page(response, (rule, fields, raw))
            response.close()

        return check

    for rule in rules:
        with ErrorLog() as errors:
            fuzz(rule)()
        assert errors.records == [], (rule, describe(errors.records))
    assert client().get("/healthz").status_code == 200
    response = client().post(
        "/facilitator/workshops/new", data={"title": "After the fuzz", "date": "2026-05-10"}
    )
    assert response.status_code == 302


def damaged_documents(document):
    """The workshop's own export with one value somewhere replaced by junk."""
    paths = []

    def walk(node, path):
        paths.append(path)
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, (*path, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, (*path, index))

    walk(document, ())
    paths = [p for p in paths if p]

    def damage(choice):
        path, value = choice
        doc = json.loads(json.dumps(document))
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
        # unescaped UTF-8 keeps every body well under the test client's 500 KB spill-to-disk
        return json.dumps(doc, default=repr, ensure_ascii=False).encode(errors="surrogatepass")

    return st.tuples(st.sampled_from(paths), junk).map(damage)


def test_fuzzed_imports_get_clean_pages(fuzz_app, world, forms):
    cookie = cookie_of(world["owner"])
    document = forms["document"]

    @FUZZ
    @given(
        body=st.one_of(
            damaged_documents(document),
            damaged_documents(document),
            st.binary(max_size=300),
            junk.map(
                lambda j: json.dumps(j, default=repr, ensure_ascii=False).encode(
                    errors="surrogatepass"
                )
            ),
        ),
        filename=st.sampled_from(["w.json", "", "../../x.json", "w.xlsx"]),
    )
    def check(body, filename):
        body = body[:400_000]  # the test client spills larger uploads to unclosed temp files
        client = fuzz_app.test_client()
        client.set_cookie("session", cookie)
        response = client.post("/facilitator/import", data={"file": (io.BytesIO(body), filename)})
        assert_clean_page(response, (body[:300], filename))
        response.close()

    with ErrorLog() as errors:
        check()
    assert errors.records == [], describe(errors.records)
    client = fuzz_app.test_client()
    client.set_cookie("session", cookie)
    good = json.dumps(document).encode()
    response = client.post("/facilitator/import", data={"file": (io.BytesIO(good), "w.json")})
    assert response.status_code == 302


def test_huge_form_bodies_are_refused_before_the_view(fuzz_app, world):
    """More than MAX_CONTENT_LENGTH (64 KB): 413, nothing stored."""
    with fuzz_app.app_context():
        before = db.session.query(Participant).count()
    data = {"display_name": "x" * 70_000, "organisation": "Oslo", "country": "Norway"}
    response = fuzz_app.test_client().post(f"/j/{world['code']}", data=data)
    assert response.status_code == 413
    with fuzz_app.app_context():
        assert db.session.query(Participant).count() == before


def test_not_a_number_is_not_a_countdown(fuzz_app, world):
    """NaN and infinity (a Python client can send them) are invalid minutes."""
    live = connection(fuzz_app, world, "facilitator")
    for minutes in (math.nan, math.inf, -math.inf):
        data = {"session_id": world["session"], "phase": "voting", "minutes": minutes}
        ack = emit(live, "session:set_phase", data)
        assert ack["error"]["fields"]["minutes"]["code"] == "invalid", (minutes, ack)
