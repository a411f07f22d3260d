"""The Socket.IO event limit's buckets (event_limits.py): in memory on a fake clock (per
key, spent one token an event, refilled at the rate up to the burst, forgotten only once
full), and in a real Redis (the events of a batch spent in one script run)."""

import threading
import time

import pytest
import redis
from services import RedisServer, need

from facilitation.event_limits import MemoryBuckets, RedisBuckets, redis_url


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_burst_then_refusals_until_tokens_come_back():
    clock = Clock()
    buckets = MemoryBuckets(clock)
    taken = [buckets.spend("p1", rate=2, burst=5) for _ in range(7)]
    assert taken == [True] * 5 + [False] * 2
    clock.now += 0.5  # one token back
    assert buckets.spend("p1", 2, 5) is True
    assert buckets.spend("p1", 2, 5) is False
    clock.now += 60  # never more than the burst
    assert [buckets.spend("p1", 2, 5) for _ in range(6)] == [True] * 5 + [False]


def test_each_key_has_its_own_bucket():
    buckets = MemoryBuckets(Clock())
    assert [buckets.spend("p1", 1, 2) for _ in range(3)] == [True, True, False]
    assert buckets.spend("p2", 1, 2) is True
    assert buckets.spend("p1", 1, 2) is False


def test_refusals_do_not_earn_credit():
    """A client hammering an empty bucket gets nothing back faster than the rate."""
    clock = Clock()
    buckets = MemoryBuckets(clock)
    assert [buckets.spend("p1", 1, 1) for _ in range(2)] == [True, False]
    for _ in range(3):
        clock.now += 0.25
        refused = buckets.spend("p1", 1, 1)
    assert refused is False
    clock.now += 0.25
    assert buckets.spend("p1", 1, 1) is True


def test_pruning_forgets_only_buckets_that_would_be_full_again():
    clock = Clock()
    buckets = MemoryBuckets(clock)
    buckets.PRUNE_EVERY = 4
    buckets.spend("old", 1, 10)
    clock.now += 11  # "old" would be full again
    buckets.spend("empty", 1, 10)
    for _ in range(2):
        buckets.spend("empty", 1, 10)  # the fourth spend prunes
    assert set(buckets.buckets) == {"empty"}
    assert buckets.buckets["empty"][0] == 7


def test_the_buckets_go_to_redis_when_the_app_has_one():
    assert redis_url({"RATELIMIT_STORAGE_URI": "memory://"}) is None
    assert redis_url({"RATELIMIT_STORAGE_URI": "memory://", "SOCKETIO_MESSAGE_QUEUE": None}) is None
    queue = {"RATELIMIT_STORAGE_URI": "memory://", "SOCKETIO_MESSAGE_QUEUE": "redis://h:6379/0"}
    assert redis_url(queue) == "redis://h:6379/0"
    both = {**queue, "RATELIMIT_STORAGE_URI": "redis://h:6379/1"}
    assert redis_url(both) == "redis://h:6379/1"


@pytest.fixture(scope="module")
def redis_server_url():
    server = need(RedisServer().start)
    yield server.url
    server.stop()


def spend_together(buckets, calls):
    """Spend `calls` ((key, rate, burst) each) from threads of their own, in one batch: the
    leader waits at its yield until every call has queued. Returns the answers in order."""
    queued = buckets.batches.queue

    def sleep(_seconds):
        deadline = time.monotonic() + 10
        while len(queued) < len(calls) and time.monotonic() < deadline:
            time.sleep(0.005)

    buckets.batches.sleep = sleep
    answers = [None] * len(calls)

    def call(n):
        answers[n] = buckets.spend(*calls[n])

    threads = []
    for n in range(len(calls)):
        threads.append(threading.Thread(target=call, args=(n,)))
        threads[-1].start()
        while n < len(calls) - 1 and len(queued) <= n:  # queued in the calls' order
            time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    buckets.batches.sleep = time.sleep  # later calls go alone
    return answers


def test_redis_buckets_spend_the_events_of_a_batch_in_one_script_run(redis_server_url):
    """A key listed twice in a batch is spent twice, in order; each caller gets its answer;
    Redis ran one script for the whole batch."""
    buckets = RedisBuckets(redis_server_url, time.sleep)
    client = redis.Redis.from_url(redis_server_url)
    buckets.spend("warm", 0.001, 1)  # the script loaded (a first run may need two calls)
    before = _script_calls(client)
    answers = spend_together(
        buckets,
        [("p1", 0.001, 2), ("p2", 0.001, 1), ("p1", 0.001, 2), ("p2", 0.001, 1), ("p1", 0.001, 2)],
    )
    assert answers == [True, True, True, False, False]
    assert _script_calls(client) - before == 1
    assert buckets.spend("p3", 0.001, 1) is True  # alone: a batch of one


def test_redis_buckets_are_the_same_buckets_for_every_process(redis_server_url):
    """Two processes' buckets (two clients) spend from one bucket per key."""
    first = RedisBuckets(redis_server_url, time.sleep)
    second = RedisBuckets(redis_server_url, time.sleep)
    assert [first.spend("shared", 0.001, 3) for _ in range(2)] == [True, True]
    assert second.spend("shared", 0.001, 3) is True
    assert second.spend("shared", 0.001, 3) is False
    assert first.spend("shared", 0.001, 3) is False


def _script_calls(client):
    stats = client.info("commandstats")
    return sum(stats.get(name, {}).get("calls", 0) for name in ("cmdstat_evalsha", "cmdstat_eval"))
