"""What one dot costs the database: SQL statements per vote, counted with an engine event,
on SQLite and PostgreSQL; and the shared row lock a vote takes on its item (PostgreSQL).

A regression check on the vote path (the statements, not a timing): a vote reads the
participant's lock, its context and its dots once each and loads no ORM object.
"""

import threading
import time

import pytest
from conftest import app_on_each_engine, emit, live_client
from sqlalchemy import event, text

from facilitation import live as live_module
from facilitation import live_counters, runtime
from facilitation.domain.errors import RuleError
from facilitation.extensions import db
from facilitation.models import Facilitator, Item, SdgPick, Session, Vote, Workshop
from facilitation.services import items, participants, voting, workshops
from facilitation.unit_of_work import UnitOfWork, work

# lock the participant, the context (phase, budget, replay, item), the dots per item, the
# insert, and the running sums (dot_counts: one upsert per item and one per participant)
PLACE = 6
REPLAY = 3  # lock, context, dots: nothing written
REFUSED = 3  # lock, context, dots
OTHER_LANGUAGE = PLACE + 1  # the own-session item of the group
TAKE_BACK_FROM_GROUP = PLACE + 1  # share-lock the group's items first


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path):
    """The app on a fresh SQLite file, or on a fresh PostgreSQL database."""
    yield from app_on_each_engine(request, tmp_path)


