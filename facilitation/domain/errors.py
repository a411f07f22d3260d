"""Rule violations, named by stable codes; the web layers translate codes into sentences."""


class RuleError(Exception):
    """A request that breaks a rule. `code` is stable API; `fields` maps field -> code;
    `limits` gives the length limit a "too_long" or "too_short" field broke."""

    def __init__(self, code, fields=None, limits=None):
        super().__init__(code)
        self.code = code
        self.fields = dict(fields or {})
        self.limits = dict(limits or {})
