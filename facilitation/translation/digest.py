"""The digest a stored translation keeps of the text it translates: a changed text has
another digest, so it is translated again."""

import hashlib


def digest(text):
    """sha256 hex of the text (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
