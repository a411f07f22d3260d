"""Who may call what: every HTTP route and every /live event, read from the app itself.

The routes come from `app.url_map` and the events from the `on_*` methods of
`LiveNamespace`, so a route or an event added later without a line in the tables below
fails `test_every_route_is_in_the_table` / `test_every_event_is_in_the_table`.

Each one is called by four callers:

- `anonymous`: no cookie;
- `participant`: joined a session of the workshop;
- `other`: a signed-in facilitator who runs another workshop;
- `owner`: the workshop's own facilitator.

Allowed callers must get the real answer; the others the documented refusal (HTTP: a
redirect to sign in or to join, or 404; sockets: a refused connection, `unauthorized` or
`not_found`), and a refused request must change nothing in the database.
"""

import inspect
import io
import itertools
from dataclasses import dataclass, field

import pytest
from conftest import (
    PASSWORD,
    csrf_token,
    emit,
    join,
    live_client,
    make_app,
    make_facilitator,
    sign_in,
)

from facilitation.extensions import db
from facilitation.models import Facilitator, Participant, Session
from facilitation.services import accounts, initiatives, items, proxy, workshops
from facilitation.sockets import LiveNamespace
from facilitation.unit_of_work import work

CALLERS = ("anonymous", "participant", "other", "owner")

PUBLIC = frozenset(CALLERS)
PARTICIPANT = frozenset({"participant"})
SIGNED_IN = frozenset({"other", "owner"})  # any facilitator
OWNER = frozenset({"owner"})  # a facilitator of this workshop
NOBODY = frozenset()

_unique = itertools.count(1)


