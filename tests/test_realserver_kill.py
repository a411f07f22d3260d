"""Nothing acknowledged is lost, nothing is stored twice, even when the server dies.

Real python-socketio clients post initiatives and place dots from their own threads; the
server process is killed with SIGKILL while they are at it (no clean shutdown, transactions
cut short) and started again on the same port and SQLite file. The clients reconnect on
their own and send every unacknowledged submission again with the same `client_id`, as
the browser's outbox does. At the end, what was acknowledged is exactly what is stored.
"""

import gc
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio
from realserver import (
    NAMESPACE,
    RealServer,
    add_session,
    connect_facilitator,
    cookie_header,
    create_facilitator,
    create_workshop,
    join,
    open_phase,
    wait_until,
)
from realserver_votes import add_item, participant_id, set_voting_rules

pytestmark = [
    pytest.mark.realserver,
    # a python-socketio client whose server vanishes leaves its dead socket to the garbage
    # collector (a client-side ResourceWarning in this process, not the app's doing)
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

POSTERS = 4
VOTERS = 4
EACH = 10  # submissions per participant: half before the kill, half during and after it
CALL_TIMEOUT = 5
RECOVERY_TIMEOUT = 60


class RetryingClient:
    """A participant's connection that reconnects by itself (python-socketio's own
    reconnection) and repeats a submission, same `client_id`, until it is acknowledged."""

    def __init__(self, server, participant):
        self.sio = socketio.Client(
            reconnection=True,
            reconnection_attempts=0,
            reconnection_delay=0.2,
            reconnection_delay_max=1,
        )
        self.outages = 0  # attempts that got no acknowledgement (for a failure's message)
        self.outage_seen = threading.Event()  # it was cut off, or sent into the void
        self.connects = 0
        self.sio.on("connect", self._connected, namespace=NAMESPACE)
        self.sio.connect(
            server.url,
            namespaces=[NAMESPACE],
            auth={"session_id": participant.session.id},
            headers={"Cookie": cookie_header(participant.http)},
            transports=["websocket"],
            wait_timeout=10,
        )

    def _connected(self):
        self.connects += 1

    def _live(self):
        return self.sio.connected and NAMESPACE in self.sio.namespaces

    def submit(self, event, data):
        """Send until acknowledged; returns the ack. `server_error` is retried too."""
        for _ in range(200):
            if not self._live():
                self.outage_seen.set()  # it knows it is cut off: wait for the reconnect
            if not wait_until(self._live, RECOVERY_TIMEOUT, interval=0.05):
                raise AssertionError(f"no connection to send {event} {data}")
            try:
                ack = self.sio.call(event, data, namespace=NAMESPACE, timeout=CALL_TIMEOUT)
            except socketio.exceptions.SocketIOError:
                # not connected, or the server died before answering: keep it, send again
                self.outages += 1
                self.outage_seen.set()
                continue
            if isinstance(ack, dict) and ack.get("error", {}).get("code") == "server_error":
                self.outages += 1
                continue
            return ack
        raise AssertionError(f"{event} {data} was never acknowledged")

    def close(self):
        self.sio.disconnect()


def sigkill(server):
    """Kill the server process at once: no SIGTERM, no clean shutdown."""
    server.process.kill()
    server.process.wait(10)
    server.stop()  # it has exited: only forgets the process


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The real app (eventlet) on a free port with its own SQLite file."""
    running = RealServer(tmp_path_factory.mktemp("kill-server")).start()
    yield running
    running.stop()


@pytest.fixture
def workshop(server):
    """Session A takes initiatives, session B votes on three barriers (a budget that the
    test never exhausts, so every dot can be accepted)."""
    facilitator = create_facilitator(server)
    workshop_id = create_workshop(server, facilitator, "Kill workshop")
    posting = add_session(server, facilitator, workshop_id, "Posting group", "en")
    voting = add_session(server, facilitator, workshop_id, "Voting group", "en")
    watcher = connect_facilitator(server, facilitator)
    try:
        items = [add_item(watcher, voting, f"barrier-{n}", f"Barrier {n}") for n in range(3)]
        set_voting_rules(watcher, workshop_id, dots=50, per_item=50)
        open_phase(watcher, [posting.id], "initiatives")
        open_phase(watcher, [voting.id], "voting")
    finally:
        watcher.close()
    return {"posting": posting, "voting": voting, "items": items}


def test_acknowledged_posts_and_votes_survive_a_sigkill_exactly_once(server, workshop):
    posters = [join(server, workshop["posting"], f"poster-{n}") for n in range(POSTERS)]
    voters = [join(server, workshop["voting"], f"voter-{n}") for n in range(VOTERS)]
    people = [("post", p) for p in posters] + [("vote", v) for v in voters]
    clients = [RetryingClient(server, who) for _, who in people]
    acked = {"post": [], "vote": []}  # (participant name, client_id, ack)
    guard = threading.Lock()
    killed = threading.Event()

    def submission(kind, who, k):
        if kind == "post":
            return "initiative:post", {
                "client_id": f"{who.name}-post-{k}",
                "title": f"{who.name} practice {k}",
                "axis": "mobility",
                "sdgs": [11],
            }
        item_id = workshop["items"][k % len(workshop["items"])]
        return "vote:cast", {"client_id": f"{who.name}-vote-{k}", "item_id": item_id, "delta": 1}

    def work(index):
        kind, who = people[index]
        client = clients[index]
        for k in range(EACH):
            if k == EACH // 2:
                # the second half is sent once the server is dead: it must wait and retry
                assert killed.wait(RECOVERY_TIMEOUT), "the server was never killed"
            event, data = submission(kind, who, k)
            ack = client.submit(event, data)
            assert ack.get("ok"), (event, data, ack)
            with guard:
                acked[kind].append((who.name, data["client_id"], ack))

    def acknowledged():
        with guard:
            return len(acked["post"]) + len(acked["vote"])

    try:
        with ThreadPoolExecutor(max_workers=len(people)) as pool:
            futures = [pool.submit(work, i) for i in range(len(people))]
            # kill once a good part of the first halves is acknowledged, others in flight
            first_halves = len(people) * (EACH // 2)
            assert wait_until(lambda: acknowledged() >= first_halves // 2, RECOVERY_TIMEOUT)
            sigkill(server)
            at_kill = acknowledged()
            killed.set()
            # every client has met the dead server before it comes back
            for client in clients:
                assert client.outage_seen.wait(RECOVERY_TIMEOUT), "a client never saw the outage"
            server.start()
            for future in futures:
                future.result(timeout=RECOVERY_TIMEOUT * 3)
    finally:
        for client in clients:
            client.close()
        gc.collect()  # dead sockets of the killed connections are reported here, not later

    total = len(people) * EACH
    assert 0 < at_kill < total  # the kill really came mid-way
    assert all(client.connects >= 2 for client in clients)  # each one reconnected on its own
    assert all(client.outage_seen.is_set() for client in clients)  # each met the dead server

    # initiatives: every acknowledged client id is stored once, and nothing else is
    acked_posts = {(name, cid) for name, cid, _ in acked["post"]}
    assert len(acked_posts) == POSTERS * EACH == len(acked["post"])
    stored_posts = server.query(
        "SELECT p.display_name, i.client_id, i.id FROM initiatives i"
        " JOIN participants p ON p.id = i.participant_id WHERE i.session_id = ?",
        (workshop["posting"].id,),
    )
    assert len(stored_posts) == len(acked_posts)  # no duplicate
    assert {(name, cid) for name, cid, _ in stored_posts} == acked_posts  # none lost
    # each ack named the row that is stored for its client id
    ids = {(name, cid): row_id for name, cid, row_id in stored_posts}
    assert all(ack["initiative"]["id"] == ids[(name, cid)] for name, cid, ack in acked["post"])

    # votes: the same, and each voter's dots add up to what was acknowledged
    acked_votes = {(name, cid) for name, cid, _ in acked["vote"]}
    assert len(acked_votes) == VOTERS * EACH == len(acked["vote"])
    stored_votes = server.query(
        "SELECT p.display_name, v.client_id, v.delta FROM votes v"
        " JOIN participants p ON p.id = v.participant_id WHERE v.session_id = ?",
        (workshop["voting"].id,),
    )
    assert len(stored_votes) == len(acked_votes)
    assert {(name, cid) for name, cid, _ in stored_votes} == acked_votes
    for voter in voters:
        dots = server.query(
            "SELECT COALESCE(SUM(delta), 0) FROM votes WHERE participant_id = ?",
            (participant_id(server, voter),),
        )[0][0]
        assert dots == EACH
        last = max(
            (a for name, _, a in acked["vote"] if name == voter.name),
            key=lambda a: sum(a["votes"]["units"].values()),
        )
        assert sum(last["votes"]["units"].values()) == EACH
