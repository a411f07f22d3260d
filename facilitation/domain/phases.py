"""The phases a session moves through; the facilitator may move it in any order and back."""

import datetime as dt
from enum import StrEnum

from .errors import RuleError

TIMER_MAX_MINUTES = 240


class Phase(StrEnum):
    LOBBY = "lobby"
    INITIATIVES = "initiatives"
    PROPOSING = "proposing"
    VOTING = "voting"
    SDG_PICKS = "sdg_picks"
    RESULTS = "results"
    CLOSED = "closed"

    @property
    def accepts_initiatives(self):
        return self is Phase.INITIATIVES

    @property
    def accepts_proposals(self):
        return self is Phase.PROPOSING

    @property
    def accepts_votes(self):
        return self is Phase.VOTING

    @property
    def accepts_sdg_picks(self):
        return self is Phase.SDG_PICKS

    @classmethod
    def parse(cls, value):
        """The Phase called `value`, or None."""
        try:
            return cls(value)
        except ValueError:
            return None


def phase_change(value, minutes, now):
    """Validate a move to phase `value` with an optional countdown of `minutes`.

    Returns `(phase, ends_at)`; ends_at is None without a countdown.
    """
    phase = Phase.parse(value)
    if phase is None:
        raise RuleError("invalid", {"phase": "unknown"})
    if minutes in (None, "", 0):
        return phase, None
    if type(minutes) not in (int, float) or not 0 < minutes <= TIMER_MAX_MINUTES:
        raise RuleError("invalid", {"minutes": "invalid"})
    return phase, now + dt.timedelta(seconds=round(minutes * 60))
