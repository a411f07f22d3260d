"""Coalesced broadcasts shared by the processes (live.Coalesced with the message queue's
Redis): within an interval one process computes a workshop's broadcast for all, after every
change any of them made meanwhile. Two coalescers stand for two processes, each with its own
client of a real Redis. And that client: more callers at once than connections wait."""

import threading
import time

import pytest
import redis
from services import RedisServer, need

from facilitation.live import REDIS_CONNECTIONS, Coalesced, redis_client

INTERVAL = 0.3


@pytest.fixture(scope="module")
def redis_server_url():
    server = need(RedisServer().start)
    yield server.url
    server.stop()


class Recorder(Coalesced):
    """A coalescer that notes when each broadcast was computed."""

    def __init__(self, app, shared):
        super().__init__(app, shared)
        self.sent = []
        self.lock = threading.Lock()

    def broadcast(self, workshop_id):
        with self.lock:
            self.sent.append((workshop_id, time.monotonic()))


@pytest.fixture
def processes(app, redis_server_url):
    app.config["RESULTS_INTERVAL"] = INTERVAL
    redis.Redis.from_url(redis_server_url).flushdb()
    pair = [Recorder(app, redis.Redis.from_url(redis_server_url)) for _ in range(2)]
    yield pair
    for one in pair:
        one.drain()


def test_one_process_computes_for_all_after_every_change(processes):
    first, second = processes
    changes = []
    for n in range(6):  # changes on both, within one interval
        changes.append(time.monotonic())
        (first if n % 2 == 0 else second).schedule(7)
        time.sleep(INTERVAL / 10)
    first.drain()
    second.drain()
    sent = first.sent + second.sent
    assert len(sent) == 1, sent
    assert first.sent, "the first to schedule computes"
    assert sent[0][1] > changes[-1]


def test_each_interval_has_its_broadcast_and_other_workshops_their_own(processes):
    first, second = processes
    first.schedule(1)
    second.schedule(2)  # another workshop: its own claim
    first.drain()
    second.drain()
    assert [w for w, _ in first.sent] == [1]
    assert [w for w, _ in second.sent] == [2]
    time.sleep(0.05)  # the claims have expired
    changed = time.monotonic()
    second.schedule(1)
    second.drain()
    assert [w for w, _ in second.sent] == [2, 1]
    assert second.sent[-1][1] > changed


def test_a_change_just_before_the_claim_ends_is_in_a_broadcast_computed_after_it(processes):
    """Changes on the other process all through the interval, the last ones near its end:
    the last change is always followed by a broadcast (one of either process)."""
    first, second = processes
    first.schedule(3)
    deadline = time.monotonic() + 2 * INTERVAL
    last = None
    while time.monotonic() < deadline:
        last = time.monotonic()
        second.schedule(3)
        time.sleep(0.01)
    first.drain()
    second.drain()
    computed = sorted(t for _, t in first.sent + second.sent)
    assert computed[-1] > last
    assert len(computed) <= 4  # about one per interval, not one per change (200 changes)


def test_without_redis_each_process_sends_its_own(app):
    app.config["RESULTS_INTERVAL"] = 0.05
    lone = Recorder(app, None)
    lone.schedule(5)
    lone.drain()
    assert [w for w, _ in lone.sent] == [5]


def test_redis_gone_means_each_process_sends_its_own(app):
    app.config["RESULTS_INTERVAL"] = 0.05
    unreachable = redis.Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    lone = Recorder(app, unreachable)
    lone.schedule(5)
    lone.drain()
    assert [w for w, _ in lone.sent] == [5]


def test_more_callers_than_connections_wait_for_one(redis_server_url):
    """The processes' Redis client (live.redis_client): four times as many callers at once as
    it has connections, each holding one for a while; none fails, at most that many open."""
    client = redis_client(redis_server_url)
    failures, peak = [], []

    def call():
        try:
            client.execute_command("CLIENT", "PAUSE", "0")  # harmless round trip
            client.blpop(["never-filled"], timeout=0.2)  # holds its connection 0.2 s
        except Exception as error:  # noqa: BLE001 (what a caller would see)
            failures.append(error)
        peak.append(len(client.connection_pool._connections))

    threads = [threading.Thread(target=call) for _ in range(4 * REDIS_CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    assert max(peak) <= REDIS_CONNECTIONS
