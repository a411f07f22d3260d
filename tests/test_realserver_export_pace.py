"""Large exports against the real server (`python app.py`, eventlet): the workbook and the
Word report of a big workshop take seconds to write in the server's one thread, and the
room must keep being answered meanwhile (exports hand their rows out `paced`). Without
pacing, every request made during the download waits until the file is done."""

import re
import subprocess
import threading

import pytest
import requests
from realserver import PYTHON, ROOT, RealServer, start_seeded

pytestmark = pytest.mark.realserver

INITIATIVES = 800  # bench/exports.py's workshop: each download below takes seconds
ANSWERS = 5  # /healthz answers that must arrive while one download is under way


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """The server, on a database seeded by bench/exports.py (workshop 1), and a signed-in
    facilitator of that workshop."""
    server = RealServer(tmp_path_factory.mktemp("export-pace"))
    http = start_seeded(server, INITIATIVES, votes=2000)
    yield server, http
    server.stop()


@pytest.mark.parametrize("path", ["export/xlsx", "report.docx"])
def test_the_server_answers_while_a_large_file_is_written(big, path):
    server, http = big
    answer = {}

    def download():
        answer["file"] = http.get(f"{server.url}/facilitator/workshops/1/{path}", timeout=300)

    downloading = threading.Thread(target=download)
    downloading.start()
    during = 0
    try:
        while downloading.is_alive():
            health = requests.get(f"{server.url}/healthz", timeout=300)
            assert health.status_code == 200
            during += downloading.is_alive()
    finally:
        downloading.join(timeout=300)
    assert answer["file"].status_code == 200, answer["file"].text[:500]
    assert answer["file"].content.startswith(b"PK")  # a zip: xlsx and docx alike
    assert during >= ANSWERS, f"{during} answers while {path} was written"


def test_the_pause_benchmark_runs_on_a_small_workshop():
    """bench/export_pauses.py end to end (its figures are printed, not checked)."""
    command = [str(PYTHON), str(ROOT / "bench" / "export_pauses.py"), "--sizes", "30"]
    command += ["--votes", "200", "--formats", "csv,docx"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    for fmt in ("csv", "docx"):
        assert re.search(
            rf"^\| 30 \| {fmt} \| [\d.]+ \| \d+ \| \d+ \| [\d.]+ \|$", done.stdout, re.M
        ), (
            fmt,
            done.stdout,
        )
