"""Checking form and event fields: one place for the text rules every validator shares."""

from .errors import RuleError


class FieldErrors:
    """Collects field error codes (and the length limit each broke); raises them at once."""

    def __init__(self):
        self.errors = {}
        self.limits = {}

    def add(self, field, code, limit=None):
        self.errors.setdefault(field, code)
        if limit is not None:
            self.limits[field] = limit

    def text(self, payload, field, limit, required=True, single_line=True):
        """The cleaned text of `field` ("" when missing); `null` or a non-string is invalid.

        Single-line texts have runs of whitespace folded into one space.
        """
        value = payload.get(field, "") if field in payload else ""
        if not isinstance(value, str):
            self.add(field, "invalid")
            return ""
        value = " ".join(value.split()) if single_line else value.strip()
        if required and not value:
            self.add(field, "required")
        elif len(value) > limit:
            self.add(field, "too_long", limit)
        return value

    def raise_if_any(self):
        if self.errors:
            raise RuleError("invalid", self.errors, self.limits)


ID_MAX = 2**63 - 1  # the largest id a database integer column holds


def is_id(value):
    """True for a plain positive integer a database id can be (never a bool or a float)."""
    return type(value) is int and 0 < value <= ID_MAX
