"""Short join codes that survive being read aloud or typed on a phone."""

import secrets

# no 0/O, 1/I/L, 2/Z, 5/S, 8/B: nothing two people could read differently
ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
LENGTH = 6


def new_join_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_join_code(raw):
    """Upper-case and strip separators; None when it cannot be a join code."""
    if not isinstance(raw, str):
        return None
    code = "".join(ch for ch in raw.upper() if ch not in " -_.")
    if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code
