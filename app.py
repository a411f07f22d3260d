"""Entry point: `python app.py` serves the app (eventlet by default, FACILITATION_ASYNC_MODE)."""

import gc
import os
import warnings

MODE = os.environ.get("FACILITATION_ASYNC_MODE", "eventlet")
if MODE == "eventlet":
    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
    if "PSYCOPG_WAIT_FUNC" not in os.environ:
        # psycopg waits for PostgreSQL a moment in place, then through eventlet's select:
        # other green threads run during a slow answer (its default wait, in C, would stop
        # the whole process at every query); facilitation/database_waits.py
        from facilitation import database_waits

        database_waits.install()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()  # psycopg sees it and waits for PostgreSQL cooperatively

from facilitation import create_app  # noqa: E402
from facilitation.cli import announce_setup_link  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.config["PORT"] = port
    announce_setup_link(app)
    # Python's garbage collector (docs/performance.md, "Pauses of the garbage collector"):
    # what start-up built lives as long as the process and is never scanned again; a young
    # pass waits for 50,000 objects more than were freed, so connections' and votes'
    # short-lived objects are freed by their reference counts instead of being moved to the
    # old generation, whose every pass holds the event loop for tenths of a second with
    # 1,000 connections
    gc.freeze()
    gc.set_threshold(50_000, 10, 10)
    # eventlet's server handles at most `max_size` connections at once (default 1,024)
    options = {"eventlet": {"max_size": 20_000}, "threading": {"allow_unsafe_werkzeug": True}}
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=port, **options.get(MODE, {}))
