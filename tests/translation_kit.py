"""What the translation tests share: the real Apertium (skipped where it is not installed,
failed under CI=true, where .ci/run installs it), and a small LibreTranslate-compatible
HTTP server the test starts and steers."""

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from facilitation.translation.apertium import Apertium


def need_apertium():
    """The real engine with the pairs the app needs (en-es, es-en, fr-es, es-fr)."""
    engine = Apertium()
    pairs = [("en", "es"), ("es", "en"), ("fr", "es"), ("es", "fr")]
    if not engine.installed() or not all(engine.route(*pair) for pair in pairs):
        reason = "apertium, apertium-eng-spa and apertium-fr-es are not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason} (CI=true: .ci/run must install them)", pytrace=False)
        pytest.skip(reason)
    return engine


class FakeLibreTranslate:
    """A LibreTranslate-compatible service on a free port of 127.0.0.1. It answers
    `POST /translate` with each text marked `[target] text`; `failures` answers in a row
    with `status` first, `delay` seconds before each answer. `requests` holds every body."""

    def __init__(self, port=0):
        self.requests = []
        self.failures, self.status, self.delay = 0, 503, 0.0
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802 (http.server's name)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with owner.lock:
                    owner.requests.append({"path": self.path, **body})
                    failing = owner.failures > 0
                    if failing:
                        owner.failures -= 1
                    delay, status = owner.delay, owner.status
                if delay:
                    time.sleep(delay)
                if self.path != "/translate":
                    return self._answer(404, {"error": "not found"})
                if failing:
                    return self._answer(status, {"error": "unavailable"})
                texts = body["q"] if isinstance(body["q"], list) else [body["q"]]
                translated = [f"[{body['target']}] {t}" for t in texts]
                self._answer(200, {"translatedText": translated})

            def _answer(self, status, data):
                raw = json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:
                    pass  # the client gave up waiting

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def fail(self, count, status=503):
        with self.lock:
            self.failures, self.status = count, status

    def calls(self):
        with self.lock:
            return len(self.requests)

    def close(self):
        self.server.shutdown()
        self.server.server_close()
