"""The printable report as PDF, drawn by WeasyPrint from the same HTML the browser prints.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0); without it `available()`
is False and the report page offers the browser's own "Save as PDF" instead.

Laying out a report takes WeasyPrint seconds of CPU (13 s for 100 initiatives, 300 barriers
and enablers and 1,000 participants; docs/performance.md), and it never yields: in the
server's process, every live connection would wait that long. So `render` hands the HTML
to a child process (`python -m facilitation.exports.pdf`, through a pipe) and waits for
it as eventlet or gevent wait for any subprocess, letting the rest of the room go on.
"""

import json
import mimetypes
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

TIMEOUT = 600  # seconds a report may take before the request fails


def available():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render(html, base_url, app):
    """PDF bytes of `html`, drawn in a child process; its stylesheets come from `app`'s
    static folder, nothing from outside. Raises RuntimeError if the child fails."""
    job = json.dumps({"html": html, "base_url": base_url, "static": app.static_folder})
    done = subprocess.run(
        [sys.executable, "-m", "facilitation.exports.pdf"],
        input=job.encode(),
        capture_output=True,
        timeout=TIMEOUT,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-2000:]
        raise RuntimeError(f"PDF renderer exited with {done.returncode}: {tail}")
    return done.stdout


def document(html, base_url, static_folder):
    """`html` laid out in pages by WeasyPrint (its pages' boxes can be walked). Only
    `base_url`'s /static/ files are fetched, from `static_folder`."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse
    from werkzeug.security import safe_join

    class StaticFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            path = urlsplit(url).path
            found = None
            if url.startswith(base_url) and path.startswith("/static/"):
                found = safe_join(static_folder, path.removeprefix("/static/"))
            if found is None or not Path(found).is_file():
                raise ValueError(f"not fetched: {url}")
            content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
            body = Path(found).read_bytes()
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})

    return HTML(string=html, base_url=base_url, url_fetcher=StaticFetcher()).render()


def main():
    """The child: a job as JSON on stdin, the PDF on stdout."""
    job = json.load(sys.stdin)
    sys.stdout.buffer.write(document(job["html"], job["base_url"], job["static"]).write_pdf())


if __name__ == "__main__":
    main()
