"""The phases a session moves through (the facilitator may move it in any order and back,
step by step in ORDER), and the countdown that may close a phase's writes at zero."""

import datetime as dt
import math
from dataclasses import dataclass, replace
from enum import StrEnum

from .errors import RuleError


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


ORDER = tuple(Phase)  # the steps of a session, first to last


def next_phase(phase):
    """The step after `phase`, or None after the last."""
    index = ORDER.index(Phase(phase))
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def previous_phase(phase):
    """The step before `phase`, or None before the first."""
    index = ORDER.index(Phase(phase))
    return ORDER[index - 1] if index > 0 else None


MINUTE = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Countdown:
    """A phase's countdown as a session keeps it: running until `ends_at`, or paused with
    `paused_seconds` left (ends_at then None), or none (both None). With `auto_close` the
    phase refuses its writes once a running countdown reaches zero; a paused one never
    closes. Times are naive UTC."""

    ends_at: dt.datetime | None = None
    paused_seconds: int | None = None
    auto_close: bool = False

    def time_is_up(self, now):
        return self.paused_seconds is None and self.ends_at is not None and now >= self.ends_at

    def closes_writes(self, now):
        """True when the phase no longer accepts its writes: auto-close on, time up."""
        return bool(self.auto_close) and self.time_is_up(now)

    def seconds_left(self, now):
        """Whole seconds left (rounded up), the paused ones, or None without a countdown."""
        if self.paused_seconds is not None:
            return self.paused_seconds
        if self.ends_at is None:
            return None
        return max(0, math.ceil((self.ends_at - now).total_seconds()))

    def pause(self, now):
        """Stop the clock with its seconds left; a countdown already at zero stays as it is."""
        if self.ends_at is None or self.time_is_up(now):
            return self
        return replace(self, ends_at=None, paused_seconds=self.seconds_left(now))

    def resume(self, now):
        if self.paused_seconds is None:
            return self
        ends_at = now + dt.timedelta(seconds=self.paused_seconds)
        return replace(self, ends_at=ends_at, paused_seconds=None)

    def add_minute(self, now):
        """One more minute: on the seconds left, paused or running; a countdown at zero (or
        none) runs again for one minute from now, which opens an auto-closed phase again."""
        if self.paused_seconds is not None:
            return replace(self, paused_seconds=self.paused_seconds + 60)
        return replace(self, ends_at=max(self.ends_at or now, now) + MINUTE)


def countdown_of(session):
    """The Countdown a session (any object with the phase_* fields of a session) keeps."""
    return Countdown(
        session.phase_ends_at, session.phase_paused_seconds, bool(session.phase_auto_close)
    )


def require_open(session, accepts, now):
    """Refuse (RuleError "phase_closed") a write of the kind `accepts` ("initiatives",
    "proposals", "votes", "sdg_picks") unless the session's phase takes it and its countdown
    has not closed it. Decided from the session's stored values alone, so every process
    answers alike."""
    if not getattr(Phase(session.phase), f"accepts_{accepts}"):
        raise RuleError("phase_closed")
    if countdown_of(session).closes_writes(now):
        raise RuleError("phase_closed")
