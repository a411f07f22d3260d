"""The room screen is an audience of its own: a projector watches a workshop with
`view: "projector"` and sees what participants see, whatever the facilitator who opened it
may see (Flask-SocketIO test client; broadcast.py applies the rule)."""

import pytest
from conftest import emit, join, live_client, participant_in, received

from facilitation.extensions import db
from facilitation.models import Workshop
from facilitation.services import workshops
from facilitation.unit_of_work import work

POST = {"client_id": "p1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}


def screens(app, workshop, facilitator_client, anonymity):
    """A dashboard and a projector of the workshop, both opened by its facilitator."""
    with app.app_context(), work():
        workshops.set_display(db.session.get(Workshop, workshop["id"]), {"anonymity": anonymity})
    dashboard = live_client(app, facilitator_client)
    projector = live_client(app, facilitator_client)
    assert emit(dashboard, "workshop:watch", {"workshop_id": workshop["id"]})["ok"]
    watched = emit(
        projector, "workshop:watch", {"workshop_id": workshop["id"], "view": "projector"}
    )
    assert watched["ok"], watched
    dashboard.get_received("/live")
    projector.get_received("/live")
    return dashboard, projector


@pytest.mark.parametrize(
    ("anonymity", "projector_names"), [("facilitators", False), ("public", True)]
)
def test_the_projector_shows_names_only_where_everyone_sees_them(
    app, workshop, facilitator_client, anonymity, projector_names
):
    dashboard, projector = screens(app, workshop, facilitator_client, anonymity)
    _browser, bo = participant_in(app, workshop["en"]["code"], name="Bo")
    assert emit(bo, "initiative:post", POST)["ok"]
    [on_dashboard] = received(dashboard, "initiative:upserted")
    [on_projector] = received(projector, "initiative:upserted")
    assert on_dashboard["initiative"]["author"]["display_name"] == "Bo"
    assert (on_projector["initiative"]["author"] is not None) is projector_names
    assert (on_projector["initiative"]["participant_id"] is not None) is projector_names
    assert on_projector["seq"] == on_dashboard["seq"]
    # a resync and the next watch follow the same rule
    again = emit(projector, "session:snapshot", {"session_id": workshop["en"]["id"]})
    assert (again["initiatives"][0]["author"] is not None) is projector_names
    watched = emit(
        projector, "workshop:watch", {"workshop_id": workshop["id"], "view": "projector"}
    )
    board = next(b for b in watched["boards"] if b["session_id"] == workshop["en"]["id"])
    assert (board["initiatives"][0]["author"] is not None) is projector_names


def test_the_projector_gets_no_hidden_item_and_each_delta_once(app, workshop, facilitator_client):
    dashboard, projector = screens(app, workshop, facilitator_client, "public")
    for s in ("en", "es"):
        emit(
            dashboard, "session:set_phase", {"session_id": workshop[s]["id"], "phase": "proposing"}
        )
    _browser, bo = participant_in(app, workshop["en"]["code"], name="Bo")
    ack = emit(bo, "item:propose", {"client_id": "i1", "kind": "barrier", "text": "Rude words"})
    assert ack["ok"], ack
    item_id = ack["item"]["id"]
    assert emit(dashboard, "item:set_hidden", {"item_id": item_id, "hidden": True})["ok"]
    messages = projector.get_received("/live")
    phases = [m["args"][0] for m in messages if m["name"] == "session:phase"]
    assert sorted(p["session_id"] for p in phases) == sorted(
        workshop[s]["id"] for s in ("en", "es")
    )
    shown, hidden = [m["args"][0] for m in messages if m["name"] == "items:upserted"]
    assert shown["items"][0]["text"] == "Rude words"
    assert hidden["items"][0]["hidden"] is True and hidden["items"][0]["text"] == ""
    assert received(dashboard, "items:upserted")[1]["items"][0]["text"] == "Rude words"
    snapshot = emit(projector, "session:snapshot", {"session_id": workshop["en"]["id"]})
    assert snapshot["items"] == []


def test_an_unknown_view_is_refused(app, workshop, facilitator_client):
    live = live_client(app, facilitator_client)
    ack = emit(live, "workshop:watch", {"workshop_id": workshop["id"], "view": "wall"})
    assert ack["error"]["code"] == "invalid" and ack["error"]["fields"]["view"]["code"] == "unknown"


@pytest.mark.parametrize(
    ("anonymity", "projector_names"), [("facilitators", False), ("public", True)]
)
def test_joining_over_http_reaches_the_console_and_the_room_screen(
    app, workshop, facilitator_client, anonymity, projector_names
):
    dashboard, projector = screens(app, workshop, facilitator_client, anonymity)
    for n, name in enumerate(("Bo", "Carla"), start=1):
        join(app.test_client(), workshop["en"]["code"], name=name)
        [on_dashboard] = received(dashboard, "participant:joined")
        [on_projector] = received(projector, "participant:joined")
        assert on_dashboard == {"session_id": workshop["en"]["id"], "participants": n, "name": name}
        assert on_projector["participants"] == n
        assert on_projector["name"] == (name if projector_names else None)


def test_the_facilitator_hides_and_reveals_results_on_the_room_screens(
    app, workshop, facilitator_client
):
    dashboard, projector = screens(app, workshop, facilitator_client, "public")
    _browser, bo = participant_in(app, workshop["en"]["code"], name="Bo")
    bo.get_received("/live")
    hide = {"workshop_id": workshop["id"], "results_shown": False, "layout": "side_by_side"}
    ack = emit(dashboard, "workshop:set_projector", hide)
    assert ack["projector"] == {"results_shown": False, "layout": "side_by_side"}
    assert received(projector, "projector:display") == [ack["projector"]]
    assert received(dashboard, "projector:display") == [ack["projector"]]
    assert bo.get_received("/live") == []  # participants' screens are not the room's
    watched = emit(
        projector, "workshop:watch", {"workshop_id": workshop["id"], "view": "projector"}
    )
    assert watched["projector"] == ack["projector"]
    reveal = {**hide, "results_shown": True, "layout": "combined"}
    assert emit(dashboard, "workshop:set_projector", reveal)["projector"]["results_shown"] is True
    wrong = emit(dashboard, "workshop:set_projector", {**hide, "layout": "mosaic"})
    assert wrong["error"]["code"] == "invalid" and "layout" in wrong["error"]["fields"]
    refused = emit(bo, "workshop:set_projector", hide)
    assert refused["error"]["code"] == "unauthorized"
