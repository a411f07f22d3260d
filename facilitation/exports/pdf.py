"""The printable report as PDF, drawn by WeasyPrint from the same HTML the browser prints.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0); without it `available()`
is False and the report page offers the browser's own "Save as PDF" instead.

Laying out a report takes WeasyPrint seconds of CPU (13 s for 100 initiatives, 300 barriers
and enablers and 1,000 participants; docs/performance.md), and it never yields: in the
server's process, every live connection would wait that long. So `render` hands the HTML
to a child process (`python -m facilitation.exports.pdf_child`, through a pipe) and waits for
it as eventlet or gevent wait for any subprocess, letting the rest of the room go on.
"""

import json
import mimetypes
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urljoin, urlsplit

TIMEOUT = 240  # seconds a report may take: within nginx's proxy_read_timeout (300 s)
DRAWING = threading.BoundedSemaphore(2)  # children at once; more requests wait their turn
_STYLESHEET = re.compile(r'<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"')


def available():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def assets(html, base_url, app):
    """What `html` may load, read here where the app runs: its /static/ folder, and each
    stylesheet the app makes on request (such as /sdg.css), by absolute URL."""
    made = {}
    with app.test_client() as client:
        for href in _STYLESHEET.findall(html):
            url = urljoin(base_url, href.replace("&amp;", "&"))
            parts = urlsplit(url)
            if not url.startswith(base_url) or parts.path.startswith("/static/"):
                continue
            response = client.get(parts.path, query_string=parts.query)
            if response.status_code == 200:
                made[url] = [response.mimetype or "text/css", response.get_data(as_text=True)]
    return {"static": app.static_folder, "made": made}


def render(html, base_url, app):
    """PDF bytes of `html`, drawn in a child process (at most two at once) with what
    `assets` found, nothing from outside. Raises RuntimeError if the child fails or takes
    longer than TIMEOUT."""
    job = json.dumps({"html": html, "base_url": base_url, "assets": assets(html, base_url, app)})
    with DRAWING:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "facilitation.exports.pdf_child"],
                input=job.encode(),
                capture_output=True,
                timeout=TIMEOUT,
                cwd=Path(__file__).resolve().parents[2],
                check=False,
            )
        except Exception as error:  # eventlet's TimeoutExpired is its own class
            raise RuntimeError(f"PDF renderer failed: {error!r}") from error
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"PDF renderer exited with {done.returncode}: {tail}")
    return done.stdout


def document(html, base_url, found):
    """`html` laid out in pages by WeasyPrint (its pages' boxes can be walked). Only what
    `found` (from `assets`) holds is loaded: made stylesheets, files of the static folder."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse
    from werkzeug.security import safe_join

    class AppFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url in found["made"]:
                content_type, text = found["made"][url]
                return URLFetcherResponse(
                    url, body=text.encode(), headers={"Content-Type": content_type}
                )
            path = urlsplit(url).path
            file = None
            if url.startswith(base_url) and path.startswith("/static/"):
                file = safe_join(found["static"], path.removeprefix("/static/"))
            if file is None or not Path(file).is_file():
                raise ValueError(f"not fetched: {url}")
            content_type = mimetypes.guess_type(file)[0] or "application/octet-stream"
            body = Path(file).read_bytes()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return HTML(string=html, base_url=base_url, url_fetcher=AppFetcher()).render()
