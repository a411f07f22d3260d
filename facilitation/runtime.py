"""This process's live state, in one object: `app.extensions["facilitation"]`.

Created by create_app; `stop()` ends it (the lag monitor stops, scheduled result and counter
broadcasts are sent and waited for). Nothing here outlives its app, and no module keeps state of its
own: two apps in one process (tests) never share any of it.
"""

from flask import current_app

from . import presence as presences
from .extensions import socketio
from .group_commit import GroupCommit
from .live import ResultBroadcasts, shared_redis
from .live_counters import CounterBroadcasts, sessions_changed
from .pressure import Pressure
from .services.results import RecentResults
from .translation import translator_for

KEY = "facilitation"


class Runtime:
    """- `broadcasts`: result broadcasts scheduled, coalesced per workshop (live.py), and
      across processes through the message queue's Redis;
    - `recent_results`: workshop results reused by reconnecting participants, bounded;
    - `pressure`: the event-loop lag monitor and the participants' writes in progress;
    - `group_commit`: votes and SDG picks waiting to share a transaction;
    - `presence`: the participants connected now, per session (presence.py);
    - `counters`: `session:counters` broadcasts scheduled, coalesced per workshop;
    - `translator`: the background translation worker (translation/worker.py), None when
      translation is off; started by `start()` once the database is ready."""

    def __init__(self, app):
        shared = shared_redis(app)
        self.broadcasts = ResultBroadcasts(app, shared)
        self.recent_results = RecentResults()
        self.pressure = Pressure(socketio)
        self.group_commit = GroupCommit(socketio.sleep)
        self.presence = presences.make(
            app, shared, socketio.start_background_task, socketio.sleep, _expired(app)
        )
        self.counters = CounterBroadcasts(app, self.presence, shared)
        self.app = app
        self.translator = None

    def start(self):
        """Start the background work that reads the database (create_app, after migrating)."""
        self.translator = translator_for(self.app, socketio)

    def stop(self):
        """Stop the lag monitor, the presence's refreshes and the translation worker, then
        send the scheduled result and counter broadcasts and wait for them; the app takes
        no more events afterwards."""
        self.pressure.stop()
        self.presence.stop()
        if self.translator is not None:
            self.translator.stop()
        self.drain()

    def drain(self):
        """Wait until the scheduled result and counter broadcasts have been sent."""
        self.broadcasts.drain()
        self.counters.drain()


def _expired(app):
    def gone(session_ids):
        with app.app_context():
            sessions_changed(session_ids)

    return gone


def init_app(app):
    app.extensions[KEY] = Runtime(app)


def current():
    return of(current_app)


def of(app):
    return app.extensions[KEY]
