"""Who is connected now (facilitation/presence.py): one process's count in memory, and
several processes' in a real Redis, where a process that stops refreshing its sets (killed)
stops counting once they expire."""

import threading
import time

import pytest
import redis
from services import RedisServer, need, wait_until

from facilitation.presence import LocalPresence, RedisPresence


def test_a_participant_counts_once_whatever_their_connections():
    presence = LocalPresence()
    assert presence.arrive(1, 10) is True
    assert presence.arrive(1, 10) is False  # a second tab
    assert presence.arrive(1, 11) is True
    assert presence.arrive(2, 20) is True
    assert presence.connected([1, 2, 3]) == {1: 2, 2: 1, 3: 0}
    assert presence.leave(1, 10) is False  # one tab still open
    assert presence.connected([1]) == {1: 2}
    assert presence.leave(1, 10) is True
    assert presence.leave(1, 10) is False  # a disconnect seen twice changes nothing
    assert presence.leave(9, 99) is False
    assert presence.connected([1, 2]) == {1: 1, 2: 1}


@pytest.fixture(scope="module")
def redis_url():
    server = need(RedisServer().start)
    yield server.url
    server.stop()


def background(task):
    threading.Thread(target=task, daemon=True).start()


class Process:
    """One process's RedisPresence, with what its heartbeat found gone."""

    def __init__(self, url, prefix, ttl=1):
        self.gone = []
        client = redis.Redis.from_url(url)
        self.presence = RedisPresence(
            client, ttl, background, time.sleep, self.gone.extend, prefix=prefix
        )


@pytest.fixture
def prefix(request):
    return f"test:{request.node.name}"


def test_processes_share_who_is_connected(redis_url, prefix):
    one, two = Process(redis_url, prefix), Process(redis_url, prefix)
    try:
        one.presence.arrive(5, 1)
        two.presence.arrive(5, 2)
        two.presence.arrive(5, 1)  # the same participant on the other process too
        two.presence.arrive(6, 3)
        assert one.presence.connected([5, 6, 7]) == {5: 2, 6: 1, 7: 0}
        assert two.presence.connected([5, 6, 7]) == {5: 2, 6: 1, 7: 0}
        one.presence.leave(5, 1)  # still connected through the other process
        assert two.presence.connected([5]) == {5: 2}
        two.presence.leave(5, 1)
        two.presence.leave(5, 2)
        assert one.presence.connected([5, 6]) == {5: 0, 6: 1}
    finally:
        one.presence.stop()
        two.presence.stop()


def test_a_killed_processs_connections_stop_counting(redis_url, prefix):
    alive, killed = Process(redis_url, prefix), Process(redis_url, prefix)
    try:
        alive.presence.arrive(8, 1)
        killed.presence.arrive(8, 2)
        killed.presence.arrive(8, 3)
        assert alive.presence.connected([8]) == {8: 3}
        killed.presence.stop()  # no more refreshes, no goodbyes: as after a SIGKILL
        assert wait_until(lambda: alive.presence.connected([8]) == {8: 1}, timeout=20)
        # the living process's heartbeat noticed, so the consoles hear of it
        assert wait_until(lambda: 8 in alive.gone, timeout=20)
        assert alive.presence.connected([8]) == {8: 1}  # its own stay, refreshed
    finally:
        alive.presence.stop()
        killed.presence.stop()


def test_sets_lost_by_redis_are_written_again(redis_url, prefix):
    process = Process(redis_url, prefix)
    try:
        process.presence.arrive(4, 1)
        process.presence.arrive(4, 2)
        client = redis.Redis.from_url(redis_url)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        assert process.presence.connected([4]) == {4: 0}
        assert wait_until(lambda: process.presence.connected([4]) == {4: 2}, timeout=20)
    finally:
        process.presence.stop()


def test_an_unreachable_redis_counts_nobody_and_breaks_nothing():
    client = redis.Redis(port=1, socket_timeout=0.2, socket_connect_timeout=0.2)
    presence = RedisPresence(client, 5, background, time.sleep, lambda gone: None)
    try:
        assert presence.arrive(3, 1) is True  # the connection goes on
        assert presence.connected([3]) == {3: None}
        assert presence.leave(3, 1) is True
    finally:
        presence.stop()