# --- HTTP ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Who may call a route, the request to make (`path(ctx)`, `data(ctx)`) and the
    statuses an allowed caller gets."""

    who: frozenset
    path: object
    ok: frozenset = frozenset({200})
    data: object = None


def _account(ctx):
    n = next(_unique)
    return {"name": f"New {n}", "email": f"new{n}@example.org", "password": "a long password"}


def _export_file(ctx):
    return {"file": (io.BytesIO(ctx.export_json), "workshop.json")}


ROUTES = {
    ("GET", "/static/<path:filename>"): Route(PUBLIC, lambda c: "/static/css/app.css"),
    ("GET", "/setup/<token>"): Route(PUBLIC, lambda c: f"/setup/{c.token()}"),
    ("POST", "/setup/<token>"): Route(
        PUBLIC, lambda c: f"/setup/{c.token()}", {302}, data=_account
    ),
    ("GET", "/login"): Route(PUBLIC, lambda c: "/login"),
    ("POST", "/login"): Route(PUBLIC, lambda c: "/login", {302}, data=lambda c: c.credentials),
    ("POST", "/logout"): Route(SIGNED_IN, lambda c: "/logout", {302}, data=lambda c: {}),
    ("GET", "/facilitator/workshops/<int:workshop_id>/export/<fmt>"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}/export/csv"
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>/report"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}/report"
    ),
    # the report as a PDF: 503 with a message where WeasyPrint cannot run
    ("GET", "/facilitator/workshops/<int:workshop_id>/report.pdf"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}/report.pdf", {200, 503}
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>/report.docx"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}/report.docx"
    ),
    ("GET", "/facilitator/import"): Route(SIGNED_IN, lambda c: "/facilitator/import"),
    ("POST", "/facilitator/import"): Route(
        SIGNED_IN, lambda c: "/facilitator/import", {302}, data=_export_file
    ),
    ("GET", "/facilitator/"): Route(SIGNED_IN, lambda c: "/facilitator/"),
    ("GET", "/facilitator/workshops/new"): Route(SIGNED_IN, lambda c: "/facilitator/workshops/new"),
    ("POST", "/facilitator/workshops/new"): Route(
        SIGNED_IN,
        lambda c: "/facilitator/workshops/new",
        {302},
        data=lambda c: {"title": "Another workshop", "date": "2026-06-01"},
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}"
    ),
    ("POST", "/facilitator/workshops/<int:workshop_id>/sessions"): Route(
        OWNER,
        lambda c: f"/facilitator/workshops/{c.workshop_id}/sessions",
        {302},
        data=lambda c: {"name": "Third group", "language": "en"},
    ),
    ("GET", "/facilitator/sessions/<int:session_id>/qr.svg"): Route(
        OWNER, lambda c: f"/facilitator/sessions/{c.session_id}/qr.svg"
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>/projector"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}/projector"
    ),
    ("GET", "/facilitator/sessions/<int:session_id>/projector"): Route(
        OWNER, lambda c: f"/facilitator/sessions/{c.session_id}/projector"
    ),
    ("GET", "/facilitator/workshops/<int:workshop_id>/run"): Route(
        OWNER, lambda c: f"/facilitator/workshops/{c.workshop_id}/run"
    ),
    ("GET", "/facilitator/sessions/<int:session_id>/run"): Route(
        OWNER, lambda c: f"/facilitator/sessions/{c.session_id}/run"
    ),
    ("GET", "/"): Route(PUBLIC, lambda c: "/"),
    ("POST", "/"): Route(PUBLIC, lambda c: "/", {302}, data=lambda c: {"code": c.code}),
    # a participant who joined already is sent on to the session page
    ("GET", "/j/<code>"): Route(PUBLIC, lambda c: f"/j/{c.code}", {200, 302}),
    ("POST", "/j/<code>"): Route(
        PUBLIC,
        lambda c: f"/j/{c.code}",
        {302},
        data=lambda c: {"display_name": "Eva", "organisation": "Sevilla", "country": "Spain"},
    ),
    ("GET", "/s/<code>"): Route(PARTICIPANT, lambda c: f"/s/{c.code}"),
    ("POST", "/language"): Route(
        PUBLIC, lambda c: "/language", {302}, data=lambda c: {"lang": "es", "next": "/"}
    ),
    ("GET", "/sdg.css"): Route(PUBLIC, lambda c: "/sdg.css"),
    ("GET", "/healthz"): Route(PUBLIC, lambda c: "/healthz"),
    ("GET", "/manifest.webmanifest"): Route(PUBLIC, lambda c: "/manifest.webmanifest"),
}


def app_routes(app):
    """(method, rule) of every route the app serves (HEAD and OPTIONS come with GET)."""
    return {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


@dataclass
class World:
    """One workshop (run by `owner`), another facilitator with a workshop of their own, a
    participant of the workshop's English session, and a saved cookie for each caller."""

    app: object
    workshop_id: int
    session_id: int
    code: str
    other_session_id: int
    participant_id: int
    cookies: dict
    credentials: dict
    export_json: bytes = b""
    extra: dict = field(default_factory=dict)

    def client(self, caller):
        """A fresh test client carrying `caller`'s cookie (so a sign-out stays local)."""
        client = self.app.test_client()
        if self.cookies[caller] is not None:
            client.set_cookie("session", self.cookies[caller])
        return client

    def token(self):
        """A new, unused invitation link token."""
        with self.app.app_context(), work():
            n = next(_unique)
            return accounts.invite(f"invited{n}@example.org", f"Invited {n}")


def _cookie(client):
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def build_world(app, export=False):
    """The workshop (en + es sessions, initiatives open), its owner, another facilitator
    with a workshop of their own, a participant of the English session, their cookies."""
    make_facilitator(app)
    make_facilitator(app, email="other@example.org", name="Other")
    with app.app_context(), work():
        owner_row = db.session.query(Facilitator).filter_by(email="ana@example.org").one()
        ours = workshops.create_workshop(owner_row, {"title": "Ours", "date": "2026-05-10"})
        en = workshops.add_session(ours, {"name": "English", "language": "en"}, ["en", "es"])
        es = workshops.add_session(ours, {"name": "Español", "language": "es"}, ["en", "es"])
        for found in (en, es):
            workshops.set_phase(found, "initiatives")
        someone = db.session.query(Facilitator).filter_by(email="other@example.org").one()
        theirs = workshops.create_workshop(someone, {"title": "Theirs", "date": "2026-05-11"})
        their_session = workshops.add_session(theirs, {"name": "G", "language": "en"}, ["en"])
        ids = {"workshop": ours.id, "en": en.id, "es": es.id, "theirs": their_session.id}
        code = en.join_code
    other = sign_in(app.test_client(), "other@example.org")
    browser = app.test_client()
    participant_id = join(browser, code)
    owner = sign_in(app.test_client())
    export_json = b""
    if export:
        response = owner.get(f"/facilitator/workshops/{ids['workshop']}/export/json")
        assert response.status_code == 200
        export_json = response.data
        response.close()  # the file behind it
    return World(
        app=app,
        workshop_id=ids["workshop"],
        session_id=ids["en"],
        code=code,
        other_session_id=ids["theirs"],
        participant_id=participant_id,
        cookies={
            "anonymous": None,
            "participant": _cookie(browser),
            "other": _cookie(other),
            "owner": _cookie(owner),
        },
        credentials={"email": "ana@example.org", "password": PASSWORD},
        export_json=export_json,
        extra={"es_session_id": ids["es"]},
    )


