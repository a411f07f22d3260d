"""Error acknowledgements over /live come in the client's language (Flask-SocketIO test client).

Expected sentences come from the compiled Spanish catalogue through `translated()`: where a
helper has not translated a sentence yet, the catalogue gives the English msgid back, so these
tests then check the code and the English fallback, and check the Spanish text once it exists.
"""

import pytest
from conftest import emit, join, live_client, participant_in, translated

from facilitation.extensions import db
from facilitation.i18n import ERRORS, FIELD_ERRORS
from facilitation.models import Session
from facilitation.services import workshops
from facilitation.unit_of_work import work


def msgid(catalogue, code):
    """The English sentence the app uses for `code` (a lazy string read outside any app)."""
    return str(catalogue[code])


PHASE_CLOSED = msgid(ERRORS, "phase_closed")
FORBIDDEN = msgid(ERRORS, "forbidden")
NOT_FOUND = msgid(ERRORS, "not_found")
BAD_REQUEST = msgid(ERRORS, "bad_request")
INVALID = msgid(ERRORS, "invalid")
REQUIRED = msgid(FIELD_ERRORS, "required")
TOO_LONG = msgid(FIELD_ERRORS, "too_long")
UNKNOWN = msgid(FIELD_ERRORS, "unknown")

POST = {"client_id": "c1", "title": "Carriles bici", "axis": "mobility", "sdgs": [11]}


def set_phase(app, session_id, phase):
    with app.app_context(), work():
        workshops.set_phase(db.session.get(Session, session_id), phase)


def error_of(ack, code):
    assert ack["error"]["code"] == code, ack
    return ack["error"]


@pytest.fixture
def carla(app, workshop):
    """A participant of the Spanish session, connected."""
    return participant_in(app, workshop["es"]["code"], name="Carla")[1]


def test_phase_closed_in_spanish(app, workshop, carla):
    set_phase(app, workshop["es"]["id"], "lobby")
    error = error_of(emit(carla, "initiative:post", POST), "phase_closed")
    assert error["message"] == translated(PHASE_CLOSED)


def test_field_messages_in_spanish(carla):
    bad = {**POST, "title": "t" * 121, "axis": "", "sdgs": [99]}
    error = error_of(emit(carla, "initiative:post", bad), "invalid")
    assert error["message"] == translated(INVALID)
    fields = error["fields"]
    assert fields["title"]["message"] == translated(TOO_LONG) % {"max": 120}
    assert fields["sdgs"]["code"] == "unknown"
    assert fields["sdgs"]["message"] == translated(UNKNOWN)
    assert fields["axis"]["code"] == "required"
    # axis has its own sentence ("Choose one axis."), in Spanish once translated
    assert fields["axis"]["message"] == translated("Choose one axis.")


def test_not_found_and_bad_request_in_spanish(carla):
    error = error_of(emit(carla, "initiative:withdraw", {"id": 999}), "not_found")
    assert error["message"] == translated(NOT_FOUND)
    error = error_of(emit(carla, "initiative:post", ["x"]), "bad_request")
    assert error["message"] == translated(BAD_REQUEST)


def test_forbidden_in_spanish(app, workshop, carla):
    _, diego = participant_in(app, workshop["es"]["code"], name="Diego")
    target = emit(carla, "initiative:post", POST)["initiative"]["id"]
    error = error_of(emit(diego, "initiative:withdraw", {"id": target}), "forbidden")
    assert error["message"] == translated(FORBIDDEN)


def test_english_session_answers_in_english(app, workshop):
    browser, alice = participant_in(app, workshop["en"]["code"])
    set_phase(app, workshop["en"]["id"], "closed")
    error = error_of(emit(alice, "initiative:post", POST), "phase_closed")
    assert error["message"] == PHASE_CLOSED


def test_chosen_language_wins_over_the_sessions(app, workshop):
    browser = app.test_client()
    join(browser, workshop["es"]["code"])
    browser.post("/language", data={"lang": "en", "next": "/"})
    live = live_client(app, browser, {"session_id": workshop["es"]["id"]})
    error = error_of(emit(live, "initiative:withdraw", {"id": 999}), "not_found")
    assert error["message"] == NOT_FOUND


def test_facilitator_errors_follow_the_browser_language(app, workshop, facilitator_client):
    facilitator_client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    live = live_client(app, facilitator_client)
    error = error_of(emit(live, "workshop:watch", {"workshop_id": 999}), "not_found")
    assert error["message"] == translated(NOT_FOUND)


def test_expected_sentences_come_from_the_apps_own_catalogue(app):
    # guards the comparisons above: `translated()` reads the catalogue the app serves
    from flask_babel import gettext

    with app.test_request_context(headers={"Accept-Language": "es"}):
        for msgid in (PHASE_CLOSED, FORBIDDEN, NOT_FOUND, REQUIRED, UNKNOWN):
            assert gettext(msgid) == translated(msgid)
