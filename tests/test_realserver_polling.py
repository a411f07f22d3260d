"""Long-polling only, against the real server: for participants behind networks that block
WebSockets. A python-socketio client restricted to `transports=["polling"]` joins, posts an
initiative, proposes a barrier and places a dot; each change is acknowledged, broadcast over
polling to another participant and stored in the SQLite file; a burst of events sent in one
polling request is answered event by event."""

import threading

import pytest
from engineio.payload import Payload
from realserver import (
    NAMESPACE,
    RealServer,
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
    open_phase,
)
from realserver_votes import participant_id, stored_votes

pytestmark = pytest.mark.realserver

POLLING = ("polling",)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) on a free port with its own SQLite file."""
    running = RealServer(tmp_path_factory.mktemp("polling-server")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def facilitator(server):
    """The first facilitator, created through the printed one-time setup link."""
    return create_facilitator(server)


@pytest.fixture
def session(server, facilitator):
    """One English session of a fresh workshop, and its facilitator's live client."""
    workshop_id = create_workshop(server, facilitator, "Polling workshop")
    found = add_session(server, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(server, facilitator)
    assert watcher.call("workshop:watch", {"workshop_id": workshop_id}).get("ok")
    yield found, watcher
    watcher.close()


def test_a_polling_only_client_posts_proposes_and_votes(server, session):
    found, watcher = session
    bo, eva = join(server, found, "Bo"), join(server, found, "Eva")
    client = connect_participant(server, bo, transports=POLLING)
    reader = connect_participant(server, eva, transports=POLLING)
    try:
        # neither connection ever upgraded to a WebSocket
        assert client.transport == "polling" and reader.transport == "polling"
        assert client.sio.eio.transports == ["polling"]

        # dynamic one: an initiative
        open_phase(watcher, [found.id], "initiatives")
        post = {
            "client_id": "poll-post-1",
            "title": "Community wifi in libraries",
            "axis": "citizenship",
            "sdgs": [4, 10],
        }
        ack = client.call("initiative:post", post)
        assert ack.get("ok") and ack["created"] is True, ack
        initiative_id = ack["initiative"]["id"]
        assert reader.wait_for(
            lambda c: any(
                m["initiative"]["id"] == initiative_id for m in c.received("initiative:upserted")
            )
        ), reader.events
        # a retry over polling finds the first one
        again = client.call("initiative:post", post)
        assert again["created"] is False and again["initiative"]["id"] == initiative_id

        # dynamic two: a barrier, then a dot on it
        open_phase(watcher, [found.id], "proposing")
        proposal = {"client_id": "poll-item-1", "text": "No budget for pilots", "kind": "barrier"}
        ack = client.call("item:propose", proposal)
        assert ack.get("ok") and ack["created"] is True, ack
        item_id = ack["item"]["id"]
        assert reader.wait_for(
            lambda c: any(
                item["id"] == item_id for m in c.received("items:upserted") for item in m["items"]
            )
        ), reader.events

        open_phase(watcher, [found.id], "voting")
        ack = client.call("vote:cast", {"client_id": "poll-vote-1", "item_id": item_id, "delta": 1})
        assert ack.get("ok") and ack["created"] is True, ack
        assert ack["votes"]["units"] == {f"i{item_id}": 1}
        assert client.wait_for(lambda c: c.received("vote:mine")), client.events

        # still polling after all of that, and everything is in the database
        assert client.transport == "polling"
        stored = server.query(
            "SELECT title, axis FROM initiatives WHERE session_id = ?", (found.id,)
        )
        assert stored == [("Community wifi in libraries", "citizenship")]
        items = server.query("SELECT id, text, kind FROM items WHERE session_id = ?", (found.id,))
        assert items == [(item_id, "No budget for pilots", "barrier")]
        votes = stored_votes(server, participant_id(server, bo))
        assert [(v[1], v[3], v[4]) for v in votes] == [(item_id, 1, "poll-vote-1")]
    finally:
        client.close()
        reader.close()


def test_a_burst_over_polling_gets_an_answer_for_every_event(server, session, monkeypatch):
    """80 initiatives emitted at once leave in one or a few polling requests (the client
    sends everything queued): every one is acknowledged, each an initiative stored or
    `rate_limited` once the connection's burst allowance is spent."""
    # the answers come back as a burst too: this client reads any number of packets in one
    # response, as the browser's does (python-engineio's client would stop at 16)
    monkeypatch.setattr(Payload, "max_decode_packets", 10_000)
    found, watcher = session
    open_phase(watcher, [found.id], "initiatives")
    client = connect_participant(server, join(server, found, "Kai"), transports=POLLING)
    acks, answered = [], threading.Condition()

    def record(ack):
        with answered:
            acks.append(ack)
            answered.notify_all()

    try:
        for n in range(80):
            post = {
                "client_id": f"burst-{n}",
                "title": f"Idea {n}",
                "axis": "citizenship",
                "sdgs": [11],
            }
            client.sio.emit("initiative:post", post, namespace=NAMESPACE, callback=record)
        with answered:
            answered.wait_for(lambda: len(acks) == 80, timeout=60)
        assert len(acks) == 80, (len(acks), server.log()[-2000:])
        created = [a for a in acks if a.get("ok")]
        refused = [a["error"]["code"] for a in acks if not a.get("ok")]
        assert created and all(a["created"] for a in created)
        assert set(refused) <= {"rate_limited"}
        stored = server.query("SELECT count(*) FROM initiatives WHERE session_id = ?", (found.id,))
        assert stored == [(len(created),)]
        assert client.transport == "polling"
    finally:
        client.close()
