"""How long the room waits while a facilitator downloads a large export.

Seeds bench/exports.py's workshop (N initiatives, 1,000 participants, 300 barriers and
enablers, the votes) into a fresh SQLite file, starts the real server on it (`python
app.py`, eventlet, as tests/realserver.py does), then downloads each format while another
client asks `/healthz` over and over. Prints, per format: how long the download took, how
many answers arrived meanwhile, and the longest and median wait for one answer. A server
that cannot serve anyone during an export waits about as long as the download once.

    .venv/bin/python bench/export_pauses.py --sizes 1000,10000 --formats xlsx,docx

Prints figures; asserts nothing (tests/test_realserver_export_pace.py checks the rule).
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import requests  # noqa: E402
from realserver import RealServer, start_seeded  # noqa: E402

PATHS = {
    "csv": "export/csv",
    "xlsx": "export/xlsx",
    "json": "export/json",
    "docx": "report.docx",
    "pdf": "report.pdf",
}


def one(server, http, fmt):
    """(download s, answers that arrived before it was done, longest and median wait s of
    the requests asked while it ran)."""
    done = {}

    def download():
        started = time.perf_counter()
        response = http.get(f"{server.url}/facilitator/workshops/1/{PATHS[fmt]}", timeout=600)
        response.raise_for_status()
        done["seconds"] = time.perf_counter() - started

    worker = threading.Thread(target=download)
    worker.start()
    waits, answers = [], 0  # every wait asked during the download; answers before its end
    while worker.is_alive():
        asked = time.perf_counter()
        requests.get(f"{server.url}/healthz", timeout=600).raise_for_status()
        waits.append(time.perf_counter() - asked)
        answers += worker.is_alive()
    worker.join()
    if "seconds" not in done:
        raise SystemExit(f"the {fmt} download failed")
    return done["seconds"], answers, max(waits), statistics.median(waits)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="initiative counts, a,b")
    parser.add_argument("--votes", type=int, default=20000)
    parser.add_argument("--formats", default="csv,xlsx,json,docx", help=", ".join(PATHS))
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
    unknown = sorted(set(formats) - set(PATHS))
    if unknown:
        parser.error(f"unknown formats: {', '.join(unknown)}")
    print(
        "| initiatives | format | download s | /healthz answers meanwhile"
        " | longest wait ms | median wait ms |"
    )
    print("| ---: | --- | ---: | ---: | ---: | ---: |")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="export-pauses-") as folder:
            server = RealServer(folder)
            http = start_seeded(server, size, args.votes)
            try:
                for fmt in formats:
                    seconds, answers, longest, median = one(server, http, fmt)
                    print(
                        f"| {size:,} | {fmt} | {seconds:.2f} | {answers} | "
                        f"{longest * 1000:.0f} | {median * 1000:.1f} |",
                        flush=True,
                    )
            finally:
                server.stop()


if __name__ == "__main__":
    main()
