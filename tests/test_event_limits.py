"""The Socket.IO event limit's buckets (event_limits.py), on a fake clock: per key, spent
one token an event, refilled at the rate up to the burst, forgotten only once full."""

from facilitation.event_limits import MemoryBuckets, redis_url


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
