"""Posting, editing and withdrawing initiatives over /live: acks, idempotency, validation,
ownership and phases (Flask-SocketIO test client)."""

import pytest
from conftest import emit, participant_in

from facilitation.extensions import db
from facilitation.models import Initiative, InitiativeSdg, Session
from facilitation.services import workshops
from facilitation.unit_of_work import work

POST = {
    "client_id": "c1",
    "title": "Bike lanes",
    "description": "Protected lanes",
    "axis": "mobility",
    "sdgs": [11, 3],
}


def stored(app):
    """(client_id, title, axis, sdgs, withdrawn) of every initiative in the database."""
    with app.app_context():
        return [
            (i.client_id, i.title, i.axis, i.sdgs, i.withdrawn_at is not None)
            for i in db.session.query(Initiative).order_by(Initiative.id)
        ]


def set_phase(app, session_id, phase):
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, session_id), phase)


def assert_error(ack, code):
    assert set(ack) == {"error"}, ack
    error = ack["error"]
    assert set(error) >= {"code", "message", "fields"}
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    return error["fields"]


@pytest.fixture
def alice(app, workshop):
    """A participant of the English session, connected."""
    return participant_in(app, workshop["en"]["code"], name="Alice")[1]


@pytest.fixture
def bob(app, workshop):
    """Another participant of the English session, connected."""
    return participant_in(app, workshop["en"]["code"], name="Bob")[1]


def test_post_acks_after_commit(app, workshop, alice):
    ack = emit(alice, "initiative:post", POST)
    assert ack["ok"] is True and ack["created"] is True
    item = ack["initiative"]
    assert (item["title"], item["axis"], item["sdgs"]) == ("Bike lanes", "mobility", [3, 11])
    assert item["session_id"] == workshop["en"]["id"]
    assert item["author"]["display_name"] == "Alice"
    assert isinstance(ack["seq"], int) and ack["seq"] > 0
    # the ack came after the commit: a fresh database session sees it
    assert stored(app) == [("c1", "Bike lanes", "mobility", [3, 11], False)]
    with app.app_context():
        assert db.session.get(Session, workshop["en"]["id"]).seq == ack["seq"]


def test_retried_client_id_returns_the_first_result(app, alice):
    first = emit(alice, "initiative:post", POST)
    again = emit(alice, "initiative:post", {**POST, "title": "Changed"})
    assert again["ok"] and again["created"] is False
    assert again["initiative"]["id"] == first["initiative"]["id"]
    assert again["initiative"]["title"] == "Bike lanes"
    assert again["seq"] == first["seq"]
    assert len(stored(app)) == 1


def test_retry_is_returned_even_after_the_phase_closed(app, workshop, alice):
    first = emit(alice, "initiative:post", POST)
    set_phase(app, workshop["en"]["id"], "lobby")
    again = emit(alice, "initiative:post", POST)
    assert again["ok"] and again["initiative"]["id"] == first["initiative"]["id"]


def test_client_ids_are_per_participant(app, alice, bob):
    a = emit(alice, "initiative:post", POST)
    b = emit(bob, "initiative:post", POST)
    assert a["created"] and b["created"]
    assert a["initiative"]["id"] != b["initiative"]["id"]
    assert len(stored(app)) == 2


@pytest.mark.parametrize(
    ("payload", "field", "code"),
    [
        ({**POST, "title": ""}, "title", "required"),
        ({**POST, "title": 123}, "title", "invalid"),
        ({**POST, "title": "t" * 100_000}, "title", "too_long"),
        ({**POST, "description": "d" * 50_000}, "description", "too_long"),
        ({**POST, "description": ["x"]}, "description", "invalid"),
        ({**POST, "axis": "transport"}, "axis", "unknown"),
        ({**POST, "axis": 3}, "axis", "unknown"),
        ({**POST, "axis": None}, "axis", "required"),
        ({**POST, "sdgs": [18]}, "sdgs", "unknown"),
        ({**POST, "sdgs": [0, 11]}, "sdgs", "unknown"),
        ({**POST, "sdgs": ["11"]}, "sdgs", "unknown"),
        ({**POST, "sdgs": [True]}, "sdgs", "unknown"),
        ({**POST, "sdgs": []}, "sdgs", "required"),
        ({**POST, "sdgs": "11"}, "sdgs", "invalid"),
        ({**POST, "link": "javascript:alert(1)"}, "link", "invalid"),
        ({**POST, "link": "https://x.org/" + "a" * 600}, "link", "too_long"),
        ({**POST, "client_id": ""}, "client_id", "invalid"),
        ({**POST, "client_id": 5}, "client_id", "invalid"),
        ({**POST, "client_id": "c" * 65}, "client_id", "invalid"),
        ({k: v for k, v in POST.items() if k != "client_id"}, "client_id", "invalid"),
    ],
)
def test_invalid_post_is_refused_and_nothing_stored(app, alice, payload, field, code):
    fields = assert_error(emit(alice, "initiative:post", payload), "invalid")
    assert fields[field]["code"] == code
    assert isinstance(fields[field]["message"], str) and fields[field]["message"]
    assert stored(app) == []
    with app.app_context():
        assert db.session.query(InitiativeSdg).count() == 0


@pytest.mark.parametrize("payload", [None, [POST], "Bike lanes", 42])
def test_non_dict_post_is_a_bad_request(app, alice, payload):
    assert_error(emit(alice, "initiative:post", payload), "bad_request")
    assert stored(app) == []


