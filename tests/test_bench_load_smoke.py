"""The live-load and history benchmarks run end to end with tiny numbers and print their
figures. No thresholds: the timings they print are for docs/performance.md, not for tests."""

import re
import subprocess

import pytest
from realserver import PYTHON, ROOT
from services import RedisServer, need, postgres_bindir

pytestmark = pytest.mark.realserver

NUMBER = r"\d+(?:\.\d+)?"


def bench(*args, timeout=240):
    """Run a bench script; returns what it printed (it must exit 0)."""
    result = subprocess.run(
        [str(PYTHON), *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


def row(output, name):
    """The cells of the table row named `name`."""
    found = re.search(rf"^\| {re.escape(name)} \|(.*)\|$", output, re.MULTILINE)
    assert found, f"no row {name!r} in:\n{output}"
    return [cell.strip() for cell in found.group(1).split("|")]


TINY_LOAD = ["--participants", 6, "--post-seconds", 2, "--vote-seconds", 2]
TINY_LOAD += ["--vote-rate", 10, "--http-joins", 2]
FIGURES = [
    "connect + snapshot p95 (ms)",
    "fan-out to whole session p50 (ms)",
    "fan-out to whole session p95 (ms)",
    "fan-out to whole session p99 (ms)",
    "votes accepted per second",
    "vote on screen p95 (ms)",
    "server CPU during votes (% of a core)",
    "server memory per participant (KiB)",
]


def check_load(output, labels):
    assert row(output, "figure") == labels
    assert row(output, "participants connected") == ["6"] * len(labels)
    for name in FIGURES:
        for cell in row(output, name):
            assert re.fullmatch(NUMBER, cell), (name, cell)
    for cell in row(output, "join through the form p50 (ms)")[::2]:  # app columns
        assert re.fullmatch(NUMBER, cell), cell
    assert row(output, "errors") == ["none"] * len(labels)
    # the second table: the app's figures relative to the bare server's, one per mode
    ratios = output.split("app relative to bare", 1)[1]
    for name in ("fan-out to whole session p95 (ms)", "votes accepted per second"):
        (cell,) = row(ratios, name)
        assert re.fullmatch(NUMBER, cell), (name, cell)


def test_the_load_benchmark_runs_against_the_app_and_the_bare_server():
    output = bench(ROOT / "bench" / "load.py", *TINY_LOAD)
    check_load(output, ["eventlet app", "eventlet bare"])


def test_the_load_benchmark_runs_two_processes_with_redis_and_postgresql():
    need(RedisServer)
    need(postgres_bindir)
    output = bench(ROOT / "bench" / "load.py", *TINY_LOAD, "--processes", 2)
    assert "6 participants, 2 process(es)" in output
    check_load(output, ["eventlet app", "eventlet bare"])
    assert re.fullmatch(NUMBER, row(output, "PostgreSQL + Redis CPU during votes (% of a core)")[0])


def test_the_load_benchmark_runs_one_address_and_one_session_through_nginx():
    """With a listening client process (its connections speak the wire protocol): every
    post must reach its 3 participants too (a missed delivery is an error, and fan-out
    waits for the whole audience)."""
    need(RedisServer)
    need(postgres_bindir)
    output = bench(
        ROOT / "bench" / "load.py",
        *TINY_LOAD,
        *("--processes", 2, "--one-address", "--one-session", "--listeners", 1),
    )
    assert "6 participants, 2 process(es) through nginx from one address, all in one session" in (
        output
    )
    assert "; client processes listening besides: 1" in output
    check_load(output, ["eventlet app", "eventlet bare"])
    # 6 participants and the facilitator over 2 processes, round-robin
    spread = row(output, "connections per process (through nginx)")[0].split(" / ")
    assert sorted(int(n) for n in spread) == [3, 4], spread
    # nginx's CPU is the app's column only: the bare servers are reached directly
    assert re.fullmatch(NUMBER, row(output, "nginx CPU during posts (% of a core)")[0])
    assert row(output, "nginx CPU during posts (% of a core)")[1] == "-"


def test_the_history_benchmark_compares_two_board_sizes():
    output = bench(ROOT / "bench" / "history.py", "--sizes", "20,200", "--posts", 5, "--rate", 5)
    assert row(output, "figure") == ["20 initiatives", "200 initiatives"]
    assert row(output, "posts acknowledged") == ["5", "5"]
    assert row(output, "listener heard (with 3 warm-up posts)") == ["8", "8"]
    assert row(output, "snapshot initiatives") == ["28", "200"]  # the newest page
    assert row(output, "board size in the snapshot") == ["28", "208"]
    for cell in row(output, "post ack p50 (ms)") + row(output, "post ack p95 (ms)"):
        assert re.fullmatch(NUMBER, cell), cell
    assert row(output, "errors") == ["none", "none"]
    assert re.search(rf"per-post latency p50, 200 / 20 initiatives: {NUMBER}$", output, re.M)