@pytest.fixture(scope="module")
def routes_world(tmp_path_factory):
    """One world for every route check: each call uses a fresh client with a copy of the
    caller's cookie, and no route's answer depends on what the others created."""
    return build_world(make_app(tmp_path_factory.mktemp("routes")), export=True)


@pytest.fixture
def world(app):
    """A world of its own for each event check (events change phases and budgets)."""
    return build_world(app)


def fingerprint(app):
    """Every row of every table: equal fingerprints mean nothing was written."""
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: sorted(repr(tuple(row)) for row in connection.execute(table.select()))
            for table in db.metadata.sorted_tables
        }


def _refusal(route, caller, response, world):
    """What a caller who may not use `route` gets instead."""
    location = response.headers.get("Location", "")
    if route.who & SIGNED_IN and caller in ("anonymous", "participant"):
        return response.status_code == 302 and location.startswith("/login?next=")
    if route.who == OWNER and caller == "other":
        return response.status_code == 404
    if route.who == PARTICIPANT:
        return response.status_code == 302 and location == f"/j/{world.code}"
    return False


SIGN_OUT_EMAILS = {"owner": "ana@example.org", "other": "other@example.org"}


def _call(world, caller, key):
    method, _rule = key
    route = ROUTES[key]
    client = world.client(caller)
    path = route.path(world)
    if method == "GET":
        return route, client.get(path)
    response = client.post(path, data=route.data(world) if route.data else {})
    if key == ("POST", "/logout") and caller in SIGN_OUT_EMAILS:
        # signing out ends every session of the account: the world's cookie too, so sign in again
        world.cookies[caller] = _cookie(sign_in(world.app.test_client(), SIGN_OUT_EMAILS[caller]))
    return route, response


def test_every_route_is_in_the_table(app):
    served = app_routes(app)
    missing = sorted(served - set(ROUTES))
    assert not missing, f"routes without an expected access in ROUTES: {missing}"
    stale = sorted(set(ROUTES) - served)
    assert not stale, f"ROUTES lists routes the app does not serve: {stale}"


@pytest.mark.parametrize("key", sorted(ROUTES), ids=lambda k: f"{k[0]} {k[1]}")
def test_route_access(routes_world, key):
    world = routes_world
    route = ROUTES[key]
    for caller in CALLERS:
        allowed = caller in route.who
        before = None if allowed else fingerprint(world.app)
        route, response = _call(world, caller, key)
        status = response.status_code
        if allowed:
            assert status in route.ok, (caller, status, response.text[:300])
            location = response.headers.get("Location", "")
            assert not location.startswith("/login?next="), (caller, location)
        else:
            assert _refusal(route, caller, response, world), (
                caller,
                status,
                response.headers.get("Location"),
            )
            assert fingerprint(world.app) == before, f"a refused {caller} changed data"
        response.close()


def test_an_export_cannot_reach_a_session_of_another_workshop(routes_world):
    world = routes_world
    """The owner's own workshop with `?session=` of someone else's session: 404."""
    client = world.client("owner")
    path = f"/facilitator/workshops/{world.workshop_id}/export/csv"
    with client.get(f"{path}?session={world.session_id}") as own:
        assert own.status_code == 200
    assert client.get(f"{path}?session={world.other_session_id}").status_code == 404
    report = f"/facilitator/workshops/{world.workshop_id}/report"
    assert client.get(f"{report}?session={world.other_session_id}").status_code == 404


