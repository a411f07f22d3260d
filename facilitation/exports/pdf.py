"""The printable report as PDF, drawn by WeasyPrint from the same HTML the browser prints.

WeasyPrint needs Pango from the system (Debian: libpango-1.0-0); without it `available()`
is False and the report page offers the browser's own "Save as PDF" instead.
"""

from urllib.parse import urlsplit


def available():
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


def render(html, base_url, app):
    """PDF bytes of `html`; its stylesheets come from `app` itself, nothing from outside."""
    return document(html, base_url, app).write_pdf()


def document(html, base_url, app):
    """`html` laid out in pages by WeasyPrint (its pages' boxes can be walked)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AppFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if not url.startswith(base_url):
                raise ValueError(f"not fetched: {url}")
            with app.test_client() as client:
                response = client.get(parts.path, query_string=parts.query, buffered=True)
                response.close()
            content_type = response.headers.get("Content-Type", "application/octet-stream")
            return URLFetcherResponse(
                url, body=response.get_data(), headers={"Content-Type": content_type}
            )

    return HTML(string=html, base_url=base_url, url_fetcher=AppFetcher()).render()
