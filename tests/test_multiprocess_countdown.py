"""A self-closing countdown with two app processes on PostgreSQL and Redis: once it has run
out, each process refuses a vote with `phase_closed` (decided from the session's stored
values, not from a timer of the process that started it)."""

import pytest
from cluster import Cluster
from realserver import bilingual_workshop, create_facilitator
from realserver_countdown import votes_after_zero_are_refused
from services import need

pytestmark = pytest.mark.realserver


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    running = need(Cluster(tmp_path_factory.mktemp("countdown"), processes=2).start)
    yield running
    running.stop()


@pytest.fixture
def closing():
    clients = []
    yield clients
    for client in clients:
        client.close()


def test_a_vote_just_after_zero_is_refused_on_both_processes(cluster, closing):
    a, b = cluster.servers
    facilitator = create_facilitator(a)
    _, sessions = bilingual_workshop(a, facilitator, "Countdown on two processes")
    voters = votes_after_zero_are_refused([a, b], facilitator, sessions["en"], closing)
    assert {server.url for server, _, _ in voters} == {a.url, b.url}
