"""The other groups' initiatives on a participant's page: `workshop:boards` answers the
newest initiatives of the workshop's other sessions, as their own participants see them,
and every participant of the workshop gets their live deltas (translations landing,
edits, withdrawals, hiding) once, through the workshop's board room (live.py), with the
session and seq of the session they belong to (Flask-SocketIO test clients)."""

import pytest
from conftest import emit, live_client, make_facilitator, participant_in, received
from translation_rows import store

from facilitation.extensions import db
from facilitation.models import Facilitator, Workshop
from facilitation.services import other_boards
from facilitation.services import workshops as workshop_service
from facilitation.unit_of_work import work

POST = {"title": "Falta de financiación", "axis": "mobility", "sdgs": [11]}


def post(live, client_id, **extra):
    ack = emit(live, "initiative:post", {**POST, "client_id": client_id, **extra})
    assert ack["ok"], ack
    return ack["initiative"]


@pytest.fixture
def groups(app, workshop):
    """Ana in the English session; Carla and Diego in the Spanish one; Carla posted."""
    _b, ana = participant_in(app, workshop["en"]["code"], name="Ana")
    _b, carla = participant_in(app, workshop["es"]["code"], name="Carla")
    _b, diego = participant_in(app, workshop["es"]["code"], name="Diego")
    initiative = post(carla, "c1", description="Para los pilotos")
    for live in (ana, carla, diego):
        live.get_received("/live")
    return {"ana": ana, "carla": carla, "diego": diego, "initiative": initiative}


def test_an_english_participant_gets_the_spanish_board(app, workshop, groups):
    ack = emit(groups["ana"], "workshop:boards", {})
    assert ack["ok"], ack
    [board] = ack["boards"]
    assert board["session_id"] == workshop["es"]["id"]
    assert (board["name"], board["language"]) == ("Grupo español", "es")
    [shown] = board["initiatives"]
    assert shown["id"] == groups["initiative"]["id"]
    assert (shown["title"], shown["description"]) == ("Falta de financiación", "Para los pilotos")
    assert shown["translations"] == {} and board["initiatives_total"] == 1
    own = emit(groups["ana"], "session:snapshot", {})
    assert board["seq"] == emit(groups["carla"], "session:snapshot", {})["seq"] != own["seq"]
    # the Spanish participants get the English session's board (empty), not their own
    [theirs] = emit(groups["carla"], "workshop:boards", {})["boards"]
    assert theirs["session_id"] == workshop["en"]["id"] and theirs["initiatives"] == []


def test_a_post_and_its_translation_reach_the_other_group_live(app, workshop, groups):
    ana, carla, diego = groups["ana"], groups["carla"], groups["diego"]
    second = post(carla, "c2", title="Carriles bici")
    [delta] = received(ana, "initiative:upserted")
    assert delta["session_id"] == workshop["es"]["id"] and delta["initiative"]["id"] == second["id"]
    assert delta["seq"] == emit(carla, "session:snapshot", {})["seq"]
    assert len(received(diego, "initiative:upserted")) == 1  # once, not once per room
    store(app, "initiative", second["id"], "title", "en", "Bike lanes")
    [landed] = received(ana, "initiative:upserted")
    assert landed["seq"] == delta["seq"] + 1
    assert landed["initiative"]["translations"]["en"]["title"]["text"] == "Bike lanes"
    [board] = emit(ana, "workshop:boards", {})["boards"]
    by_id = {i["id"]: i for i in board["initiatives"]}
    assert by_id[second["id"]]["translations"]["en"]["title"]["origin"] == "machine"
    assert board["seq"] == landed["seq"]
    # an English post reaches the Spanish phones too, with the English session's seq
    carla.get_received("/live")
    english = post(ana, "a1", title="Bike lanes downtown")
    [there] = received(carla, "initiative:upserted")
    assert (
        there["session_id"] == workshop["en"]["id"] and there["initiative"]["id"] == english["id"]
    )


