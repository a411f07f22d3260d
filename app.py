"""Entry point: `python app.py` serves the app (eventlet by default, FACILITATION_ASYNC_MODE)."""

import os
import warnings

MODE = os.environ.get("FACILITATION_ASYNC_MODE", "eventlet")
if MODE == "eventlet":
    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif MODE == "gevent":
    from gevent import monkey

    monkey.patch_all()

from facilitation import create_app  # noqa: E402
from facilitation.cli import announce_setup_link  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.config["PORT"] = port
    announce_setup_link(app)
    # eventlet's server handles at most `max_size` connections at once (default 1,024)
    options = {"eventlet": {"max_size": 20_000}, "threading": {"allow_unsafe_werkzeug": True}}
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=port, **options.get(MODE, {}))
