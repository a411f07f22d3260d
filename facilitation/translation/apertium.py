"""Apertium, through Debian's `apertium` command: offline, the default engine.

Debian names its modes with two- or three-letter codes (`eng-spa`, `spa-eng`, `fr-es`,
`es-fr`); the pairs come from the modes directory. English and French have no direct pair:
they go through Spanish (two runs). One run translates a whole batch: the texts travel as
one HTML document (`-f html`), each text escaped, its line breaks as `<br/>` and the texts
apart by `<hr/>`, tags Apertium passes through untouched; so a text's newlines and its
markup-like characters come back as they were. A run starts about ten small processes
(0.2 s on an idle machine), whatever the batch's size.

Under eventlet the run uses green pipes (eventlet.green.subprocess): the event loop goes on
while Apertium works.
"""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

from .provider import Provider, ProviderError

MODES_DIR = "/usr/share/apertium/modes"
PIVOT = "es"
# the app's language codes and the codes Apertium's modes may use for them
CODES = {"en": ("en", "eng"), "es": ("es", "spa"), "fr": ("fr", "fra", "fre")}
TEXT = re.compile(r"<p>(.*?)</p><hr/>", re.S)
BREAK = re.compile(r"<br\s*/?>")


def _subprocess():
    """The subprocess module that does not stop the event loop (eventlet's green one when
    the process is monkey-patched)."""
    if "eventlet" in sys.modules:
        from eventlet import patcher

        if patcher.is_monkey_patched("socket"):
            from eventlet.green import subprocess as green

            return green
    return subprocess


def encode(texts):
    return "".join(
        "<p>" + html.escape(t, quote=False).replace("\n", "<br/>") + "</p><hr/>" for t in texts
    )


def decode(output, count):
    found = TEXT.findall(output)
    if len(found) != count:
        raise ProviderError(f"apertium returned {len(found)} texts for {count}")
    return [html.unescape(BREAK.sub("\n", t)) for t in found]


class Apertium(Provider):
    name = "apertium"

    def __init__(self, binary="apertium", modes_dir=MODES_DIR, timeout=60.0):
        self.binary, self.timeout = binary, timeout
        self.modes_dir = Path(modes_dir)

    def installed(self):
        """Whether the command exists and knows at least one pair."""
        return shutil.which(self.binary) is not None and bool(self.modes())

    def ready(self):
        return self.installed()

    def modes(self):
        try:
            return {p.stem for p in self.modes_dir.glob("*.mode")}
        except OSError:
            return set()

    def _mode(self, source, target, modes):
        for a in CODES.get(source, (source,)):
            for b in CODES.get(target, (target,)):
                if f"{a}-{b}" in modes:
                    return f"{a}-{b}"
        return None

    def route(self, source, target):
        """The modes a text goes through, in order: one direct, two through Spanish, or
        None when the pair cannot be translated."""
        modes = self.modes()
        direct = self._mode(source, target, modes)
        if direct:
            return [direct]
        if PIVOT in (source, target):
            return None
        first, second = self._mode(source, PIVOT, modes), self._mode(PIVOT, target, modes)
        return [first, second] if first and second else None

    def supports(self, source, target):
        return source != target and self.route(source, target) is not None

    def translate(self, texts, source, target):
        route = self.route(source, target)
        if route is None:
            raise ProviderError(f"no apertium pair {source}-{target}")
        if not texts:
            return []
        for mode in route:
            texts = self._run(mode, texts)
        return texts

    def _run(self, mode, texts):
        process = _subprocess()
        try:
            done = process.run(
                [self.binary, "-u", "-f", "html", mode],
                input=encode(texts).encode("utf-8"),
                capture_output=True,
                timeout=self.timeout,
            )
        except (OSError, subprocess.SubprocessError) as error:
            raise ProviderError(f"apertium {mode}: {error}") from error
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace")[-300:]
            raise ProviderError(f"apertium {mode} exited with {done.returncode}: {message}")
        return decode(done.stdout.decode("utf-8", "replace"), len(texts))

    def probe(self):
        for source, target in (("es", "en"), ("en", "es"), ("fr", "es"), ("es", "fr")):
            if self.supports(source, target):
                try:
                    return len(self.translate(["hola"], source, target)) == 1
                except ProviderError:
                    return False
        return False
