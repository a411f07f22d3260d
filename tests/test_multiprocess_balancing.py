"""A whole room behind one address, balanced over four processes by the routing cookie.

Every participant joins through nginx from 127.0.0.1, as a venue's Wi-Fi behind one NAT
address would look. nginx deals new browsers round-robin and pins each to its process with
the `fg_route` cookie (deploy/nginx-site.conf); some participants lose that cookie before
they connect, so their Socket.IO handshake is dealt anew and the WebSocket upgrade has to
follow the cookie set on the handshake's answer. Everyone votes; one process is killed with
SIGKILL mid-vote; its clients reconnect through nginx to the other processes, catch up from
their snapshot and send again what was not acknowledged. What is acknowledged is stored,
exactly once.
"""

import gc
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import socketio
from cluster import ROUTE_COOKIE, Cluster
from realserver import (
    NAMESPACE,
    add_session,
    connect_facilitator,
    create_facilitator,
    create_workshop,
    join,
    wait_until,
)
from realserver_votes import add_item, open_voting, participant_id, set_voting_rules
from services import need

pytestmark = [
    pytest.mark.realserver,
    # clients of the killed process leave their dead sockets to the garbage collector
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

PROCESSES = 4
PEOPLE = 80  # 20 a process
LOST_COOKIE = 5  # every fifth participant connects without its routing cookie
EACH = 6  # votes per participant: half before the kill, half during and after it
EVEN = 0.2  # how far from an even share a process may be
CALL_TIMEOUT = 5
RECOVERY_TIMEOUT = 60


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Redis, PostgreSQL, four eventlet app processes and nginx, all on loopback."""
    running = need(Cluster(tmp_path_factory.mktemp("balancing"), processes=PROCESSES).start)
    yield running
    running.stop()


class Voter:
    """A participant's connection through nginx with its browser's cookie jar (the
    routing cookie follows Set-Cookie, as a browser's does); it reconnects by itself and
    sends a vote again, same `client_id`, until it is acknowledged."""

    def __init__(self, front, participant):
        self.participant = participant
        self.connects = 0
        self.outage = threading.Event()
        self.sio = socketio.Client(
            reconnection=True,
            reconnection_attempts=0,
            reconnection_delay=0.2,
            reconnection_delay_max=1,
            http_session=participant.http,
        )
        self.sio.on("connect", self._connected, namespace=NAMESPACE)
        # polling first, then the WebSocket upgrade, as the page does
        self.sio.connect(
            front.url,
            namespaces=[NAMESPACE],
            auth={"session_id": participant.session.id},
            wait_timeout=15,
        )

    def _connected(self):
        self.connects += 1

    def live(self):
        return self.sio.connected and NAMESPACE in self.sio.namespaces

    def call(self, event, data):
        for _ in range(200):
            if not self.live():
                self.outage.set()
            if not wait_until(self.live, RECOVERY_TIMEOUT, interval=0.05):
                raise AssertionError(f"no connection to send {event} {data}")
            try:
                ack = self.sio.call(event, data, namespace=NAMESPACE, timeout=CALL_TIMEOUT)
            except socketio.exceptions.SocketIOError:
                self.outage.set()  # cut off, or the process died before answering
                continue
            if isinstance(ack, dict) and ack.get("error", {}).get("code") == "server_error":
                continue
            return ack
        raise AssertionError(f"{event} {data} was never acknowledged")

    def close(self):
        self.sio.disconnect()


def socket_requests(cluster):
    return [e for e in cluster.access_log() if e["uri"].startswith("/socket.io/")]


def handshakes(cluster):
    """Engine.IO handshakes (a polling GET without a sid), in the order nginx logged them:
    one per connection; nginx logs them as soon as they are answered."""
    return [
        e
        for e in socket_requests(cluster)
        if not e["sid"] and "transport=polling" in e["uri"] and e["method"] == "GET"
    ]


def test_a_room_behind_one_address_spreads_and_survives_a_killed_process(cluster):
    admin = cluster.servers[0]
    facilitator = create_facilitator(admin)
    workshop_id = create_workshop(admin, facilitator, "One venue, one address")
    session = add_session(admin, facilitator, workshop_id, "Plenary", "en")
    watcher = connect_facilitator(admin, facilitator)
    try:
        items = [add_item(watcher, session, f"b{n}", f"Barrier {n}") for n in range(3)]
        set_voting_rules(watcher, workshop_id, dots=EACH, per_item=EACH)
        open_voting(watcher, [session])
    finally:
        watcher.close()

    # everyone joins through nginx, from the same address
    front = cluster.front
    with ThreadPoolExecutor(max_workers=8) as pool:
        people = list(pool.map(lambda n: join(front, session, f"P{n}"), range(PEOPLE)))
    routes = {cluster.route(s): f"127.0.0.1:{s.port}" for s in cluster.servers}
    joined = Counter(routes[p.http.cookies[ROUTE_COOKIE]] for p in people)
    even = PEOPLE / PROCESSES
    assert set(joined) == set(routes.values()), joined
    assert all(abs(n - even) <= EVEN * even for n in joined.values()), joined
    # every request of the join (the form, then its POST) reached the cookie's process
    for entry in cluster.access_log():
        if entry["uri"].startswith("/j/") and entry["route"] not in ("", "-"):
            assert routes[entry["route"]] == entry["upstream"], entry

    for n, person in enumerate(people):
        if n % LOST_COOKIE == 0:
            person.http.cookies.set(ROUTE_COOKIE, None)  # dealt anew at the handshake
    with ThreadPoolExecutor(max_workers=8) as pool:
        voters = list(pool.map(lambda p: Voter(front, p), people))

    acked = []  # (participant name, client_id, ack)
    guard = threading.Lock()
    killed = threading.Event()

    try:
        # one handshake per connection, spread evenly; those without a cookie got one
        assert wait_until(lambda: len(handshakes(cluster)) >= PEOPLE, 30)
        before = handshakes(cluster)
        assert len(before) == PEOPLE
        connected = Counter(e["upstream"] for e in before)
        assert all(abs(connected[a] - even) <= EVEN * even for a in routes.values()), connected
        dealt = [e for e in before if not e["route"]]
        assert len(dealt) == PEOPLE // LOST_COOKIE
        assert all(e["set"] for e in dealt)

        def work(index):
            voter = voters[index]
            name = voter.participant.name
            for k in range(EACH):
                if k == EACH // 2:
                    assert killed.wait(RECOVERY_TIMEOUT), "no process was killed"
                data = {
                    "client_id": f"{name}-vote-{k}",
                    "item_id": items[k % len(items)],
                    "delta": 1,
                }
                ack = voter.call("vote:cast", data)
                assert ack.get("ok"), (data, ack)
                with guard:
                    acked.append((name, data["client_id"], ack))

        with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
            futures = [pool.submit(work, i) for i in range(PEOPLE)]
            assert wait_until(lambda: len(acked) >= PEOPLE * EACH // 4, RECOVERY_TIMEOUT)
            victim = cluster.servers[1]
            victim_address = f"127.0.0.1:{victim.port}"
            cluster.kill(victim)
            at_kill = len(acked)
            killed.set()
            for future in futures:
                future.result(timeout=RECOVERY_TIMEOUT * 3)

        # the victim's clients met the outage and reconnected; the others never dropped
        dropped = [v for v in voters if v.connects >= 2]
        assert len(dropped) == connected[victim_address]
        assert all(v.outage.is_set() for v in dropped)
        assert all(v.connects == 1 for v in voters if v not in dropped)
        # through nginx, to the processes still running, spread over them
        moved_to = Counter(e["upstream"] for e in handshakes(cluster)[PEOPLE:])
        assert sum(moved_to.values()) >= len(dropped)
        assert victim_address not in moved_to, moved_to
        assert len(moved_to) >= 2, moved_to
        # and the routing cookie of each moved client now names its new process
        for voter in dropped:
            assert routes[voter.participant.http.cookies[ROUTE_COOKIE]] != victim_address

        # each catches up from its snapshot: its dots as acknowledged
        for voter in voters:
            snapshot = voter.call("session:snapshot", {})
            assert snapshot["votes"]["dots_left"] == {"all": 0}, snapshot["votes"]
    finally:
        for voter in voters:
            voter.close()
        gc.collect()

    # every WebSocket upgrade (logged when it closed) went to the process its cookie
    # named, which knew its Engine.IO session: the one that had answered its handshake
    upgrades = [e for e in socket_requests(cluster) if "transport=websocket" in e["uri"]]
    assert len(upgrades) >= PEOPLE + len(dropped)
    assert all(e["status"] == "101" for e in upgrades), Counter(e["status"] for e in upgrades)
    assert all(routes[e["route"]] == e["upstream"] for e in upgrades)
    assert not [e for e in socket_requests(cluster) if e["status"] == "400"]

    assert 0 < at_kill < PEOPLE * EACH  # the kill came mid-vote
    acked_ids = {(name, cid) for name, cid, _ in acked}
    assert len(acked_ids) == len(acked) == PEOPLE * EACH
    stored = cluster.query(
        "SELECT p.display_name, v.client_id FROM votes v"
        " JOIN participants p ON p.id = v.participant_id WHERE v.session_id = ?",
        (session.id,),
    )
    assert len(stored) == len(acked_ids)  # none stored twice
    assert set(stored) == acked_ids  # none lost
    for person in people[:: PEOPLE // 10]:
        total = cluster.query(
            "SELECT COALESCE(SUM(delta), 0) FROM votes WHERE participant_id = ?",
            (participant_id(cluster, person),),
        )
        assert total == [(EACH,)]
