"""The Socket.IO event limit is per participant and shared by the processes through Redis.

Two app processes on PostgreSQL and one Redis (tests/cluster.py). One participant spends its
burst through connections to both processes; then every connection of that participant,
new ones included, is refused, whichever process it reaches; another participant still
has its whole burst.
"""

import pytest
import redis
from cluster import Cluster
from realserver import (
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
    open_phase,
)
from realserver_votes import participant_id
from services import need

pytestmark = pytest.mark.realserver

BURST = 8
# one token back in 1,000 s: nothing comes back while the test runs, however slow
LIMITS = {"SOCKET_EVENT_BURST": str(BURST), "SOCKET_EVENTS_PER_SECOND": "0.001"}


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = need(
        Cluster(tmp_path_factory.mktemp("limits"), processes=2, env=LIMITS, nginx=False).start
    )
    yield running
    running.stop()


def snapshot(client):
    """One event; its answer's error code, or "ok"."""
    ack = client.call("session:snapshot", {})
    return "ok" if "error" not in ack else ack["error"]["code"]


def test_a_participant_has_one_budget_of_events_across_processes_and_reconnects(cluster):
    a, b = cluster.servers
    facilitator = create_facilitator(a)
    workshop_id = create_workshop(a, facilitator, "Shared limits")
    session = add_session(a, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(a, facilitator)
    clients = [watcher]
    try:
        open_phase(watcher, [session.id])
        bo = join(a, session, "Bo")
        on_a = connect_participant(a, bo)
        on_b = connect_participant(b, bo)
        clients += [on_a, on_b]

        # the burst, spent through both processes at once
        spent = [snapshot(on_a) for _ in range(5)] + [snapshot(on_b) for _ in range(3)]
        assert spent == ["ok"] * BURST
        assert [snapshot(on_a), snapshot(on_b)] == ["rate_limited"] * 2

        # the bucket is in Redis, under the participant
        store = redis.Redis.from_url(cluster.redis.url.replace("/0", "/1"))
        key = f"fg:events:p{participant_id(cluster, bo)}"
        assert store.exists(key)
        assert float(store.hget(key, "t")) < 1

        # reconnecting refills nothing, on either process
        on_a.close()
        on_b.close()
        again = [connect_participant(server, bo) for server in (a, b, a)]
        clients += again
        assert [snapshot(client) for client in again] == ["rate_limited"] * 3

        # another participant has its own burst; a facilitator's connection too
        cy = connect_participant(b, join(b, session, "Cy"))
        clients.append(cy)
        assert [snapshot(cy) for _ in range(BURST)] == ["ok"] * BURST
        assert snapshot(cy) == "rate_limited"
        ack = watcher.call("workshop:watch", {"workshop_id": workshop_id})
        assert ack.get("ok"), ack
    finally:
        for client in clients:
            client.close()
