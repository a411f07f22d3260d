"""The export benchmark runs end to end on a tiny workshop (its figures are not checked:
benchmarks print numbers, tests never assert timings)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_export_benchmark_smoke_run():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exports.py"), "--sizes", "30"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert re.search(r"^seeded 30 initiatives, 300 items, 20000 votes", done.stdout, re.M)
    for fmt in ("csv", "xlsx", "json"):
        line = re.search(rf"^\s+30\s+{fmt}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+", done.stdout, re.M)
        assert line is not None, (fmt, done.stdout)
        assert float(line.group(3)) > 0  # a peak RSS was measured


def test_benchmark_refuses_an_unknown_format():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "exports.py"), "--sizes", "5", "--formats", "odt"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "unknown formats: odt" in done.stderr