# --- Socket.IO -------------------------------------------------------------------------


def event_name(method_name):
    """`on_session_set_phase` -> `session:set_phase`, the inverse of
    LiveNamespace.trigger_event (which turns every ':' into '_')."""
    name = method_name[len("on_") :]
    return name.replace("_", ":", 1)


def namespace_events():
    """Every event the /live namespace handles, from its `on_*` methods."""
    return sorted(
        event_name(name)
        for name, _ in inspect.getmembers(LiveNamespace, inspect.isfunction)
        if name.startswith("on_")
    )


def _phase(world, phase):
    with world.app.app_context(), work():
        workshops.set_phase(db.session.get(Session, world.session_id), phase)


def _me(world):
    return db.session.get(Participant, world.participant_id)


def _own_initiative(world):
    _phase(world, "initiatives")
    with world.app.app_context(), work():
        payload = {"client_id": "mine", "title": "Mine", "axis": "mobility", "sdgs": [11]}
        return initiatives.post(_me(world), payload)[0]["id"]


def _item(world, client_id, session_id=None):
    with world.app.app_context(), work():
        owner = db.session.query(Facilitator).filter_by(email="ana@example.org").one()
        target = db.session.get(Session, session_id or world.session_id)
        payload = {"client_id": client_id, "text": f"Item {client_id}", "kind": "barrier"}
        return items.add_by_facilitator(owner, target, payload)[0][0].id


def _merged(world):
    first, second = _item(world, "m1"), _item(world, "m2")
    with world.app.app_context(), work():
        items.merge(db.session.get(Session, world.session_id).workshop, [first, second])
    return first


def _vote(world):
    item_id = _item(world, "v1")
    _phase(world, "voting")
    return {"client_id": "vote-1", "item_id": item_id, "delta": 1}


