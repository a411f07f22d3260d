"""The steps of a session and its countdown: pause, resume, one more minute, and the rule
that closes a phase's writes when an auto-closing countdown reaches zero. No app."""

import datetime as dt
from types import SimpleNamespace

import pytest

from facilitation.domain.errors import RuleError
from facilitation.domain.phases import (
    ORDER,
    Countdown,
    Phase,
    next_phase,
    previous_phase,
    require_open,
)

NOW = dt.datetime(2026, 5, 10, 9, 30, 0)
SECOND = dt.timedelta(seconds=1)


def test_steps_follow_the_phases_in_order():
    assert next_phase("lobby") is Phase.INITIATIVES
    assert next_phase(Phase.VOTING) is Phase.SDG_PICKS
    assert next_phase("closed") is None
    assert previous_phase("voting") is Phase.PROPOSING
    assert previous_phase("lobby") is None
    assert [next_phase(p) for p in ORDER[:-1]] == list(ORDER[1:])


def test_a_countdown_without_auto_close_never_closes():
    countdown = Countdown(ends_at=NOW, auto_close=False)
    assert countdown.time_is_up(NOW)
    assert not countdown.closes_writes(NOW + dt.timedelta(hours=1))


def test_auto_close_closes_at_zero_and_not_before():
    countdown = Countdown(ends_at=NOW, auto_close=True)
    assert not countdown.closes_writes(NOW - SECOND)
    assert countdown.closes_writes(NOW)
    assert countdown.closes_writes(NOW + SECOND)


def test_no_countdown_never_closes():
    assert not Countdown(auto_close=True).closes_writes(NOW)
    assert Countdown().seconds_left(NOW) is None


def test_a_paused_countdown_never_closes():
    paused = Countdown(ends_at=NOW + 90 * SECOND, auto_close=True).pause(NOW)
    assert paused.ends_at is None and paused.paused_seconds == 90
    assert not paused.closes_writes(NOW + dt.timedelta(hours=2))
    assert paused.seconds_left(NOW + dt.timedelta(hours=2)) == 90


def test_resume_runs_the_seconds_left_from_now():
    later = NOW + dt.timedelta(minutes=10)
    resumed = Countdown(paused_seconds=90, auto_close=True).resume(later)
    assert resumed == Countdown(ends_at=later + 90 * SECOND, auto_close=True)
    assert not resumed.closes_writes(later + 89 * SECOND)
    assert resumed.closes_writes(later + 90 * SECOND)


def test_pausing_at_zero_or_without_a_countdown_changes_nothing():
    up = Countdown(ends_at=NOW, auto_close=True)
    assert up.pause(NOW + SECOND) == up
    assert Countdown().pause(NOW) == Countdown()
    assert Countdown(ends_at=NOW).resume(NOW) == Countdown(ends_at=NOW)


def test_seconds_left_round_up():
    assert Countdown(ends_at=NOW + dt.timedelta(milliseconds=1500)).seconds_left(NOW) == 2
    assert Countdown(ends_at=NOW).seconds_left(NOW + SECOND) == 0


@pytest.mark.parametrize(
    ("countdown", "expected"),
    [
        (Countdown(ends_at=NOW + 30 * SECOND), Countdown(ends_at=NOW + 90 * SECOND)),
        (Countdown(paused_seconds=30), Countdown(paused_seconds=90)),
        # at zero (closed) or without a countdown: one minute from now, open again
        (
            Countdown(ends_at=NOW - 5 * SECOND, auto_close=True),
            Countdown(ends_at=NOW + 60 * SECOND, auto_close=True),
        ),
        (Countdown(), Countdown(ends_at=NOW + 60 * SECOND)),
    ],
)
def test_add_a_minute(countdown, expected):
    assert countdown.add_minute(NOW) == expected
    assert not expected.closes_writes(NOW)


def session(phase, ends_at=None, paused=None, auto_close=False):
    return SimpleNamespace(
        phase=phase, phase_ends_at=ends_at, phase_paused_seconds=paused, phase_auto_close=auto_close
    )


@pytest.mark.parametrize(
    ("phase", "accepts"),
    [
        ("initiatives", "initiatives"),
        ("proposing", "proposals"),
        ("voting", "votes"),
        ("sdg_picks", "sdg_picks"),
    ],
)
def test_require_open_follows_the_phase_and_its_countdown(phase, accepts):
    require_open(session(phase), accepts, NOW)
    require_open(session(phase, NOW - SECOND, auto_close=False), accepts, NOW)
    require_open(session(phase, NOW + SECOND, auto_close=True), accepts, NOW)
    require_open(session(phase, None, paused=0, auto_close=True), accepts, NOW)
    for closed in (session(phase, NOW, auto_close=True), session("results")):
        with pytest.raises(RuleError) as refused:
            require_open(closed, accepts, NOW)
        assert refused.value.code == "phase_closed"
