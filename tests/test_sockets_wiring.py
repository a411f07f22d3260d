"""Every app that create_app() builds serves the /live namespace, not only the first one.

Checked in a fresh interpreter, where nothing has imported facilitation.sockets yet: once the
first app's server existed, a later create_app() used to build a server without /live.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import json, sys, tempfile
from facilitation import create_app
from facilitation.extensions import socketio

found = []
for _ in range(2):
    folder = tempfile.mkdtemp()
    create_app({
        "TESTING": True, "SECRET_KEY": "x", "ASYNC_MODE": "threading",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/t.db",
    })
    found.append(sorted(socketio.server.namespace_handlers))
print(json.dumps(found))
"""


def test_each_new_app_registers_the_live_namespace(tmp_path):
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr
    first, second = (set(names) for names in json.loads(done.stdout))
    assert "/live" in first
    assert "/live" in second, "the second app's Socket.IO server has no /live namespace"
