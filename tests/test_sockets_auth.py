"""Who may connect to /live and who may send which event (Flask-SocketIO test client)."""

import pytest
from conftest import emit, join, live_client, make_facilitator, participant_in, sign_in

from facilitation.extensions import db
from facilitation.models import Session


def phase_of(app, session_id):
    with app.app_context():
        return db.session.get(Session, session_id).phase


def assert_error(ack, code):
    assert set(ack) == {"error"}, ack
    assert ack["error"]["code"] == code
    assert isinstance(ack["error"]["message"], str) and ack["error"]["message"]
    assert isinstance(ack["error"]["fields"], dict)


@pytest.fixture
def other_facilitator(app, workshop):
    """A signed-in facilitator who does not run `workshop`, connected to /live."""
    make_facilitator(app, email="other@example.org", name="Other")
    return live_client(app, sign_in(app.test_client(), "other@example.org"))


def test_anonymous_connection_is_refused(app, workshop):
    assert not live_client(app, app.test_client()).is_connected("/live")


def test_participant_auth_without_joining_is_refused(app, workshop):
    browser = app.test_client()
    live = live_client(app, browser, {"session_id": workshop["en"]["id"]})
    assert not live.is_connected("/live")


def test_participant_of_one_session_cannot_connect_to_another(app, workshop):
    browser = app.test_client()
    join(browser, workshop["en"]["code"])
    assert not live_client(app, browser, {"session_id": workshop["es"]["id"]}).is_connected("/live")
    assert live_client(app, browser, {"session_id": workshop["en"]["id"]}).is_connected("/live")


@pytest.mark.parametrize("auth", [{"session_id": None}, {"other": 1}, "1"])
def test_malformed_participant_auth_counts_as_anonymous(app, workshop, auth):
    browser = app.test_client()
    join(browser, workshop["en"]["code"])
    assert not live_client(app, browser, auth).is_connected("/live")


def test_joined_participant_and_facilitator_connect(app, workshop, facilitator_client):
    _, participant = participant_in(app, workshop["es"]["code"])
    assert participant.is_connected("/live")
    assert live_client(app, facilitator_client).is_connected("/live")


def test_participants_cannot_watch_a_workshop(app, workshop):
    _, participant = participant_in(app, workshop["en"]["code"])
    assert_error(
        emit(participant, "workshop:watch", {"workshop_id": workshop["id"]}), "unauthorized"
    )


def test_participants_cannot_set_the_phase(app, workshop):
    _, participant = participant_in(app, workshop["en"]["code"])
    ack = emit(
        participant, "session:set_phase", {"session_id": workshop["en"]["id"], "phase": "closed"}
    )
    assert_error(ack, "unauthorized")
    assert phase_of(app, workshop["en"]["id"]) == "initiatives"


def test_facilitator_of_another_workshop_cannot_watch(workshop, other_facilitator):
    ack = emit(other_facilitator, "workshop:watch", {"workshop_id": workshop["id"]})
    assert_error(ack, "not_found")


def test_facilitator_of_another_workshop_cannot_set_the_phase(app, workshop, other_facilitator):
    data = {"session_id": workshop["es"]["id"], "phase": "lobby"}
    assert_error(emit(other_facilitator, "session:set_phase", data), "not_found")
    assert phase_of(app, workshop["es"]["id"]) == "initiatives"


def test_facilitator_of_another_workshop_gets_no_snapshot(workshop, other_facilitator):
    ack = emit(other_facilitator, "session:snapshot", {"session_id": workshop["en"]["id"]})
    assert_error(ack, "not_found")


def test_other_facilitator_receives_no_broadcasts(app, workshop, other_facilitator):
    emit(other_facilitator, "workshop:watch", {"workshop_id": workshop["id"]})
    _, participant = participant_in(app, workshop["en"]["code"])
    post = {"client_id": "c1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]}
    assert emit(participant, "initiative:post", post)["ok"]
    assert other_facilitator.get_received("/live") == []


@pytest.mark.parametrize("data", [{"workshop_id": "1"}, {"workshop_id": 999}, {}, None, [1]])
def test_watch_with_bad_workshop_id(facilitator_client, app, workshop, data):
    ack = emit(live_client(app, facilitator_client), "workshop:watch", data)
    assert ack["error"]["code"] in ("not_found", "bad_request")


def test_facilitators_cannot_post_initiatives(app, workshop, facilitator_client):
    facilitator = live_client(app, facilitator_client)
    post = {"client_id": "c1", "title": "T", "axis": "mobility", "sdgs": [11]}
    assert_error(emit(facilitator, "initiative:post", post), "unauthorized")


def test_unknown_phase_is_refused(app, workshop, facilitator_client):
    facilitator = live_client(app, facilitator_client)
    ack = emit(facilitator, "session:set_phase", {"session_id": workshop["en"]["id"], "phase": "x"})
    assert_error(ack, "invalid")
    assert ack["error"]["fields"]["phase"]["code"] == "unknown"
    assert phase_of(app, workshop["en"]["id"]) == "initiatives"