@pytest.fixture
def statements(app):
    """A list that collects every SQL statement the app's engine executes."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(_conn, _cursor, statement, _params, _context, _many):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def ballot(app, workshop, facilitator):
    """Bo (English) and Carla (Spanish), two English barriers and a Spanish one merged with
    the first, a budget of 3 dots (2 per item), voting open in both sessions."""
    with app.app_context(), work():
        owner = db.session.get(Facilitator, facilitator)
        sessions = {lang: db.session.get(Session, workshop[lang]["id"]) for lang in ("en", "es")}
        ids = {}
        for key, lang in (("a", "en"), ("b", "en"), ("es", "es")):
            changed, _plan = items.add_by_facilitator(
                owner, sessions[lang], {"client_id": key, "kind": "barrier", "text": key}
            )
            ids[key] = changed[0]["id"] if isinstance(changed[0], dict) else changed[0].id
        found = db.session.get(Workshop, workshop["id"])
        items.merge(found, [ids["a"], ids["es"]])
        found.dots, found.dots_per_item = 3, 2
        db.session.commit()
        for s in sessions.values():
            workshops.set_phase(s, "voting")
        who = {"organisation": "City", "country": "ES"}
        bo = participants.join(workshop["en"]["code"], {"display_name": "Bo", **who})
        carla = participants.join(workshop["es"]["code"], {"display_name": "Carla", **who})
        db.session.flush()
        voters = {"bo": (bo.id, bo.session_id), "carla": (carla.id, carla.session_id)}
    runtime.of(app).drain()  # no result or counter broadcast reads during a count
    return {**voters, **ids}


def cast(app, voter, client_id, item_id, delta=1):
    """The service alone, in a unit of work committed here and broadcast to nobody."""
    with app.app_context(), UnitOfWork().bound():
        done = voting.cast_by(*voter, {"client_id": client_id, "item_id": item_id, "delta": delta})
        db.session.commit()
        return done


def test_a_vote_costs_a_few_statements(app, ballot, statements):
    done = cast(app, ballot["bo"], "v1", ballot["b"])
    assert done.created and done.votes["units"] == {f"i{ballot['b']}": 1}
    assert len(statements) <= PLACE, statements
    assert any(s.startswith("INSERT INTO votes") for s in statements), "a statement not counted"
    assert not any("FROM participants" in s for s in statements), "the participant was loaded"


def test_a_replay_writes_nothing(app, ballot, statements):
    first = cast(app, ballot["bo"], "v1", ballot["b"])
    statements.clear()
    again = cast(app, ballot["bo"], "v1", ballot["b"])
    assert again == first._replace(created=False)
    assert len(statements) <= REPLAY, statements
    assert not any(s.lstrip().startswith("INSERT") for s in statements)


def test_a_refused_vote_costs_no_more(app, ballot, statements):
    for n in range(2):
        cast(app, ballot["bo"], f"v{n}", ballot["b"])
    statements.clear()
    with pytest.raises(RuleError) as refused:
        cast(app, ballot["bo"], "v9", ballot["b"])
    assert refused.value.code == "item_limit"
    assert len(statements) <= REFUSED, statements


def test_merged_items_cost_one_statement_more(app, ballot, statements):
    # Carla votes on the English original: the dot goes on her own (Spanish) item
    placed = cast(app, ballot["carla"], "v1", ballot["a"])
    assert len(statements) <= OTHER_LANGUAGE, statements
    statements.clear()
    taken = cast(app, ballot["carla"], "v2", ballot["es"], -1)
    assert taken.created and taken.votes["units"] == {}
    assert len(statements) <= TAKE_BACK_FROM_GROUP, statements
    with app.app_context():
        group = db.session.get(Item, ballot["es"]).group_id
        stored = [(v.item_id, v.delta) for v in Vote.query.order_by(Vote.id)]
    assert placed.votes["units"] == {f"g{group}": 1}
    assert stored == [(ballot["es"], 1), (ballot["es"], -1)]  # on her own session's item


def test_the_answer_matches_what_is_stored(app, ballot):
    """The answer is computed from the dots read under the lock plus this vote: it must
    equal what a fresh read of the database gives."""
    for n, (item, delta) in enumerate(
        [("a", 1), ("b", 1), ("a", 1), ("a", -1), ("es", 1), ("b", -1), ("b", 1)]
    ):
        try:
            done = cast(app, ballot["bo"], f"v{n}", ballot[item], delta)
        except RuleError:
            continue
        participant_id, session_id = ballot["bo"]
        with app.app_context():
            workshop = db.session.get(Session, session_id).workshop
            fresh = voting.my_votes(
                participants.participant_in(session_id, participant_id), workshop
            )
        assert done.votes == fresh


def test_the_handler_adds_no_statement(app, ballot, workshop, statements, monkeypatch):
    """Over the socket the vote costs what the service costs: no participant lookup, no
    session or workshop re-read after the commit."""
    scheduled = []
    monkeypatch.setattr(live_module, "results_changed", scheduled.append)
    counted = []
    monkeypatch.setattr(live_counters, "changed", counted.append)
    browser = app.test_client()
    with browser.session_transaction() as cookie:
        cookie["participants"] = {str(ballot["bo"][1]): ballot["bo"][0]}
    live = live_client(app, browser, {"session_id": ballot["bo"][1]})
    assert emit(live, "vote:cast", {"client_id": "warm", "item_id": ballot["b"], "delta": 1})["ok"]
    statements.clear()
    ack = emit(live, "vote:cast", {"client_id": "v1", "item_id": ballot["b"], "delta": 1})
    assert ack["ok"] and ack["created"] and ack["votes"]["units"] == {f"i{ballot['b']}": 2}
    assert len(statements) <= PLACE, statements
    assert scheduled == [workshop["id"], workshop["id"]]  # coalesced results, per workshop
    assert counted == [workshop["id"]] * 3  # coalesced counters: the connect, both votes


def test_a_vote_waits_for_a_hide_under_way_and_sees_it(app, ballot):
    """PostgreSQL: the vote reads its item under a shared row lock, so a facilitator's hide
    not yet committed holds it back, and once committed the vote sees the item hidden."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time: nothing to wait for")
        hiding = db.engine.connect()
    hiding.execute(text("UPDATE items SET hidden = true WHERE id = :id"), {"id": ballot["b"]})
    outcome = []

    def vote():
        try:
            outcome.append(cast(app, ballot["bo"], "v1", ballot["b"]))
        except RuleError as error:
            outcome.append(error.code)

    voter = threading.Thread(target=vote)
    voter.start()
    try:
        time.sleep(0.5)
        waited = outcome == []
    finally:
        hiding.commit()
        hiding.close()
        voter.join(timeout=30)
    assert waited, f"the vote did not wait for the hide: {outcome}"
    assert outcome == ["not_found"]
    with app.app_context():
        assert Vote.query.count() == 0


