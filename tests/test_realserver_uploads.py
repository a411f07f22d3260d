"""A stranger's huge upload to the import route is refused before it is read (real server).

The body is streamed over a raw socket while the test watches for the answer: it counts
how many bytes the server had taken when it answered. A server that parsed the upload
first would take all 100 MB (and spool them to temporary files) before answering."""

import select
import socket
import time

import pytest
import requests
from realserver import RealServer

pytestmark = pytest.mark.realserver

UPLOAD = 100 * 1024 * 1024
CHUNK = 64 * 1024
BOUNDARY = "x-boundary"


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1])


def temp_bytes(folder):
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def stream_upload(server, deadline=60.0):
    """POST a 100 MB file to /facilitator/import, anonymously; returns (bytes sent before
    the answer came, the answer's status line)."""
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="w.json"\r\n'
        "Content-Type: application/json\r\n\r\n"
    ).encode()
    request = (
        "POST /facilitator/import HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{server.port}\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
        f"Content-Length: {UPLOAD}\r\n\r\n"
    ).encode()
    filler = b" " * CHUNK
    sent, answer = 0, b""
    stop = time.monotonic() + deadline
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
        conn.sendall(request + head)
        conn.setblocking(False)
        while sent < UPLOAD and time.monotonic() < stop:
            readable, writable, _ = select.select([conn], [conn], [], 1.0)
            if readable:
                break
            if writable:
                try:
                    sent += conn.send(filler[: min(CHUNK, UPLOAD - sent)])
                except (BrokenPipeError, ConnectionResetError):
                    break
        conn.setblocking(True)
        conn.settimeout(10)
        try:
            answer = conn.recv(4096)
        except (ConnectionResetError, TimeoutError):
            answer = b""
    return sent, answer.split(b"\r\n", 1)[0].decode(errors="replace")


def test_an_anonymous_100_mb_upload_is_refused_before_it_is_read(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    server = RealServer(tmp_path / "server", env={"TMPDIR": str(temp)}).start()
    try:
        before = rss_kb(server.process.pid)
        results = [stream_upload(server) for _ in range(3)]
        for sent, status in results:
            print(f"sent before the answer: {sent / 1024 / 1024:.1f} MB; answer: {status}")
            assert status.startswith("HTTP/1.1 413"), status
            # what the socket buffers hold, far from the 100 MB of the upload
            assert sent < 16 * 1024 * 1024, sent
        grown = rss_kb(server.process.pid) - before
        print(f"server memory grew by {grown} KB; temporary files: {temp_bytes(temp)} bytes")
        assert grown < 50 * 1024
        assert temp_bytes(temp) == 0
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
    finally:
        server.stop()
