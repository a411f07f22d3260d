"""The event-loop lag monitor (facilitation/pressure.py), driven by a fake clock and sleep:
no real waiting, no timings."""

import logging
import subprocess
import sys

import pytest

from facilitation import pressure
from facilitation.config import ROOT


class Loop:
    """A fake clock, and a sleep that advances it by the time asked plus the delay the test
    queued for that call (what the tasks queued ahead of the monitor would take)."""

    def __init__(self):
        self.now = 100.0
        self.delays = []
        self.seen = []  # what monitor.current() said at the end of each sleep
        self.monitor = None

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds + (self.delays.pop(0) if self.delays else 0.0)
        self.seen.append(self.monitor.current())


@pytest.fixture
def loop():
    fake = Loop()
    fake.monitor = pressure.LagMonitor(fake.sleep, clock=fake.clock, interval=0.1)
    return fake


def test_a_punctual_wake_up_means_no_lag(loop):
    loop.monitor.tick()
    assert loop.monitor.lag == pytest.approx(0.0)
    assert loop.monitor.current() == pytest.approx(0.0)


def test_a_late_wake_up_is_the_lag(loop):
    loop.delays = [0.7]
    loop.monitor.tick()
    assert loop.monitor.lag == pytest.approx(0.7)


def test_the_turn_behind_the_ready_tasks_counts_too(loop):
    """gevent wakes the timer on time and runs it ahead of queued greenlets: the second,
    zero-length sleep is where the queue shows."""
    loop.delays = [0.0, 2.0]
    loop.monitor.tick()
    assert loop.monitor.lag == pytest.approx(2.0)


def test_an_overdue_wake_up_is_seen_before_the_monitor_runs(loop):
    """A handler that runs while the monitor still waits behind the queue sees how overdue
    it is, not the (small) lag of the last wake-up."""
    loop.delays = [3.0, 0.0]
    loop.monitor.tick()
    assert loop.seen[0] == pytest.approx(3.0)  # still in the sleep: overdue by 3 s
    assert loop.monitor.current() == pytest.approx(3.0)


def test_the_lag_goes_back_down_once_a_wake_up_is_punctual(loop):
    loop.delays = [1.5]
    loop.monitor.tick()
    assert loop.monitor.current() == pytest.approx(1.5)
    loop.monitor.tick()
    assert loop.monitor.lag == pytest.approx(0.0)
    assert loop.monitor.current() == pytest.approx(0.0)


def test_a_monitor_that_fails_stops_and_sheds_nothing(loop, caplog):
    """A stuck `due` would look like an ever-growing lag and refuse every write forever."""

    def broken(seconds):
        loop.now += 5.0
        raise RuntimeError("no more sleeping")

    loop.monitor.sleep = broken
    with caplog.at_level(logging.ERROR, logger="facilitation.pressure"):
        loop.monitor.run()  # returns instead of looping
    assert loop.monitor.current() == 0.0
    assert "lag monitor stopped" in caplog.text


def test_crossing_the_threshold_is_logged_both_ways(loop, caplog):
    loop.monitor.threshold = 0.5
    loop.delays = [0.0, 0.0, 0.8, 0.0, 0.9, 0.0, 0.0, 0.0]
    with caplog.at_level(logging.WARNING, logger="facilitation.pressure"):
        for _ in range(4):
            loop.monitor.tick()
    assert [r.getMessage().split(": ")[1] for r in caplog.records] == [
        "shedding participants' writes",
        "recovered",
    ]


def test_the_oldest_write_in_progress_gives_its_age():
    now = [10.0]
    writes = pressure.Writes(clock=lambda: now[0])
    assert writes.oldest_age() == 0.0
    with writes.track():
        now[0] += 1.0
        with writes.track():
            now[0] += 0.5
            assert writes.oldest_age() == pytest.approx(1.5)
        assert writes.oldest_age() == pytest.approx(1.5)
    assert writes.oldest_age() == 0.0
    # the oldest done first, a younger one still at it
    first, second = writes.track(), writes.track()
    first.__enter__()
    now[0] += 2.0
    second.__enter__()
    now[0] += 0.25
    first.__exit__(None, None, None)
    assert writes.oldest_age() == pytest.approx(0.25)
    second.__exit__(None, None, None)


class Recorder:
    """Stands in for socketio in Pressure: background tasks are only recorded."""

    def __init__(self):
        self.started = []
        self.sleep = None

    def start_background_task(self, target):
        self.started.append(target)


@pytest.fixture
def process():
    """A process's Pressure (runtime.py holds one per app), its monitor not yet started."""
    return pressure.Pressure(Recorder())


def test_watch_starts_one_monitor_per_process(process):
    first = process.watch(0.5)
    assert process.watch(0.5) is first
    assert process.socketio.started == [first.run]


def test_overloaded_compares_with_the_threshold_and_zero_never_sheds(process):
    assert process.lag() == 0.0 and not process.overloaded(0.5)  # not started yet
    monitor = process.watch(0.5)
    monitor.lag = 0.6
    assert process.overloaded(0.5)
    assert not process.overloaded(1.0)
    assert not process.overloaded(0)


def test_the_lag_is_the_loop_lag_or_the_oldest_write_whichever_is_more(process):
    now = [0.0]
    process.writes = pressure.Writes(clock=lambda: now[0])
    monitor = process.watch(0.5)
    monitor.lag = 0.2
    with process.writes.track():
        now[0] += 0.7  # a write parked on a shared commit, the loop idle
        assert process.lag() == pytest.approx(0.7)
    assert process.lag() == pytest.approx(0.2)


def test_a_stopped_monitor_ends_its_run_and_sheds_nothing(loop):
    """stop() (the runtime's, when its app stops) ends `run` after the current tick."""
    loop.monitor.lag = 0.9
    ticks = []
    real_tick = loop.monitor.tick

    def tick():
        ticks.append(1)
        real_tick()
        if len(ticks) == 3:
            loop.monitor.stop()

    loop.monitor.tick = tick
    loop.monitor.run()
    assert len(ticks) == 3
    assert loop.monitor.current() == 0.0


def test_nothing_is_started_at_import_or_by_create_app(tmp_path):
    """In a fresh interpreter: the monitor starts on the first connection, not before."""
    script = (
        "from facilitation import create_app\n"
        f"app = create_app({{'SECRET_KEY': 'x', 'ASYNC_MODE': 'threading', "
        f"'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path / 'db.sqlite'}'}})\n"
        "monitor = app.extensions['facilitation'].pressure.monitor\n"
        "assert monitor is None, monitor\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
