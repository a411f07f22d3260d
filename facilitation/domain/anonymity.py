"""Who may see participants' names: a workshop setting."""

from enum import StrEnum


class Anonymity(StrEnum):
    PUBLIC = "public"  # everyone sees names
    FACILITATORS = "facilitators"  # only facilitators see names
    HIDDEN = "hidden"  # nobody, exports included

    def names_for(self, facilitator):
        if self is Anonymity.HIDDEN:
            return False
        return facilitator or self is Anonymity.PUBLIC

    @classmethod
    def parse(cls, value):
        try:
            return cls(value)
        except ValueError:
            return None
