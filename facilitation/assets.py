"""Static files under fingerprinted URLs (`?v=<hash of the content>`), cached for a year.

A changed file gets a new URL, so browsers on weak connections keep everything else.
"""

import hashlib
from pathlib import Path

from flask import request

YEAR = 365 * 24 * 3600


def init_app(app):
    digests = {}
    root = Path(app.static_folder)

    def digest(filename):
        path = root / filename
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            return None
        if digests.get(filename, (None,))[0] != stamp:
            digests[filename] = (stamp, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
        return digests[filename][1]

    @app.url_defaults
    def fingerprint(endpoint, values):
        if endpoint == "static" and "v" not in values:
            version = digest(values.get("filename", ""))
            if version:
                values["v"] = version

    @app.after_request
    def cache_fingerprinted(response):
        if request.endpoint == "static" and request.args.get("v") and response.status_code == 200:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
        return response
