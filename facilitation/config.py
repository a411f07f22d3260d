"""Configuration from environment variables, with safe defaults for one machine."""

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
SOCKETIO_MAX_MESSAGE = 64 * 1024  # bytes of one Socket.IO message or long-polling request
SMALLEST_EVENT = 64  # bytes of the shortest event a page sends, with its ack id


def available_languages():
    """English (the source language) plus every locale that has a catalogue."""
    found = sorted(p.name for p in TRANSLATIONS.iterdir() if (p / "LC_MESSAGES").is_dir())
    return ["en"] + [code for code in found if code != "en"]


def _secret_key(instance_path):
    """SECRET_KEY from the environment, else one kept under instance/ across restarts."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # created 0600: never readable by others, not even for a moment
        try:
            made = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process starting at the same time made it
            pass
        else:
            with os.fdopen(made, "w") as file:
                file.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _database_url(url, db_path):
    """DATABASE_URL, with plain postgres:// URLs pointed at the psycopg 3 driver."""
    if not url:
        return f"sqlite:///{db_path}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _origins():
    """Origins allowed to open a socket: a comma list, else the page's own origin only."""
    raw = os.environ.get("SOCKETIO_ALLOWED_ORIGINS", "")
    return [o.strip() for o in raw.split(",") if o.strip()] or None


def _translation():
    """The translation engine: TRANSLATION if set ("apertium", "libretranslate", "off"),
    else LibreTranslate where TRANSLATION_URL names one, else Apertium where Debian's
    command and a language pair are installed, else off."""
    chosen = os.environ.get("TRANSLATION", "").strip().lower()
    if chosen:
        return chosen
    if os.environ.get("TRANSLATION_URL"):
        return "libretranslate"
    from .translation.apertium import MODES_DIR, Apertium

    binary = os.environ.get("APERTIUM_BINARY", "apertium")
    installed = Apertium(binary, os.environ.get("APERTIUM_MODES", MODES_DIR)).installed()
    return "apertium" if installed else "off"


def load_config(instance_path, overrides):
    """Settings from the environment, with `overrides` (tests) applied on top."""
    Path(instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
    db_path = Path(instance_path) / "facilitation.db"
    config = {
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": _database_url(os.environ.get("DATABASE_URL"), db_path),
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE"),
        "ASYNC_MODE": os.environ.get("FACILITATION_ASYNC_MODE", "eventlet"),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", ""),
        "LANGUAGES": available_languages(),
        "BABEL_TRANSLATION_DIRECTORIES": str(TRANSLATIONS),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SECURE_COOKIES", "") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "MAX_CONTENT_LENGTH": 64 * 1024,
        "IMPORT_MAX_BYTES": int(os.environ.get("IMPORT_MAX_BYTES", str(256 * 1024 * 1024))),
        # every join attempt per address (a whole room may share one venue address)
        "JOIN_RATE_LIMIT": os.environ.get("JOIN_RATE_LIMIT", "600 per minute"),
        # failed guesses (codes naming no open session): per address, and across all
        "JOIN_GUESS_LIMIT": os.environ.get("JOIN_GUESS_LIMIT", "10 per minute; 60 per hour"),
        "JOIN_GUESS_GLOBAL_LIMIT": os.environ.get("JOIN_GUESS_GLOBAL_LIMIT", "1000 per hour"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0")),
        "RESULTS_INTERVAL": float(os.environ.get("RESULTS_INTERVAL", "0.25")),
        # seconds a killed process's connections still count as connected (Redis presence)
        "PRESENCE_TTL": float(os.environ.get("PRESENCE_TTL", "15")),
        # initiatives per board page: snapshots carry the newest page, `initiative:page` more
        "BOARD_PAGE_SIZE": int(os.environ.get("BOARD_PAGE_SIZE", "200")),
        "WTF_CSRF_TIME_LIMIT": None,
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],
        "SOCKETIO_ALLOWED_ORIGINS": _origins(),
        "SOCKETIO_MAX_MESSAGE": SOCKETIO_MAX_MESSAGE,
        # packets one long-polling request may carry: as many of the smallest events as fit
        # in the largest request (python-engineio's default, 16, leaves a burst unanswered)
        "SOCKETIO_MAX_PACKETS": SOCKETIO_MAX_MESSAGE // SMALLEST_EVENT,
        "SOCKET_EVENTS_PER_SECOND": float(os.environ.get("SOCKET_EVENTS_PER_SECOND", "20")),
        "SOCKET_EVENT_BURST": int(os.environ.get("SOCKET_EVENT_BURST", "60")),
        # event-loop lag (s) above which participants' writes answer `busy`; 0: never
        "OVERLOAD_LAG": float(os.environ.get("OVERLOAD_LAG", "0.5")),
        # ... and has been, in all, for this many seconds within the last five windows: a
        # pause of the machine sheds nothing, a process that cannot keep up does (pressure.py)
        "OVERLOAD_WINDOW": float(os.environ.get("OVERLOAD_WINDOW", "2")),
        "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 30,
        # machine translation of participants' texts (docs/deployment.md)
        "TRANSLATION": _translation(),
        "TRANSLATION_URL": os.environ.get("TRANSLATION_URL", ""),
        "TRANSLATION_API_KEY": os.environ.get("TRANSLATION_API_KEY", ""),
        "TRANSLATION_TIMEOUT": float(os.environ.get("TRANSLATION_TIMEOUT", "30")),
        "TRANSLATION_RETRIES": int(os.environ.get("TRANSLATION_RETRIES", "2")),
        "TRANSLATION_BREAKER_FAILURES": int(os.environ.get("TRANSLATION_BREAKER_FAILURES", "5")),
        "TRANSLATION_BREAKER_PAUSE": float(os.environ.get("TRANSLATION_BREAKER_PAUSE", "30")),
        # seconds between tries while the engine does not answer
        "TRANSLATION_RETRY": float(os.environ.get("TRANSLATION_RETRY", "15")),
        "TRANSLATION_BATCH": int(os.environ.get("TRANSLATION_BATCH", "100")),
        "APERTIUM_BINARY": os.environ.get("APERTIUM_BINARY", "apertium"),
        "APERTIUM_MODES": os.environ.get("APERTIUM_MODES", "/usr/share/apertium/modes"),
    }
    config.update(overrides)
    return config