def _post(world):
    _phase(world, "initiatives")
    return {"client_id": "post-1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}


def _propose(world):
    _phase(world, "proposing")
    return {"client_id": "prop-1", "text": "Red tape", "kind": "barrier"}


def _pick(world):
    _phase(world, "sdg_picks")
    return {"axis": "mobility", "sdg": 11, "picked": True}


def _edit(world):
    return {"id": _own_initiative(world), "title": "Edited", "axis": "economy", "sdgs": [8]}


def _entered(world):
    """A participant without a device, entered into the world's session by its owner."""
    with world.app.app_context(), work():
        owner = db.session.query(Facilitator).filter_by(email="ana@example.org").one()
        who = {"display_name": "Dee", "organisation": "Lyon", "country": "France"}
        return proxy.enter(owner, db.session.get(Session, world.session_id), who).id


def _for_entered(make):
    """A proxy event's payload: the participant event's `make(world)` for someone entered."""
    return lambda w: {"participant_id": _entered(w), **make(w)}


def _entered_initiative(world):
    participant_id = _entered(world)
    _phase(world, "initiatives")
    with world.app.app_context(), work():
        payload = {"client_id": "theirs", "title": "Theirs", "axis": "mobility", "sdgs": [11]}
        found = db.session.get(Participant, participant_id)
        return {"participant_id": participant_id, "id": initiatives.post(found, payload)[0]["id"]}


# event -> (who may send it, payload(world) made after any setup it needs)
EVENTS = {
    "connect": (frozenset({"participant", "other", "owner"}), None),
    "unknown:event": (NOBODY, lambda w: {}),
    "session:snapshot": (
        frozenset({"participant", "owner"}),
        lambda w: {"session_id": w.session_id, "since_seq": None},
    ),
    "initiative:post": (PARTICIPANT, _post),
    "initiative:edit": (PARTICIPANT, _edit),
    "initiative:withdraw": (PARTICIPANT, lambda w: {"id": _own_initiative(w)}),
    "initiative:page": (
        frozenset({"participant", "owner"}),
        lambda w: {"session_id": w.session_id, "before_id": _own_initiative(w)},
    ),
    "workshop:boards": (PARTICIPANT, lambda w: {}),
    "item:propose": (PARTICIPANT, _propose),
    "vote:cast": (PARTICIPANT, _vote),
    "sdg:pick": (PARTICIPANT, _pick),
    "workshop:watch": (OWNER, lambda w: {"workshop_id": w.workshop_id}),
    "session:set_phase": (OWNER, lambda w: {"session_id": w.session_id, "phase": "results"}),
    "session:countdown": (OWNER, lambda w: {"session_id": w.session_id, "action": "add_minute"}),
    "session:set_auto_close": (
        OWNER,
        lambda w: {"session_id": w.session_id, "auto_close": True},
    ),
    "workshop:set_voting_rules": (
        OWNER,
        lambda w: {"workshop_id": w.workshop_id, "dots": 7, "per_item": 3, "sdg_limit": 4},
    ),
    "workshop:set_display": (
        OWNER,
        lambda w: {"workshop_id": w.workshop_id, "anonymity": "hidden"},
    ),
    "workshop:set_projector": (
        OWNER,
        lambda w: {"workshop_id": w.workshop_id, "results_shown": False, "layout": "combined"},
    ),
    "item:add": (
        OWNER,
        lambda w: {
            "session_id": w.session_id,
            "client_id": "a1",
            "text": "Silos",
            "kind": "barrier",
        },
    ),
    "item:correct": (OWNER, lambda w: {"item_id": _item(w, "c1"), "text": "Corrected"}),
    "item:set_hidden": (OWNER, lambda w: {"item_id": _item(w, "h1"), "hidden": True}),
    "item:merge": (
        OWNER,
        lambda w: {"workshop_id": w.workshop_id, "item_ids": [_item(w, "g1"), _item(w, "g2")]},
    ),
    "item:unmerge": (OWNER, lambda w: {"item_id": _merged(w)}),
    "translation:correct": (
        OWNER,
        lambda w: {
            "subject": "initiative",
            "subject_id": _own_initiative(w),
            "field": "title",
            "language": "es",
            "text": "Mía",
        },
    ),
    "initiative:set_hidden": (
        OWNER,
        lambda w: {"initiative_id": _own_initiative(w), "hidden": True},
    ),
    "initiative:correct": (
        OWNER,
        lambda w: {"initiative_id": _own_initiative(w), "title": "Corrected"},
    ),
    "participant:enter": (
        OWNER,
        lambda w: {
            "session_id": w.session_id,
            "display_name": "Dee",
            "organisation": "Lyon",
            "country": "France",
        },
    ),
    "proxy:list": (OWNER, lambda w: {"session_id": w.session_id}),
    "proxy:state": (OWNER, lambda w: {"participant_id": _entered(w)}),
    "proxy:initiative_post": (OWNER, _for_entered(_post)),
    "proxy:initiative_withdraw": (OWNER, _entered_initiative),
    "proxy:item_propose": (OWNER, _for_entered(_propose)),
    "proxy:vote_cast": (OWNER, _for_entered(_vote)),
    "proxy:sdg_pick": (OWNER, _for_entered(_pick)),
    "merge:suggestions": (OWNER, lambda w: {"workshop_id": w.workshop_id}),
    "merge:dismiss": (
        OWNER,
        lambda w: {"workshop_id": w.workshop_id, "item_ids": [_item(w, "d1"), _item(w, "d2")]},
    ),
    "merge:restore": (
        OWNER,
        lambda w: {"workshop_id": w.workshop_id, "item_ids": [_item(w, "r1"), _item(w, "r2")]},
    ),
}


def connect(world, caller):
    """`caller`'s /live connection: participants name their session, facilitators don't."""
    auth = {"session_id": world.session_id} if caller == "participant" else None
    return live_client(world.app, world.client(caller), auth)


def test_every_event_is_in_the_table():
    events = namespace_events()
    assert "session:set_phase" in events and "vote:cast" in events  # the mapping works
    missing = sorted(set(events) - set(EVENTS))
    assert not missing, f"/live events without an expected access in EVENTS: {missing}"
    stale = sorted(set(EVENTS) - set(events))
    assert not stale, f"EVENTS lists events the namespace does not handle: {stale}"


def test_event_names_route_back_to_their_methods():
    """The names the table uses are the ones trigger_event sends to each method."""
    for name, _ in inspect.getmembers(LiveNamespace, inspect.isfunction):
        if name.startswith("on_"):
            assert f"on_{event_name(name).replace(':', '_')}" == name


@pytest.mark.parametrize("event", namespace_events())
def test_event_access(world, event):
    assert event in EVENTS, f"{event} has no line in EVENTS"
    who, make_payload = EVENTS[event]
    if event == "connect":
        for caller in CALLERS:
            assert connect(world, caller).is_connected("/live") == (caller in who), caller
        return
    assert not connect(world, "anonymous").is_connected("/live")
    data = make_payload(world)
    # refused callers first: they must leave everything as it was
    for caller in sorted(set(CALLERS) - who - {"anonymous"}):
        before = fingerprint(world.app)
        ack = emit(connect(world, caller), event, data)
        expected = "unknown_event" if who == NOBODY else _denial(who, caller, event)
        assert ack.get("error", {}).get("code") == expected, (caller, ack)
        assert fingerprint(world.app) == before, f"a refused {caller} changed data"
    for caller in sorted(who):
        ack = emit(connect(world, caller), event, data)
        assert ack.get("ok") is True, (caller, ack)


def _denial(who, caller, event):
    """Participant events refuse facilitators and vice versa (`unauthorized`); another
    workshop's facilitator does not learn that the target exists (`not_found`). The
    participant here is the author of the initiative, refused as an author (`forbidden`)
    while the workshop does not let authors translate."""
    if event == "translation:correct" and caller == "participant":
        return "forbidden"
    if caller == "other" and "owner" in who:
        return "not_found"
    return "unauthorized"


# --- participants among themselves -------------------------------------------------------


def test_a_participant_cannot_change_anothers_initiative(world):
    theirs = _own_initiative(world)
    browser = world.app.test_client()
    join(browser, world.code, name="Mallory")
    mallory = live_client(world.app, browser, {"session_id": world.session_id})
    before = fingerprint(world.app)
    edit = {"id": theirs, "title": "Defaced", "axis": "economy", "sdgs": [1]}
    assert emit(mallory, "initiative:edit", edit)["error"]["code"] == "forbidden"
    assert emit(mallory, "initiative:withdraw", {"id": theirs})["error"]["code"] == "forbidden"
    assert fingerprint(world.app) == before


def test_a_participant_cannot_vote_on_an_item_of_another_session(world):
    elsewhere = _item(world, "es-1", session_id=world.extra["es_session_id"])
    _phase(world, "voting")
    mine = connect(world, "participant")
    before = fingerprint(world.app)
    ack = emit(mine, "vote:cast", {"client_id": "x", "item_id": elsewhere, "delta": 1})
    assert ack["error"]["code"] == "not_found"
    assert fingerprint(world.app) == before


def test_a_participant_connection_cannot_read_another_sessions_snapshot(world):
    """`session_id` in a participant's snapshot request is ignored: always their own."""
    data = {"session_id": world.extra["es_session_id"]}
    ack = emit(connect(world, "participant"), "session:snapshot", data)
    assert ack["ok"] and ack["session_id"] == world.session_id


# --- an app with CSRF on: the table's allowed POSTs still need the token -----------------


def test_csrf_protects_every_post_route(tmp_path):
    """Every POST route of the app refuses a request without a CSRF token (400), even
    from a signed-in facilitator, before any access rule runs."""
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    make_facilitator(app)
    client = app.test_client()
    token = csrf_token(client.get("/login").text)
    signed_in = client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token}
    )
    assert signed_in.status_code == 302
    posts = sorted(rule for method, rule in app_routes(app) if method == "POST")
    assert posts, "no POST routes found"
    for rule in posts:
        path = (
            rule.replace("<int:workshop_id>", "1")
            .replace("<token>", "t")
            .replace("<code>", "ACDEFG")
        )
        response = client.post(path, data={"x": "y"})
        assert response.status_code == 400, (rule, response.status_code)
        assert "This form has expired" in response.text, rule  # the CSRF refusal's page
