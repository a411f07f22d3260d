from conftest import emit, live_client, participant_in
from flask.sessions import SecureCookieSessionInterface

from facilitation import event_limits
from facilitation.extensions import socketio


def test_participant_posts_and_facilitator_sees_results(app, workshop, facilitator_client):
    _, alice = participant_in(app, workshop["en"]["code"])
    ack = alice.emit(
        "initiative:post",
        {"client_id": "c1", "title": "Bike lanes", "axis": "mobility", "sdgs": [11]},
        namespace="/live",
        callback=True,
    )
    assert ack["ok"] and ack["created"]
    fac = live_client(app, facilitator_client)
    watch = fac.emit(
        "workshop:watch", {"workshop_id": workshop["id"]}, namespace="/live", callback=True
    )
    assert watch["results"]["combined"]["matrix"]["mobility"]["11"] == 1


def test_events_use_the_connections_session_copy_without_decoding_the_cookie(
    app, workshop, monkeypatch
):
    """The cookie is decoded for the connection's first event only; later events open the
    connection's own copy, which keeps who the connection is (the participant whose
    event-limit bucket each event spends from)."""
    decoded = []
    original = SecureCookieSessionInterface.open_session

    def counting(self, flask_app, request):
        decoded.append(request.path)
        return original(self, flask_app, request)

    monkeypatch.setattr(SecureCookieSessionInterface, "open_session", counting)
    # tokens come back slowly enough that the five events below show in the participant's
    # bucket however long they take on a loaded machine
    monkeypatch.setitem(app.config, "SOCKET_EVENTS_PER_SECOND", 0.01)
    _browser, live = participant_in(app, workshop["en"]["code"])
    before = len(decoded)
    for _n in range(5):
        ack = emit(live, "session:snapshot", {"since_seq": None})
        assert "initiatives" in ack, ack
    assert len(decoded) == before
    environ = socketio.server.environ[live.eio_sid]
    participant_id = environ["saved_session"]["live_participant"]
    tokens, _since = event_limits.of(app).memory.buckets[f"p{participant_id}"]
    assert tokens < app.config["SOCKET_EVENT_BURST"] - 4
