"""The merge suggestions benchmarks run end to end, on small workshops and on the pair set
(their figures are not checked: benchmarks print numbers, tests never assert timings)."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_merge_suggestions_benchmark_prints_its_figures():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "merge_suggestions.py"), "--sizes", "20,40"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for size in (20, 40):
        assert re.search(rf"^\s+{size}\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+\d+$", done.stdout, re.M)
    for label in ("with", "without"):
        line = re.search(rf"^\s+{label}\s+\d+\s+([\d.]+)\s+([\d.]+)$", done.stdout, re.M)
        assert line is not None, (label, done.stdout)


def test_merge_pairs_benchmark_prints_precision_and_recall():
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "merge_pairs.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "30 known pairs" in done.stdout
    row = r"\s+(all|30)\s+\d+\s+\d+\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+\d+$"
    assert len(re.findall(rf"^\s+without{row}", done.stdout, re.M)) == 2, done.stdout
    if "apertium is not installed" not in done.stdout:
        assert len(re.findall(rf"^\s+with{row}", done.stdout, re.M)) == 2, done.stdout
