"""Long-polling only, against the real server: for participants behind networks that block
WebSockets. A python-socketio client restricted to `transports=["polling"]` joins, posts an
initiative, proposes a barrier and places a dot; each change is acknowledged, broadcast over
polling to another participant and stored in the SQLite file."""

import pytest
from realserver import (
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
