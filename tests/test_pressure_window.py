"""Shedding answers overload, not hiccups (pressure.py's SustainedLag and Pressure), on a
fake clock: pure logic, no waiting, no timings."""

import pytest

from facilitation import pressure

THRESHOLD, WINDOW = 0.5, 2.0


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def recent(clock):
    return pressure.SustainedLag(clock)


def observe_every(recent, clock, seconds, above, step=0.1):
    """Observations every `step` seconds for `seconds`; returns the last `sustained`."""
    shed = False
    for _ in range(round(seconds / step)):
        clock.now += step
        shed = recent.sustained(above, WINDOW)
    return shed


def test_one_late_observation_is_a_hiccup(recent, clock):
    observe_every(recent, clock, 5, above=False)
    clock.now += 1.5  # the machine paused: one observation, very late
    assert recent.sustained(True, WINDOW) is False
    assert observe_every(recent, clock, 5, above=False) is False
    assert recent.above_for(10) == 0.0


def test_short_pauses_now_and_then_never_shed(recent, clock):
    """A busy machine: a few late observations in a row every couple of seconds."""
    for _ in range(10):
        assert observe_every(recent, clock, 0.3, above=True) is False
        assert observe_every(recent, clock, 2.0, above=False) is False


def test_lag_for_a_whole_window_sheds(recent, clock):
    assert observe_every(recent, clock, WINDOW - 0.2, above=True) is False
    assert observe_every(recent, clock, 0.3, above=True) is True
    assert recent.sustained(False, WINDOW) is False  # under the threshold: never


def test_after_a_sustained_overload_a_new_rise_sheds_at_once(recent, clock):
    """Shedding drains the queue and the lag dips; the overload is still there, so the next
    rise within the span sheds without waiting a whole window again."""
    assert observe_every(recent, clock, WINDOW + 0.5, above=True) is True
    observe_every(recent, clock, 0.5, above=False)
    assert observe_every(recent, clock, 0.2, above=True) is True


def test_the_overload_is_forgotten_after_the_span(recent, clock):
    assert observe_every(recent, clock, WINDOW + 0.5, above=True) is True
    observe_every(recent, clock, pressure.SPAN_FACTOR * WINDOW + 1, above=False)
    assert observe_every(recent, clock, 0.5, above=True) is False


def test_a_window_of_zero_sheds_as_soon_as_the_lag_is_above(recent, clock):
    assert recent.sustained(True, 0) is True
    assert recent.sustained(False, 0) is False


class Recorder:
    """Stands in for socketio in Pressure: the monitor is not run, its ticks are."""

    sleep = None

    def start_background_task(self, target):
        pass


def test_a_process_sheds_only_a_sustained_lag_seen_by_its_monitor(clock):
    process = pressure.Pressure(Recorder())
    process.recent = pressure.SustainedLag(clock)
    process.writes = pressure.Writes(clock)
    monitor = process.watch(THRESHOLD)
    monitor.clock = clock

    def ticks(seconds, lag):
        for _ in range(round(seconds / 0.1)):
            clock.now += 0.1
            monitor.lag = lag
            monitor.on_tick()  # what the monitor's tick does after measuring

    ticks(3, 0.0)
    monitor.lag = 0.9  # a hiccup: a write arriving now is accepted
    assert process.overloaded(THRESHOLD, WINDOW) is False
    ticks(1, 0.0)
    ticks(WINDOW + 0.2, 0.8)  # late tick after tick
    assert process.overloaded(THRESHOLD, WINDOW) is True
    assert process.overloaded(0, WINDOW) is False  # a threshold of 0 never sheds
    ticks(0.3, 0.0)
    assert process.overloaded(THRESHOLD, WINDOW) is False
