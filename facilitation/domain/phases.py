"""The phases a session moves through; the facilitator may move it in any order."""

from enum import Enum


class Phase(str, Enum):
    LOBBY = "lobby"
    INITIATIVES = "initiatives"
    CLOSED = "closed"

    @property
    def accepts_initiatives(self):
        return self is Phase.INITIATIVES

    @classmethod
    def parse(cls, value):
        """The Phase called `value`, or None."""
        try:
            return cls(value)
        except ValueError:
            return None
