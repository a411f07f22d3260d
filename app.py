"""Entry point: `python app.py` serves the app with eventlet (or FACILITATION_ASYNC_MODE)."""

import os
import warnings

if os.environ.get("FACILITATION_ASYNC_MODE", "eventlet") == "eventlet":
    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()

from facilitation import create_app  # noqa: E402
from facilitation.cli import announce_setup_link  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402

app = create_app()

if __name__ == "__main__":
    port = int(os.environ.get("PORT", "5000"))
    app.config["PORT"] = port
    announce_setup_link(app)
    socketio.run(app, host=os.environ.get("HOST", "127.0.0.1"), port=port, max_size=10_000)