def test_a_withdrawal_reaches_the_other_group(app, workshop, groups):
    ack = emit(groups["carla"], "initiative:withdraw", {"id": groups["initiative"]["id"]})
    assert ack["ok"], ack
    [gone] = received(groups["ana"], "initiative:withdrawn")
    assert gone["id"] == groups["initiative"]["id"] and gone["session_id"] == workshop["es"]["id"]
    [board] = emit(groups["ana"], "workshop:boards", {})["boards"]
    assert board["initiatives"] == [] and board["initiatives_total"] == 0


def test_a_hidden_initiative_never_reaches_the_other_group(
    app, workshop, groups, facilitator_client
):
    dashboard = live_client(app, facilitator_client)
    assert emit(dashboard, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    initiative_id = groups["initiative"]["id"]
    hide = {"initiative_id": initiative_id, "hidden": True}
    assert emit(dashboard, "initiative:set_hidden", hide)["ok"]
    [gone] = received(groups["ana"], "initiative:withdrawn")
    assert gone == {**gone, "id": initiative_id, "hidden": True}
    assert "initiative" not in gone and "title" not in gone
    assert received(groups["ana"], "initiative:upserted") == []
    [board] = emit(groups["ana"], "workshop:boards", {})["boards"]
    assert board["initiatives"] == []
    # a translation landing while hidden says nothing to the other group either
    store(app, "initiative", initiative_id, "title", "en", "Lack of funding")
    assert received(groups["ana"], "initiative:upserted") == []
    # its author still has it, marked hidden
    assert initiative_id in emit(groups["carla"], "session:snapshot", {})["my_initiatives"]


def test_anonymity_leaves_names_out_of_other_boards(app, workshop, groups):
    with app.app_context(), work():
        workshop_service.set_display(
            db.session.get(Workshop, workshop["id"]), {"anonymity": "hidden"}
        )
    for live in (groups["ana"], groups["carla"]):
        live.get_received("/live")
    [board] = emit(groups["ana"], "workshop:boards", {})["boards"]
    [shown] = board["initiatives"]
    assert shown["author"] is None and shown["participant_id"] is None
    post(groups["carla"], "c3", title="Otra")
    [delta] = received(groups["ana"], "initiative:upserted")
    assert delta["initiative"]["author"] is None and delta["initiative"]["participant_id"] is None
    store(app, "initiative", delta["initiative"]["id"], "title", "en", "Another", "human", "Eva")
    [landed] = received(groups["ana"], "initiative:upserted")
    assert landed["initiative"]["translations"]["en"]["title"]["by"] is None


def test_names_are_shown_where_the_workshop_shows_them(app, workshop, groups):
    [board] = emit(groups["ana"], "workshop:boards", {})["boards"]
    [shown] = board["initiatives"]
    assert shown["author"]["display_name"] == "Carla"


def test_the_newest_initiatives_only_and_other_workshops_never(app, workshop, groups):
    carla = groups["carla"]
    ids = [groups["initiative"]["id"]] + [
        post(carla, f"n{n}", title=f"Práctica {n}")["id"] for n in range(other_boards.SIZE)
    ]
    [board] = emit(groups["ana"], "workshop:boards", {})["boards"]
    assert [i["id"] for i in board["initiatives"]] == ids[1:]
    assert board["initiatives_total"] == len(ids)
    # a participant of another workshop hears nothing of these
    stranger = _stranger(app)
    post(carla, "late", title="Tarde")
    assert received(stranger, "initiative:upserted") == []
    assert emit(stranger, "workshop:boards", {})["boards"][0]["initiatives"] == []


def _stranger(app):
    """A participant of another workshop with two sessions."""
    other = make_facilitator(app, email="eve@example.org", name="Eve")
    with app.app_context(), work():
        found = workshop_service.create_workshop(
            db.session.get(Facilitator, other), {"title": "Other", "date": "2026-05-11"}
        )
        first = workshop_service.add_session(found, {"name": "One", "language": "en"}, ["en"])
        workshop_service.add_session(found, {"name": "Two", "language": "en"}, ["en"])
        code = first.join_code
    _b, live = participant_in(app, code, name="Sam")
    live.get_received("/live")
    return live


def test_a_facilitator_is_not_a_participant(app, workshop, facilitator_client):
    live = live_client(app, facilitator_client)
    assert emit(live, "workshop:boards", {})["error"]["code"] == "unauthorized"
