"""The read side of translations: `translations` on every initiative and item payload
(services/translated.py, broadcast.py), for participants, room screens and facilitators,
with who translated shown under the anonymity rule. Rows are written where the engine
would write them (translation_rows.py)."""

import pytest
from conftest import emit, live_client, participant_in, received
from sqlalchemy import event
from translation_rows import store

from facilitation.extensions import db
from facilitation.models import Facilitator, Participant, Session, Workshop
from facilitation.services import items, snapshots, translated, workshops
from facilitation.unit_of_work import work

POST = {"client_id": "c1", "title": "Carriles bici", "axis": "mobility", "sdgs": [11]}
BIKE = {"text": "Bike lanes", "origin": "machine", "by": None}


@pytest.fixture
def carla(app, workshop):
    """Carla, in the Spanish session, posted an initiative; returns (client, initiative)."""
    _browser, live = participant_in(app, workshop["es"]["code"], name="Carla")
    ack = emit(live, "initiative:post", {**POST, "description": "En el centro"})
    assert ack["ok"] and ack["initiative"]["translations"] == {}
    live.get_received("/live")
    return live, ack["initiative"]


def watcher(app, facilitator_client, workshop, view):
    live = live_client(app, facilitator_client)
    watched = emit(live, "workshop:watch", {"workshop_id": workshop["id"], "view": view})
    assert watched["ok"], watched
    live.get_received("/live")
    return live, watched


def anonymity(app, workshop, value):
    with app.app_context(), work():
        workshops.set_display(db.session.get(Workshop, workshop["id"]), {"anonymity": value})


def test_only_translations_of_the_current_text_count(app, carla):
    _live, initiative = carla
    store(app, "initiative", initiative["id"], "title", "en", "Bike lanes", broadcast=False)
    store(app, "initiative", initiative["id"], "description", "en", "Downtown", broadcast=False)
    old = "Carriles bici viejos"
    store(app, "initiative", initiative["id"], "title", "fr", "Pistes", source=old, broadcast=False)
    with app.app_context():
        found = translated.for_initiatives([initiative["id"], 999])
    assert found == {
        initiative["id"]: {
            "en": {"title": BIKE, "description": {**BIKE, "text": "Downtown"}},
        }
    }


def test_an_edited_text_leaves_its_old_translation_out(app, carla):
    live, initiative = carla
    store(app, "initiative", initiative["id"], "title", "en", "Bike lanes", broadcast=False)
    edit = {**POST, "id": initiative["id"], "title": "Carriles para bicis"}
    ack = emit(live, "initiative:edit", edit)
    assert ack["ok"] and ack["initiative"]["translations"] == {}
    with app.app_context():
        assert translated.for_initiatives([initiative["id"]]) == {}


def test_a_human_translation_wins_and_says_who(app, carla):
    _live, initiative = carla
    store(app, "initiative", initiative["id"], "title", "en", "Bike lanes", broadcast=False)
    store(app, "initiative", initiative["id"], "title", "en", "Cycle lanes", "human", "Ana")
    with app.app_context():
        found = translated.for_initiatives([initiative["id"]])[initiative["id"]]
    assert found == {"en": {"title": {"text": "Cycle lanes", "origin": "human", "by": "Ana"}}}


def test_items_and_both_at_once(app, workshop, facilitator):
    with app.app_context(), work():
        owner = db.session.get(Facilitator, facilitator)
        session = db.session.get(Session, workshop["es"]["id"])
        changed, _created = items.add_by_facilitator(
            owner, session, {"client_id": "i1", "kind": "barrier", "text": "Falta de fondos"}
        )
        item_id = changed[0].id
    store(app, "item", item_id, "text", "en", "Lack of funds", broadcast=False)
    with app.app_context():
        assert translated.for_items([item_id]) == {
            item_id: {"en": {"text": {**BIKE, "text": "Lack of funds"}}}
        }
        both = translated.for_both([], [item_id])
        assert both == {"initiative": {}, "item": translated.for_items([item_id])}
        assert translated.of_workshop(workshop["id"])["item"] == both["item"]


