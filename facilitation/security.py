"""Response headers that every answer gets, local-only redirect targets, and the WSGI
wrapper that puts the headers on Engine.IO's answers too (they never pass through Flask)."""

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many

from .extensions import limiter

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
HSTS = "max-age=31536000"  # one year; sent only when cookies are Secure (served over HTTPS)


def headers_for(config):
    """The headers every answer carries under `config`."""
    found = dict(HEADERS)
    if config.get("SESSION_COOKIE_SECURE"):
        found["Strict-Transport-Security"] = HSTS
    return found


def add_security_headers(response):
    """after_request hook (create_app): Flask's own answers, error pages included."""
    for name, value in headers_for(current_app.config).items():
        response.headers.setdefault(name, value)
    return response


def account_room(facilitator_id):
    """The Socket.IO room of every connection a facilitator's account has open."""
    return f"account:{facilitator_id}"


def local_target(target, fallback):
    """`target` if it is a path on this site, else `fallback`. Browsers drop tabs and
    newlines from URLs and read `\\` as `/`, so `/\\t/evil.example` would leave the site:
    any control character, space or backslash refuses the target."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return fallback
    if any(ch <= " " or ch in "\\\x7f" for ch in target):
        return fallback
    return target


class SecureWSGI:
    """The outermost WSGI layer (create_app): adds the security headers an answer lacks
    (Engine.IO's polling answers bypass Flask), and, when no proxy is trusted
    (`PROXY_COUNT=0`), drops `X-Forwarded-*` request headers so neither Engine.IO's origin
    check nor anything else believes a client that claims to be a proxy."""

    def __init__(self, app, headers, trust_forwarded):
        self.app = app
        self.headers = list(headers.items())
        self.trust_forwarded = trust_forwarded

    def __call__(self, environ, start_response):
        if not self.trust_forwarded:
            for key in [k for k in environ if k.startswith("HTTP_X_FORWARDED_")]:
                del environ[key]

        def with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            extra = [(n, v) for n, v in self.headers if n.lower() not in present]
            return start_response(status, list(headers) + extra, exc_info)

        return self.app(environ, with_headers)


# Join-code guessing. Every join attempt is limited per address by JOIN_RATE_LIMIT (a
# generous figure: a whole room may join from one venue address). Failed guesses (a code
# that names no open session) are counted apart: strictly per address (JOIN_GUESS_LIMIT),
# and across all addresses (JOIN_GUESS_GLOBAL_LIMIT). While the whole code space is being
# guessed at beyond that, an address with a recent failed guess is refused even when its
# next code is right; addresses that never guessed wrong join as usual.

_GUESSES = "join-guess"
_ALL_GUESSES = "join-guess-all"


def _guess_limits(setting):
    return parse_many(current_app.config[setting])


def _guessing_on():
    return current_app.config.get("RATELIMIT_ENABLED", True)


def join_guessing_refused():
    """True when this address may not try a join code now (participant views ask first)."""
    if not _guessing_on():
        return False
    address, strategy = get_remote_address(), limiter.limiter
    mine = _guess_limits("JOIN_GUESS_LIMIT")
    if not all(strategy.test(item, _GUESSES, address) for item in mine):
        return True
    everyone = _guess_limits("JOIN_GUESS_GLOBAL_LIMIT")
    if all(strategy.test(item, _ALL_GUESSES) for item in everyone):
        return False
    stats = (strategy.get_window_stats(item, _GUESSES, address) for item in mine)
    return any(found.remaining < item.amount for found, item in zip(stats, mine, strict=True))


def count_failed_join_guess():
    """A code named no open session: one more failed guess for this address and for all."""
    if not _guessing_on():
        return
    address, strategy = get_remote_address(), limiter.limiter
    for item in _guess_limits("JOIN_GUESS_LIMIT"):
        strategy.hit(item, _GUESSES, address)
    for item in _guess_limits("JOIN_GUESS_GLOBAL_LIMIT"):
        strategy.hit(item, _ALL_GUESSES)
