"""Lighthouse on the participant page, in every phase, as a phone sees it.

Starts the real server (`python app.py`, as tests/realserver.py does) with a fresh SQLite
file, opens a workshop whose session other people fill as the phases go (the live pages'
test room: initiatives, merged barriers and enablers, dots, SDG picks, results shown to
participants), joins a participant, then moves the session through every phase and runs
Lighthouse (npm, pinned in package.json; Node 20) with its default mobile emulation and
throttling on the participant page, driving Debian's Chromium (CHROME_PATH).

    .venv/bin/python bench/lighthouse.py [--phases lobby,voting] [--runs 1] [--json-dir DIR]

Prints performance, accessibility and best-practices per phase (0-100; every phase but
`closed`, whose page a new load finds gone) and, for scores under
100, the audits that cost points; asserts nothing. Targets: accessibility 100, best practices
100, performance 95 or more.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

from browser_kit import PHASES, Room  # noqa: E402

# a closed session's page answers 404 ("this session has ended") to a new load, which
# Lighthouse refuses to score; the open page shows the closing as a live change
SCORED = [phase for phase in PHASES if phase != "closed"]
from realserver import RealServer, cookie_header, create_facilitator, join  # noqa: E402

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ["performance", "accessibility", "best-practices"]
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-background-networking"


def lighthouse(url, cookie, out):
    """One Lighthouse run of `url` (mobile, simulated throttling); its JSON report."""
    command = [
        "node",
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
    subprocess.run(command, check=True, env=env, timeout=300, cwd=ROOT)
    return json.loads(Path(out).read_text())


def scores(report):
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def lost_points(reports):
    """The audits of the three categories that did not pass in some run: their lowest
    score and what they measured (`displayValue`) in each run."""
    lost = {}
    for report in reports:
        for category in CATEGORIES:
            for ref in report["categories"][category]["auditRefs"]:
                audit = report["audits"][ref["id"]]
                if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                    lost.setdefault((category, ref["id"], audit["title"]), []).append(audit)
    return [
        f"{category}: {title} ({name}): lowest {min(a['score'] for a in audits)};"
        f" {', '.join(a.get('displayValue', '') for a in audits)}"
        for (category, name, title), audits in sorted(lost.items())
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", default=",".join(SCORED), help="comma-separated phases")
    parser.add_argument("--runs", type=int, default=1, help="runs per phase (median shown)")
    parser.add_argument("--json-dir", help="keep each JSON report in this folder")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: run `npm ci`")
    wanted = args.phases.split(",")

    with tempfile.TemporaryDirectory() as workdir:
        server = RealServer(Path(workdir)).start()
        try:
            facilitator = create_facilitator(server)
            room = Room(server, facilitator, "en")
            me = join(server, room.session, "Bo Lindqvist", "Oslo kommune", "Norway")
            cookie = cookie_header(me.http)
            url = f"{server.url}/s/{room.session.code}"
            print(f"Lighthouse on {url}, mobile emulation, {args.runs} run(s) per phase")
            print(f"{'phase':<12} {'performance':>12} {'accessibility':>14} {'best-practices':>15}")
            for phase in SCORED:
                room.move_to(phase)
                room.seed(phase)
                if phase not in wanted:
                    continue
                runs = []
                for run in range(args.runs):
                    folder = Path(args.json_dir or workdir)
                    folder.mkdir(parents=True, exist_ok=True)
                    report = lighthouse(url, cookie, folder / f"lighthouse-{phase}-{run}.json")
                    runs.append(report)
                median = {c: statistics.median(scores(r)[c] for r in runs) for c in CATEGORIES}
                print(
                    f"{phase:<12} {median['performance']:>12g} {median['accessibility']:>14g}"
                    f" {median['best-practices']:>15g}",
                    flush=True,
                )
                if len(runs) > 1:
                    each = ", ".join(str(scores(r)["performance"]) for r in runs)
                    print(f"    performance of each run: {each}")
                for line in lost_points(runs):
                    print(f"    {line}")
            room.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