def test_a_translation_reaches_participants_screens_and_facilitators_live(
    app, workshop, facilitator_client, carla
):
    live, initiative = carla
    dashboard, _ = watcher(app, facilitator_client, workshop, "dashboard")
    projector, _ = watcher(app, facilitator_client, workshop, "projector")
    store(app, "initiative", initiative["id"], "title", "en", "Bike lanes")
    for client in (live, dashboard, projector):
        [delta] = received(client, "initiative:upserted")
        assert delta["initiative"]["translations"] == {"en": {"title": BIKE}}
    # and every snapshot and page carries it
    snapshot = emit(live, "session:snapshot", {"session_id": workshop["es"]["id"]})
    assert snapshot["initiatives"][0]["translations"] == {"en": {"title": BIKE}}
    for view in ("dashboard", "projector"):
        _, watched = watcher(app, facilitator_client, workshop, view)
        board = next(b for b in watched["boards"] if b["session_id"] == workshop["es"]["id"])
        assert board["initiatives"][0]["translations"] == {"en": {"title": BIKE}}


def test_item_deltas_snapshots_and_acks_carry_translations(
    app, workshop, facilitator_client, carla
):
    live, _initiative = carla
    dashboard, _ = watcher(app, facilitator_client, workshop, "dashboard")
    projector, _ = watcher(app, facilitator_client, workshop, "projector")
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, workshop["es"]["id"]), "proposing")
    live.get_received("/live")
    ack = emit(live, "item:propose", {"client_id": "p1", "kind": "barrier", "text": "Falta"})
    assert ack["ok"], ack
    assert ack["item"]["translations"] == {}
    for client in (live, dashboard, projector):
        client.get_received("/live")
    store(app, "item", ack["item"]["id"], "text", "en", "Lack")
    lack = {"en": {"text": {**BIKE, "text": "Lack"}}}
    for client in (live, dashboard, projector):
        [delta] = received(client, "items:upserted")
        assert [i["translations"] for i in delta["items"]] == [lack]
    snapshot = emit(live, "session:snapshot", {"session_id": workshop["es"]["id"]})
    assert snapshot["items"][0]["translations"] == lack
    hidden = emit(dashboard, "item:set_hidden", {"item_id": ack["item"]["id"], "hidden": True})
    assert hidden["item"]["translations"] == lack
    [delta] = received(live, "items:upserted")
    assert delta["items"][0]["translations"] == {} and delta["items"][0]["text"] == ""


@pytest.mark.parametrize(
    ("setting", "participants_see"), [("facilitators", False), ("public", True)]
)
def test_who_translated_follows_the_anonymity_rule(
    app, workshop, facilitator_client, carla, setting, participants_see
):
    live, initiative = carla
    anonymity(app, workshop, setting)
    live.get_received("/live")
    dashboard, _ = watcher(app, facilitator_client, workshop, "dashboard")
    projector, _ = watcher(app, facilitator_client, workshop, "projector")
    store(app, "initiative", initiative["id"], "title", "en", "Cycle lanes", "human", "Carla")
    by = {}
    for name, client in (("carla", live), ("dashboard", dashboard), ("projector", projector)):
        [delta] = received(client, "initiative:upserted")
        entry = delta["initiative"]["translations"]["en"]["title"]
        assert (entry["text"], entry["origin"]) == ("Cycle lanes", "human")
        by[name] = entry["by"]
    shown = "Carla" if participants_see else None
    assert by == {"carla": shown, "dashboard": "Carla", "projector": shown}
    snapshot = emit(live, "session:snapshot", {"session_id": workshop["es"]["id"]})
    assert snapshot["initiatives"][0]["translations"]["en"]["title"]["by"] == shown


def test_a_snapshot_reads_translations_in_one_statement(app, workshop, carla):
    _live, initiative = carla
    store(app, "initiative", initiative["id"], "title", "en", "Bike lanes", broadcast=False)
    seen = []

    def count(_conn, _cursor, statement, *_):
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            participant = Participant.query.filter_by(display_name="Carla").one()
            seen.clear()
            data = snapshots.participant_snapshot(participant)
            session = db.session.get(Session, workshop["es"]["id"])
            data_projector = snapshots.projector_snapshot(session)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert data["initiatives"][0]["translations"] == {"en": {"title": BIKE}}
    assert data_projector["initiatives"][0]["translations"] == {"en": {"title": BIKE}}
    assert sum("FROM translations" in s for s in seen) == 2  # one per snapshot
