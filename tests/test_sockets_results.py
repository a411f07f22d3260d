"""`workshop:results` over /live: broadcast to watching facilitators, coalesced, and equal to
counts taken straight from the database (Flask-SocketIO test client)."""

from collections import Counter

import pytest
from conftest import emit, live_client, participant_in, received, wait_until

from facilitation.extensions import db
from facilitation.models import Facilitator, Initiative
from facilitation.services import workshops
from facilitation.unit_of_work import work


def post(live, client_id, axis="mobility", sdgs=(11,)):
    data = {"client_id": client_id, "title": f"Idea {client_id}", "axis": axis, "sdgs": list(sdgs)}
    ack = emit(live, "initiative:post", data)
    assert ack.get("ok"), ack
    return ack["initiative"]["id"]


def db_counts(app, session_id=None):
    """Non-zero (axis, sdg) cells and the initiative count, from the database itself."""
    with app.app_context():
        query = db.session.query(Initiative).filter(Initiative.withdrawn_at.is_(None))
        if session_id is not None:
            query = query.filter(Initiative.session_id == session_id)
        rows = query.all()
        cells = Counter((i.axis, str(sdg)) for i in rows for sdg in i.sdgs)
        return dict(cells), len(rows)


def nonzero_cells(tally):
    return {
        (axis, str(sdg)): count
        for axis, row in tally["matrix"].items()
        for sdg, count in row.items()
        if count
    }


def results_until(live, done):
    """Collect `workshop:results` events until `done(latest)` holds; returns all of them."""
    seen = []

    def check():
        seen.extend(received(live, "workshop:results"))
        return bool(seen) and done(seen[-1])

    assert wait_until(check), f"no matching workshop:results among {len(seen)} events"
    return seen


@pytest.fixture
def dashboard(app, workshop, facilitator_client):
    """The facilitator's live connection, watching the workshop."""
    live = live_client(app, facilitator_client)
    assert emit(live, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    live.get_received("/live")
    return live


def test_watch_returns_results_equal_to_the_database(app, workshop, facilitator_client):
    _, alice = participant_in(app, workshop["en"]["code"])
    post(alice, "a1", "mobility", (11, 3))
    post(alice, "a2", "economy", (8,))
    watch = emit(
        live_client(app, facilitator_client), "workshop:watch", {"workshop_id": workshop["id"]}
    )
    cells, total = db_counts(app)
    assert nonzero_cells(watch["results"]["combined"]) == cells
    assert watch["results"]["combined"]["initiatives"] == total == 2


def test_results_are_broadcast_after_a_post(app, workshop, dashboard):
    _, alice = participant_in(app, workshop["en"]["code"])
    _, carla = participant_in(app, workshop["es"]["code"])
    post(alice, "a1", "mobility", (11, 3))
    post(carla, "c1", "mobility", (11,))
    post(carla, "c2", "governance", (16, 17))
    events = results_until(dashboard, lambda r: r["combined"]["initiatives"] == 3)
    latest = events[-1]
    assert latest["workshop_id"] == workshop["id"]
    cells, _ = db_counts(app)
    assert nonzero_cells(latest["combined"]) == cells
    assert latest["combined"]["matrix"]["mobility"]["11"] == 2
    for side in ("en", "es"):
        session_id = workshop[side]["id"]
        cells, total = db_counts(app, session_id)
        assert nonzero_cells(latest["sessions"][str(session_id)]) == cells
        assert latest["sessions"][str(session_id)]["initiatives"] == total
    # axis and SDG totals agree with the matrix
    combined = latest["combined"]
    assert combined["sdgs"]["11"] == sum(row["11"] for row in combined["matrix"].values())
    assert sum(combined["axes"].values()) == 3


def test_results_are_coalesced(app, workshop, dashboard):
    # a long interval, so that every post lands inside the first one
    app.config["RESULTS_INTERVAL"] = 0.5
    _, alice = participant_in(app, workshop["en"]["code"])
    posts = 20
    for i in range(posts):
        post(alice, f"a{i}", "environment", (13,))
    events = results_until(dashboard, lambda r: r["combined"]["initiatives"] == posts)
    assert 1 <= len(events) < posts
    assert events[-1]["combined"]["matrix"]["environment"]["13"] == posts


def test_withdrawn_initiatives_leave_the_counts(app, workshop, dashboard):
    _, alice = participant_in(app, workshop["en"]["code"])
    gone = post(alice, "a1", "mobility", (11, 3))
    post(alice, "a2", "quality", (3,))
    results_until(dashboard, lambda r: r["combined"]["initiatives"] == 2)
    assert emit(alice, "initiative:withdraw", {"id": gone})["ok"]
    latest = results_until(dashboard, lambda r: r["combined"]["initiatives"] == 1)[-1]
    assert latest["combined"]["matrix"]["mobility"]["11"] == 0
    assert latest["combined"]["matrix"]["mobility"]["3"] == 0
    assert latest["combined"]["matrix"]["quality"]["3"] == 1
    assert latest["combined"]["axes"]["mobility"] == 0
    assert nonzero_cells(latest["combined"]) == db_counts(app)[0] == {("quality", "3"): 1}


def test_edit_moves_the_counts(app, workshop, dashboard):
    _, alice = participant_in(app, workshop["en"]["code"])
    item = post(alice, "a1", "mobility", (11,))
    results_until(dashboard, lambda r: r["combined"]["initiatives"] == 1)
    edit = {"id": item, "title": "Moved", "axis": "economy", "sdgs": [8, 9]}
    assert emit(alice, "initiative:edit", edit)["ok"]
    latest = results_until(dashboard, lambda r: r["combined"]["axes"]["economy"] == 1)[-1]
    assert nonzero_cells(latest["combined"]) == {("economy", "8"): 1, ("economy", "9"): 1}


def test_participants_get_no_workshop_results(app, workshop, dashboard):
    browser, alice = participant_in(app, workshop["en"]["code"])
    post(alice, "a1")
    results_until(dashboard, lambda r: r["combined"]["initiatives"] == 1)
    assert received(alice, "workshop:results") == []


def test_results_stay_within_their_workshop(
    app, workshop, facilitator, facilitator_client, dashboard
):
    with app.app_context(), work():
        owner = db.session.get(Facilitator, facilitator)
        other = workshops.create_workshop(owner, {"title": "Other", "date": "2026-06-01"})
        other_id = other.id
    elsewhere = live_client(app, facilitator_client)
    assert emit(elsewhere, "workshop:watch", {"workshop_id": other_id})["ok"]
    elsewhere.get_received("/live")
    _, alice = participant_in(app, workshop["en"]["code"])
    post(alice, "a1")
    results_until(dashboard, lambda r: r["combined"]["initiatives"] == 1)
    assert received(elsewhere, "workshop:results") == []
