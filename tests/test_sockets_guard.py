"""The flood guard's rule, driven with a clock the test moves: a connection may send up to
twice the event burst at once and twice the event rate after that; the message that finds
its bucket empty closes the connection, and what it sends afterwards is dropped."""

import json

from socketio import packet

from facilitation.extensions import socketio
from facilitation.sockets.guard import DEPTH_MAX, MALFORMED, FloodGuard, PayloadJSON


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class FakeEngineIO:
    """Engine.IO's part the guard uses: handlers, open sockets, disconnect."""

    def __init__(self):
        self.handlers, self.sockets, self.closed = {}, {}, []

    def on(self, event, handler):
        self.handlers[event] = handler

    def disconnect(self, sid):
        self.closed.append(sid)
        self.sockets.pop(sid, None)
        self.handlers["disconnect"](sid, "server disconnect")


class FakeServer:
    def __init__(self):
        self.eio = FakeEngineIO()
        self.dispatched, self.gone, self.yields = [], [], 0
        self.eio.on("message", lambda sid, data: self.dispatched.append((sid, data)))
        self.eio.on("disconnect", lambda sid, reason: self.gone.append(sid))

    def sleep(self, seconds):
        self.yields += 1


def guarded(rate=20, burst=60):
    server, clock = FakeServer(), Clock()
    guard = FloodGuard(server, rate, burst, clock)
    server.eio.sockets = {"a": object(), "b": object()}
    return server, guard, clock


def send(server, sid, count):
    for n in range(count):
        server.eio.handlers["message"](sid, f"42[{n}]")


def test_a_burst_of_twice_the_event_burst_is_dispatched():
    server, guard, _ = guarded()
    send(server, "a", 120)
    assert len(server.dispatched) == 120 and server.eio.closed == [] and guard.cut == 0


def test_the_message_beyond_it_closes_the_connection_and_later_ones_are_dropped():
    server, guard, _ = guarded()
    send(server, "a", 121)
    assert server.eio.closed == ["a"] and guard.cut == 1
    assert server.gone == ["a"] and "a" not in guard.buckets  # forgotten on disconnect
    send(server, "a", 500)
    assert len(server.dispatched) == 120
    assert server.yields == 500  # each leftover gives the loop a turn


def test_tokens_come_back_at_twice_the_event_rate():
    server, guard, clock = guarded()
    send(server, "a", 120)
    clock.now += 1.0  # 40 tokens back
    send(server, "a", 40)
    assert server.eio.closed == []
    send(server, "a", 1)
    assert server.eio.closed == ["a"]


def test_connections_have_buckets_of_their_own():
    server, guard, _ = guarded()
    send(server, "a", 121)
    send(server, "b", 120)
    assert server.eio.closed == ["a"]
    assert sum(1 for sid, _ in server.dispatched if sid == "b") == 120


def test_payloads_are_decoded_as_usual():
    text = '["initiative:post", {"title": "Plan ñ 🚲", "sdgs": [11, 13], "x": {"y": [[]]}}]'
    assert PayloadJSON.loads(text) == json.loads(text)


def test_payloads_too_deep_or_with_unstorable_text_become_the_malformed_event():
    deep = "[" * (DEPTH_MAX + 1) + "]" * (DEPTH_MAX + 1)
    assert PayloadJSON.loads("[" * DEPTH_MAX + "]" * DEPTH_MAX) != [MALFORMED]
    for text in (
        deep,
        "[" * 100_000 + "]" * 100_000,  # beyond the interpreter's recursion limit
        '["x", {"t": "a\\u0000b"}]',
        '["x", {"t\\u0000": 1}]',
        '["x", "\\ud800"]',
        '["x", {"t": ["\\udfff"]}]',
    ):
        assert PayloadJSON.loads(text) == [MALFORMED], text[:40]
    assert PayloadJSON.loads('["x", "\\ud83d\\udeb2"]') == ["x", "🚲"]  # a pair is a character


def test_the_apps_packets_are_encoded_as_usual_without_a_search_for_bytes(app, monkeypatch):
    results = {"sessions": [{"id": 1, "items": [{"id": n, "dots": n} for n in range(50)]}]}
    expected = packet.Packet(packet.EVENT, ["workshop:results", results], "/live").encode()

    def searched(_data):
        raise AssertionError("a payload searched for bytes")

    monkeypatch.setattr(packet.Packet, "data_is_binary", staticmethod(searched))
    sent = socketio.server.packet_class(packet.EVENT, ["workshop:results", results], "/live")
    assert sent.encode() == expected
