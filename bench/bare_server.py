"""A python-socketio server with the app's events and rooms but no app logic: no database,
no validation, no Flask. bench/load.py runs the same load against it to see what the app's
own work costs.

python bench/bare_server.py --mode eventlet --port 5099 [--message-queue redis://...]
"""

import argparse
import sys
import warnings

ARGS = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ARGS.add_argument("--mode", choices=["eventlet", "gevent", "threading"], default="eventlet")
ARGS.add_argument("--port", type=int, required=True)
ARGS.add_argument("--message-queue", help="redis://... when several bare processes run")
OPTIONS = ARGS.parse_args()

if OPTIONS.mode == "eventlet":
    warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
    import eventlet

    eventlet.monkey_patch()
elif OPTIONS.mode == "gevent":
    from gevent import monkey

    monkey.patch_all()

import datetime as dt  # noqa: E402
import itertools  # noqa: E402
import threading  # noqa: E402

import socketio  # noqa: E402

NS = "/live"
RESULTS_INTERVAL = 0.25
manager = None
if OPTIONS.message_queue:
    manager = socketio.RedisManager(OPTIONS.message_queue)
sio = socketio.Server(
    async_mode=OPTIONS.mode, client_manager=manager, cors_allowed_origins="*", logger=False
)
counter = None
if OPTIONS.message_queue:
    import redis

    counter = redis.Redis.from_url(OPTIONS.message_queue)
seqs = {}
ids = itertools.count(1)
dots = {"total": 0}
pending = threading.Lock()
scheduled = {"results": False}


def now():
    return dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


@sio.on("connect", namespace=NS)
def connect(sid, environ, auth=None):
    """Participants name their session; everyone else is a facilitator."""
    session_id = auth.get("session_id") if isinstance(auth, dict) else None
    sio.save_session(sid, {"session_id": session_id}, namespace=NS)
    if session_id is not None:
        sio.enter_room(sid, f"session:{session_id}", namespace=NS)
        sio.enter_room(sid, "workshop_board:1", namespace=NS)  # the other groups' posts


@sio.on("session:snapshot", namespace=NS)
def snapshot(sid, data=None):
    session_id = sio.get_session(sid, namespace=NS)["session_id"]
    return {"ok": True, "session_id": session_id, "seq": seqs.get(session_id, 0)}


@sio.on("workshop:watch", namespace=NS)
def watch(sid, data):
    sio.enter_room(sid, f"workshop:{data['workshop_id']}", namespace=NS)
    return {"ok": True}


@sio.on("session:set_phase", namespace=NS)
def set_phase(sid, data):
    session_id = data["session_id"]
    seqs[session_id] = seqs.get(session_id, 0) + 1
    change = {"session_id": session_id, "phase": data["phase"], "ends_at": None}
    change.update(server_now=now(), seq=seqs[session_id])
    sio.emit("session:phase", change, to=f"session:{session_id}", namespace=NS)
    sio.emit("session:phase", change, to="workshop:1", namespace=NS)
    return {"ok": True, **change}


@sio.on("workshop:set_voting_rules", namespace=NS)
def set_rules(sid, data):
    return {"ok": True, "settings": {}}


@sio.on("item:add", namespace=NS)
def add_item(sid, data):
    return {"ok": True, "item": {"id": next(ids), "session_id": data["session_id"]}}


@sio.on("initiative:post", namespace=NS)
def post(sid, data):
    """The same message the app sends, built from the payload."""
    session_id = sio.get_session(sid, namespace=NS)["session_id"]
    seqs[session_id] = seqs.get(session_id, 0) + 1
    stamp = now()
    initiative = {
        "id": next(ids),
        "session_id": session_id,
        "participant_id": 1,
        "title": data["title"],
        "description": data.get("description", ""),
        "axis": data["axis"],
        "sdgs": sorted(set(data["sdgs"])),
        "link": data.get("link") or "",
        "author": {"display_name": "Participant", "organisation": "City", "country": "Norway"},
        "created_at": stamp,
        "updated_at": stamp,
        "withdrawn": False,
    }
    message = {"session_id": session_id, "seq": seqs[session_id], "initiative": initiative}
    # as the app: its session's participants, then every other participant of the workshop
    # (their "From the other groups"), once each
    rooms = [f"session:{session_id}", "workshop_board:1"]
    sio.emit("initiative:upserted", message, to=rooms, namespace=NS)
    sio.emit("initiative:upserted", message, to="workshop:1", namespace=NS)
    return {"ok": True, "initiative": initiative, "seq": seqs[session_id], "created": True}


@sio.on("vote:cast", namespace=NS)
def vote(sid, data):
    """Counts the dot (in Redis when several processes share the count) and schedules one
    coalesced results message, like the app's RESULTS_INTERVAL."""
    if counter is not None:
        counter.incr("bare:dots")
    else:
        dots["total"] += 1
    mine = {"dots_left": {"all": 0}, "units": {}, "budget": {}}
    sio.emit("vote:mine", mine, to=sid, namespace=NS)
    with pending:
        start = not scheduled["results"]
        scheduled["results"] = True
    if start:
        sio.start_background_task(send_results)
    return {"ok": True, "votes": mine, "created": True}


def send_results():
    sio.sleep(RESULTS_INTERVAL)
    with pending:
        scheduled["results"] = False
    total = int(counter.get("bare:dots") or 0) if counter is not None else dots["total"]
    ranking = {"barrier": [{"key": "i1", "dots": total}], "enabler": []}
    results = {"workshop_id": 1, "rankings": {"combined": ranking, "sessions": {}}}
    sio.emit("workshop:results", results, to="workshop:1", namespace=NS)


def health(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    return [b'{"ok": true}']


app = socketio.WSGIApp(sio, health)


def main():
    address = ("127.0.0.1", OPTIONS.port)
    if OPTIONS.mode == "eventlet":
        import eventlet.wsgi

        eventlet.wsgi.server(eventlet.listen(address), app, log_output=False, max_size=20_000)
    elif OPTIONS.mode == "gevent":
        from gevent import pywsgi

        pywsgi.WSGIServer(address, app, log=None).serve_forever()
    else:
        from werkzeug.serving import run_simple

        run_simple(*address, app, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