def test_field_messages_name_the_limit(alice):
    fields = assert_error(emit(alice, "initiative:post", {**POST, "title": "t" * 121}), "invalid")
    assert "120" in fields["title"]["message"]


def test_edit_own_initiative(app, alice):
    posted = emit(alice, "initiative:post", POST)
    edit = {
        "id": posted["initiative"]["id"],
        "title": "Wider lanes",
        "axis": "quality",
        "sdgs": [3],
    }
    ack = emit(alice, "initiative:edit", edit)
    assert ack["ok"] and ack["seq"] > posted["seq"]
    assert ack["initiative"]["title"] == "Wider lanes"
    assert stored(app) == [("c1", "Wider lanes", "quality", [3], False)]


def test_invalid_edit_changes_nothing(app, alice):
    posted = emit(alice, "initiative:post", POST)
    bad = {"id": posted["initiative"]["id"], "title": "", "axis": "quality", "sdgs": [99]}
    fields = assert_error(emit(alice, "initiative:edit", bad), "invalid")
    assert set(fields) == {"title", "sdgs"}
    assert stored(app) == [("c1", "Bike lanes", "mobility", [3, 11], False)]


def test_cannot_edit_or_withdraw_someone_elses(app, alice, bob):
    posted = emit(alice, "initiative:post", POST)
    target = posted["initiative"]["id"]
    assert_error(emit(bob, "initiative:edit", {**POST, "id": target, "title": "Mine"}), "forbidden")
    assert_error(emit(bob, "initiative:withdraw", {"id": target}), "forbidden")
    assert stored(app) == [("c1", "Bike lanes", "mobility", [3, 11], False)]


def test_participant_of_another_session_cannot_touch_it(app, workshop, alice):
    _, carla = participant_in(app, workshop["es"]["code"], name="Carla")
    target = emit(alice, "initiative:post", POST)["initiative"]["id"]
    assert_error(emit(carla, "initiative:withdraw", {"id": target}), "forbidden")
    assert stored(app)[0][4] is False


@pytest.mark.parametrize("item_id", [999, "1", None, 1.0])
def test_unknown_ids_are_not_found(app, alice, item_id):
    emit(alice, "initiative:post", POST)
    assert_error(emit(alice, "initiative:edit", {**POST, "id": item_id}), "not_found")
    assert_error(emit(alice, "initiative:withdraw", {"id": item_id}), "not_found")
    assert stored(app) == [("c1", "Bike lanes", "mobility", [3, 11], False)]


def test_withdraw_own_initiative(app, alice):
    posted = emit(alice, "initiative:post", POST)
    ack = emit(alice, "initiative:withdraw", {"id": posted["initiative"]["id"]})
    assert ack["ok"] and ack["id"] == posted["initiative"]["id"] and ack["seq"] > posted["seq"]
    assert stored(app)[0][4] is True
    # gone from editing
    again = {"id": posted["initiative"]["id"]}
    assert_error(emit(alice, "initiative:edit", {**POST, **again}), "not_found")


def test_withdrawing_again_changes_nothing(app, alice, bob):
    posted = emit(alice, "initiative:post", POST)
    first = emit(alice, "initiative:withdraw", {"id": posted["initiative"]["id"]})
    with app.app_context():
        when = db.session.query(Initiative).one().withdrawn_at
    bob.get_received("/live")
    again = emit(alice, "initiative:withdraw", {"id": posted["initiative"]["id"]})
    # the service treats a repeat as a no-op (an idempotent retry): no new seq, no broadcast
    assert again == {"ok": True, "id": first["id"], "seq": first["seq"]}
    assert bob.get_received("/live") == []
    with app.app_context():
        assert db.session.query(Initiative).one().withdrawn_at == when


@pytest.mark.parametrize("event", ["initiative:edit", "initiative:withdraw"])
@pytest.mark.parametrize("payload", [None, [1], "x"])
def test_non_dict_edit_or_withdraw_is_a_bad_request(alice, event, payload):
    assert_error(emit(alice, event, payload), "bad_request")


@pytest.mark.parametrize("phase", ["lobby", "closed"])
def test_posting_is_refused_outside_the_initiatives_phase(app, workshop, alice, phase):
    set_phase(app, workshop["en"]["id"], phase)
    fields = assert_error(emit(alice, "initiative:post", POST), "phase_closed")
    assert fields == {}
    assert stored(app) == []


@pytest.mark.parametrize("phase", ["lobby", "closed"])
def test_editing_and_withdrawing_are_refused_when_closed(app, workshop, alice, phase):
    posted = emit(alice, "initiative:post", POST)
    set_phase(app, workshop["en"]["id"], phase)
    target = posted["initiative"]["id"]
    assert_error(
        emit(alice, "initiative:edit", {**POST, "id": target, "title": "X"}), "phase_closed"
    )
    assert_error(emit(alice, "initiative:withdraw", {"id": target}), "phase_closed")
    assert stored(app) == [("c1", "Bike lanes", "mobility", [3, 11], False)]


def test_reopening_accepts_posts_again(app, workshop, alice):
    set_phase(app, workshop["en"]["id"], "lobby")
    assert_error(emit(alice, "initiative:post", POST), "phase_closed")
    set_phase(app, workshop["en"]["id"], "initiatives")
    assert emit(alice, "initiative:post", POST)["created"] is True


def test_participant_text_is_stored_as_given(app, alice):
    html = "<img src=x onerror=alert(1)>"
    ack = emit(alice, "initiative:post", {**POST, "title": html})
    assert ack["initiative"]["title"] == html
    assert stored(app)[0][1] == html
