"""The PDF report against the real server (`python app.py`, eventlet): WeasyPrint draws it
in a child process, so the server keeps answering everyone else meanwhile. Without the
child, the server's only thread would be inside WeasyPrint until the PDF was done."""

import threading
from pathlib import Path

import pytest
import requests
from realserver import RealServer, add_session, create_facilitator, create_workshop, wait_until

pytestmark = pytest.mark.realserver


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = RealServer(tmp_path_factory.mktemp("pdf-server")).start()
    yield running
    running.stop()


def renderers(server):
    """Pids of the PDF child processes the server is running now."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if b"facilitation.exports.pdf_child" in command and parent == server.process.pid:
            found.append(int(proc.name))
    return found


def test_the_server_answers_while_a_pdf_is_drawn(server):
    http = create_facilitator(server)
    workshop_id = create_workshop(server, http, "Report")
    add_session(server, http, workshop_id, "English group", "en")
    answer = {}

    def download():
        url = f"{server.url}/facilitator/workshops/{workshop_id}/report.pdf"
        answer["pdf"] = http.get(url, timeout=300)

    downloading = threading.Thread(target=download)
    downloading.start()
    try:
        started = wait_until(lambda: renderers(server), timeout=30)
        assert started or "pdf" in answer, "no PDF child started"
        if "pdf" in answer and answer["pdf"].status_code == 503:
            pytest.skip("WeasyPrint cannot run here: the route answered 503 as designed")
        child = renderers(server)
        health = requests.get(f"{server.url}/healthz", timeout=30)
        assert health.status_code == 200
        # a server stuck until the PDF is done answers only once its child has exited
        still = set(child) & set(renderers(server))
        assert still, "the server answered only once the PDF was done"
    finally:
        downloading.join(timeout=300)
    assert answer["pdf"].status_code == 200
    assert answer["pdf"].content.startswith(b"%PDF")
    assert not renderers(server)
