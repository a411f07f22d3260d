"""The phases a session moves through; the facilitator may move it in any order and back."""

from enum import StrEnum


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
