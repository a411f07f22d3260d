"""Phase changes with countdowns (any order, and back), which phase accepts what, and who may
see participants' names. No app."""

import datetime as dt
import itertools

import pytest

from facilitation.domain.anonymity import Anonymity
from facilitation.domain.errors import RuleError
from facilitation.domain.phases import Phase
from facilitation.schemas import TIMER_MAX_MINUTES, phase_change

NOW = dt.datetime(2026, 5, 10, 9, 30, 0)


def test_the_phases_of_both_dynamics():
    assert [p.value for p in Phase] == [
        "lobby",
        "initiatives",
        "proposing",
        "voting",
        "sdg_picks",
        "results",
        "closed",
    ]


@pytest.mark.parametrize(("first", "then"), list(itertools.permutations(list(Phase), 2)))
def test_any_phase_follows_any_other(first, then):
    assert phase_change(first.value, None, NOW) == (first, None)
    assert phase_change(then.value, None, NOW) == (then, None)


def test_a_session_can_go_back_and_forth():
    path = ["lobby", "proposing", "voting", "proposing", "voting", "results", "lobby", "closed"]
    assert [phase_change(p, None, NOW)[0] for p in path] == [Phase(p) for p in path]


def test_each_phase_accepts_only_its_own_submissions():
    assert [p for p in Phase if p.accepts_initiatives] == [Phase.INITIATIVES]
    assert [p for p in Phase if p.accepts_proposals] == [Phase.PROPOSING]
    assert [p for p in Phase if p.accepts_votes] == [Phase.VOTING]
    assert [p for p in Phase if p.accepts_sdg_picks] == [Phase.SDG_PICKS]


@pytest.mark.parametrize("value", ["", "open", "VOTING", None, 3, "voting "])
def test_an_unknown_phase_is_refused(value):
    with pytest.raises(RuleError) as caught:
        phase_change(value, 5, NOW)
    assert caught.value.code == "invalid"
    assert caught.value.fields == {"phase": "unknown"}


@pytest.mark.parametrize("minutes", [None, "", 0])
def test_no_countdown(minutes):
    assert phase_change("voting", minutes, NOW) == (Phase.VOTING, None)


@pytest.mark.parametrize(
    ("minutes", "seconds"),
    [(1, 60), (5, 300), (0.5, 30), (2.25, 135), (TIMER_MAX_MINUTES, TIMER_MAX_MINUTES * 60)],
)
def test_countdown_ends_after_the_minutes_given(minutes, seconds):
    phase, ends_at = phase_change("proposing", minutes, NOW)
    assert phase is Phase.PROPOSING
    assert ends_at == NOW + dt.timedelta(seconds=seconds)


@pytest.mark.parametrize(
    "minutes",
    [-1, -0.5, TIMER_MAX_MINUTES + 1, TIMER_MAX_MINUTES + 0.01, "5", True, [5], float("nan")],
)
def test_countdown_out_of_bounds_is_refused(minutes):
    with pytest.raises(RuleError) as caught:
        phase_change("voting", minutes, NOW)
    assert caught.value.code == "invalid"
    assert caught.value.fields == {"minutes": "invalid"}


def test_timer_limit_is_four_hours():
    assert TIMER_MAX_MINUTES == 240


# anonymity


@pytest.mark.parametrize(
    ("setting", "to_participants", "to_facilitators"),
    [
        (Anonymity.PUBLIC, True, True),
        (Anonymity.FACILITATORS, False, True),
        (Anonymity.HIDDEN, False, False),
    ],
)
def test_names_for(setting, to_participants, to_facilitators):
    assert setting.names_for(False) is to_participants
    assert setting.names_for(facilitator=True) is to_facilitators


@pytest.mark.parametrize("value", ["public", "facilitators", "hidden"])
def test_anonymity_parse(value):
    assert Anonymity.parse(value) is Anonymity(value)


@pytest.mark.parametrize("value", ["", "Hidden", "anonymous", None, 1])
def test_anonymity_parse_unknown(value):
    assert Anonymity.parse(value) is None
