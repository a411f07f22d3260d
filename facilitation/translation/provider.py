"""What every translation engine offers the worker (worker.py).

`translate(texts, source, target)` returns one translation per text, in order, or raises
ProviderError (the engine failed or is unreachable; the worker tries again later).
`supports(source, target)` says whether the engine translates that pair at all: a pair it
does not know is left untranslated, never retried. Languages are the app's codes ("en").
"""


class ProviderError(Exception):
    """The engine could not translate now (down, slow, broken answer)."""


class Provider:
    name = "none"

    def supports(self, source, target):
        raise NotImplementedError

    def translate(self, texts, source, target):
        raise NotImplementedError

    def ready(self):
        """A cheap guess, without calling the engine, of whether it will answer."""
        return True

    def probe(self):
        """Whether the engine answers now: one short text through any pair it supports."""
        raise NotImplementedError
