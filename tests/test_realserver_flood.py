"""Floods against the real server: ten raw WebSocket connections send Socket.IO events in a
tight loop (on the default namespace, with no account and no code, and on /live as a joined
participant) while a normal participant posts and a monitor asks /healthz. Flooding
connections are cut off (the flood guard, sockets/guard.py) and the room carries on.

The figures are printed; the checks count answers within generous deadlines (a loaded CI
machine), they do not time the fast path."""

import json
import select
import statistics
import threading
import time

import pytest
import requests
import websocket
from realserver import (
    RealServer,
    connect_participant,
    cookie_header,
    join,
    open_session,
)

pytestmark = pytest.mark.realserver

FLOOD_SECONDS = 3.0
FLOODERS = 10
LATE = 2.0  # seconds: generous for a loaded 2-core machine running the flood too


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = RealServer(tmp_path_factory.mktemp("flood-server")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def room(server):
    return open_session(server, "Flood")


def open_raw(server, namespace_packet, cookie=""):
    """A raw Engine.IO WebSocket that has sent `namespace_packet` (a Socket.IO CONNECT)."""
    url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    ws = websocket.create_connection(url, header=[f"Cookie: {cookie}"], timeout=5)
    assert ws.recv().startswith("0")  # Engine.IO open
    ws.send(namespace_packet)
    return ws


class Flooder(threading.Thread):
    """Sends `frame` as fast as it can until `stop`; opens a new connection when cut off."""

    def __init__(self, server, connect_packet, frame, stop, cookie=""):
        super().__init__(daemon=True)
        self.server, self.connect_packet, self.frame = server, connect_packet, frame
        self.stop, self.cookie = stop, cookie
        self.sent = self.connections = self.refused = self.cut = 0

    def run(self):
        while not self.stop.is_set():
            try:
                ws = open_raw(self.server, self.connect_packet, self.cookie)
            except Exception:
                self.refused += 1
                time.sleep(0.05)
                continue
            self.connections += 1
            try:
                while not self.stop.is_set() and not self.closed_by_server(ws):
                    for _ in range(50):
                        ws.send(self.frame)
                    self.sent += 50
            except Exception:
                pass  # cut off: open another one, as an attacker would
            finally:
                ws.close()

    def closed_by_server(self, ws):
        """Whether the server sent Engine.IO's CLOSE or closed the socket (read without
        waiting: a flooder reads only to learn it was cut off)."""
        while select.select([ws.sock], [], [], 0)[0]:
            message = ws.recv()
            if not message or message == "1":
                self.cut += 1
                return True
        return False


def ask_healthz(server, stop, healthz):
    """/healthz asked every 50 ms until `stop`: seconds to each answer (None: no answer)."""
    while not stop.is_set():
        start = time.monotonic()
        try:
            ok = requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
            healthz.append(time.monotonic() - start if ok else None)
        except requests.RequestException:
            healthz.append(None)
        time.sleep(0.05)


def post_as_usual(server, room, stop, posts):
    """A normal participant posting an initiative every 100 ms until `stop`."""
    client = connect_participant(server, join(server, room, "Normal participant"))
    try:
        n = 0
        while not stop.is_set():
            n += 1
            post = {"client_id": f"normal-{n}", "title": f"Post {n}", "axis": "mobility"}
            start = time.monotonic()
            try:
                ack = client.call("initiative:post", {**post, "sdgs": [11]}, timeout=5)
                posts.append(time.monotonic() - start if ack.get("ok") else None)
            except Exception:
                posts.append(None)
            time.sleep(0.1)
    finally:
        client.close()


def within(figures, deadline):
    return sum(1 for f in figures if f is not None and f <= deadline)


def summary(name, figures):
    answered = sorted(f for f in figures if f is not None)
    if not answered:
        return f"{name}: none of {len(figures)} answered"
    p95 = answered[min(len(answered) - 1, int(len(answered) * 0.95))]
    return (
        f"{name}: {len(answered)}/{len(figures)} answered, median "
        f"{statistics.median(answered) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
        f"max {answered[-1] * 1000:.0f} ms"
    )


def test_ten_flooding_connections_are_cut_off_and_the_room_carries_on(server, room):
    flooder = join(server, room, "Flooder")
    live_connect = "40/live," + json.dumps({"session_id": room.id})
    live_frame = "42/live," + json.dumps(["initiative:post", {"client_id": 1}])
    stop = threading.Event()
    flooders = [Flooder(server, "40", '42["x",{}]', stop) for _ in range(FLOODERS // 2)] + [
        Flooder(server, live_connect, live_frame, stop, cookie_header(flooder.http))
        for _ in range(FLOODERS // 2)
    ]
    healthz, posts = [], []
    watchers = [
        threading.Thread(target=ask_healthz, args=(server, stop, healthz)),
        threading.Thread(target=post_as_usual, args=(server, room, stop, posts)),
    ]
    for thread in watchers:
        thread.start()
    time.sleep(0.5)  # the normal participant is in before the flood starts
    for thread in flooders:
        thread.start()
    time.sleep(FLOOD_SECONDS)
    stop.set()
    for thread in flooders:
        thread.join(15)
    for thread in watchers:
        thread.join(30)
    sent = sum(f.sent for f in flooders)
    connections = sum(f.connections for f in flooders)
    cut = sum(f.cut for f in flooders)
    print(f"\nflood: {sent} frames over {connections} connections ({cut} cut off by the server)")
    print(summary("healthz", healthz))
    print(summary("normal posts", posts))
    # flooding connections were cut off: each carried at most about one burst's worth
    assert cut >= connections - FLOODERS, "flooding connections were not cut off"
    assert cut > FLOODERS, (sent, connections, cut)
    # the room carried on: every /healthz and every post answered, none of them late
    assert len(healthz) >= 5 and within(healthz, LATE) == len(healthz), healthz
    assert len(posts) >= 5 and within(posts, LATE) == len(posts), posts
    # after the flood, the server answers at once and stored the normal posts only once each
    assert requests.get(f"{server.url}/healthz", timeout=2).status_code == 200
    stored = server.query(
        "SELECT COUNT(*) FROM initiatives WHERE session_id = ? AND title LIKE 'Post %'",
        (room.id,),
    )[0][0]
    assert stored == sum(1 for p in posts if p is not None)


def test_the_default_namespace_accepts_no_one(server):
    ws = open_raw(server, "40")
    try:
        answer = ws.recv()
        assert answer.startswith("44"), answer  # CONNECT_ERROR on "/"
    finally:
        ws.close()
