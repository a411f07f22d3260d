"""The page-weight benchmark runs end to end and prints its figures (they are not held to a
threshold here: benchmarks print numbers, docs/performance.md records them)."""

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
FIGURES = re.compile(
    r"^(first load|reload): (\d+) requests, ([\d.]+) KB transferred .*?, (\d+) from the browser"
    r" cache; live snapshot over the socket: ([\d.]+) KB$",
    re.M,
)

pytestmark = [pytest.mark.browser, pytest.mark.realserver]


def test_page_weight_benchmark_prints_its_figures():
    if importlib.util.find_spec("playwright") is None or not os.access(CHROMIUM, os.X_OK):
        reason = "Playwright for Python or /usr/bin/chromium is missing"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true, so browser tests must run)")
        pytest.skip(reason)
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "page_weight.py"), "--initiatives", "3"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    figures = {m[0]: m[1:] for m in FIGURES.findall(done.stdout)}
    assert set(figures) == {"first load", "reload"}, done.stdout
    requests, kilobytes, cached, socket_kb = figures["first load"]
    assert int(requests) >= 3 and float(kilobytes) > 0 and float(socket_kb) > 0, done.stdout
    assert int(cached) == 0, "a first load starts with an empty cache"
    assert int(figures["reload"][2]) > 0, "a reload takes the fingerprinted files from the cache"
    assert re.search(r"target <= 100 KB compressed: (met|NOT met)", done.stdout), done.stdout
