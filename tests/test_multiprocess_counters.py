"""Counters with two app processes (eventlet) on PostgreSQL and Redis: a console on one
process sees joins over HTTP on the other, counts a participant connected to both once, and
stops counting the connections of the process that was killed."""

import contextlib

import pytest
from cluster import Cluster
from realserver import (
    add_session,
    connect_facilitator,
    connect_participant,
    create_facilitator,
    create_workshop,
    join,
)
from services import need

pytestmark = pytest.mark.realserver


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """Redis, PostgreSQL and two app processes; connections expire 2 s after a kill."""
    env = {"PRESENCE_TTL": "2"}
    folder = tmp_path_factory.mktemp("counters-cluster")
    running = need(Cluster(folder, processes=2, env=env, nginx=False).start)
    yield running
    running.stop()


def latest(watcher, session_id):
    found = [m for m in watcher.received("session:counters") if m["session_id"] == session_id]
    return found[-1] if found else None


def until(watcher, session_id, done, timeout=30.0):
    def check(client):
        last = latest(client, session_id)
        return last is not None and done(last)

    assert watcher.wait_for(check, timeout), latest(watcher, session_id)
    return latest(watcher, session_id)


def test_counters_across_processes_and_after_a_kill(cluster):
    first, second = cluster.servers
    facilitator = create_facilitator(first)
    workshop_id = create_workshop(first, facilitator, "Two processes")
    en = add_session(first, facilitator, workshop_id, "English group", "en")
    watcher = connect_facilitator(first, facilitator)
    clients = [watcher]
    try:
        ack = watcher.call("workshop:watch", {"workshop_id": workshop_id})
        assert ack["ok"], ack
        assert ack["counters"][str(en.id)]["joined"] == 0

        ana = join(first, en, "Ana")
        bea = join(second, en, "Bea")  # over HTTP on the process the console is not on
        until(watcher, en.id, lambda m: m["joined"] == 2 and m["connected"] == 0)

        clients.append(connect_participant(first, ana))
        clients.append(connect_participant(second, ana))  # Ana's second device
        clients.append(connect_participant(second, bea))
        until(watcher, en.id, lambda m: m["connected"] == 2)
        again = watcher.call("workshop:watch", {"workshop_id": workshop_id})
        assert again["counters"][str(en.id)]["connected"] == 2

        second.process.kill()  # no disconnects reach anyone
        second.process.wait(timeout=10)
        # Ana stays connected through the first process; Bea's only connection is gone
        after = until(watcher, en.id, lambda m: m["connected"] == 1)
        assert after["joined"] == 2
        answer = watcher.call("workshop:watch", {"workshop_id": workshop_id})
        assert answer["counters"][str(en.id)]["connected"] == 1
    finally:
        for client in clients:
            with contextlib.suppress(Exception):
                client.close()