# an SDG pick, on the same lean path: the participant's lock, one read (phase, limit and the
# participant's picks), the insert or delete
PICK = 3
PICK_REFUSED = 2  # lock, read: nothing written


@pytest.fixture
def picking(app, ballot, workshop):
    """The English session moved on to picking SDGs (limit 3 per axis)."""
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, workshop["en"]["id"]), "sdg_picks")
    runtime.of(app).drain()
    return ballot


def pick(app, picker, axis, sdg, picked=True):
    with app.app_context(), UnitOfWork().bound():
        mine = voting.pick_by(*picker, {"axis": axis, "sdg": sdg, "picked": picked})
        db.session.commit()
        return mine


def stored_picks(app, participant_id):
    with app.app_context():
        rows = db.session.query(SdgPick).filter_by(participant_id=participant_id).all()
        return sorted((p.axis, p.sdg) for p in rows)


def test_an_sdg_pick_costs_a_few_statements(app, picking, statements):
    bo = picking["bo"]
    assert pick(app, bo, "mobility", 11) == {"picks": {"mobility": [11]}, "limit": 3}
    assert len(statements) <= PICK, statements
    assert not any("FROM participants" in s for s in statements), "the participant was loaded"
    statements.clear()
    mine = pick(app, bo, "mobility", 3)
    assert mine == {"picks": {"mobility": [3, 11]}, "limit": 3}
    assert len(statements) <= PICK, statements
    statements.clear()
    mine = pick(app, bo, "mobility", 11, picked=False)
    assert mine == {"picks": {"mobility": [3]}, "limit": 3}
    assert len(statements) <= PICK, statements
    assert stored_picks(app, bo[0]) == [("mobility", 3)]


def test_a_pick_over_the_limit_or_again_writes_nothing(app, picking, statements):
    bo = picking["bo"]
    for sdg in (1, 2, 3):
        pick(app, bo, "economy", sdg)
    statements.clear()
    with pytest.raises(RuleError) as refused:
        pick(app, bo, "economy", 4)
    assert refused.value.code == "sdg_limit"
    assert len(statements) <= PICK_REFUSED, statements
    statements.clear()
    again = pick(app, bo, "economy", 2)  # picked already: the state, nothing written
    assert again == {"picks": {"economy": [1, 2, 3]}, "limit": 3}
    assert len(statements) <= PICK_REFUSED, statements
    assert not any(s.lstrip().startswith(("INSERT", "DELETE")) for s in statements)
    assert stored_picks(app, bo[0]) == [("economy", 1), ("economy", 2), ("economy", 3)]


def test_a_pick_outside_the_sdg_phase_is_refused(app, ballot, statements):
    with pytest.raises(RuleError) as refused:
        pick(app, ballot["bo"], "mobility", 11)
    assert refused.value.code == "phase_closed"
    assert stored_picks(app, ballot["bo"][0]) == []


def test_the_pick_handler_adds_no_statement(app, picking, statements, monkeypatch):
    """Over the socket a pick costs what the service costs: no participant lookup."""
    monkeypatch.setattr(live_module, "results_changed", lambda _workshop_id: None)
    browser = app.test_client()
    with browser.session_transaction() as cookie:
        cookie["participants"] = {str(picking["bo"][1]): picking["bo"][0]}
    live = live_client(app, browser, {"session_id": picking["bo"][1]})
    assert emit(live, "sdg:pick", {"axis": "mobility", "sdg": 11, "picked": True})["ok"]
    runtime.of(app).drain()  # results a connection may have scheduled
    statements.clear()
    ack = emit(live, "sdg:pick", {"axis": "mobility", "sdg": 9, "picked": True})
    assert ack["ok"] and ack["picks"] == {"mobility": [9, 11]}, ack
    assert len(statements) <= PICK, statements
