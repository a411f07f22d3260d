"""`paced`: an export gives the server's other work a turn every SLICE seconds of its own."""

import facilitation.exports as exports
from facilitation.extensions import socketio


def test_rows_come_out_whole_with_a_turn_every_slice(monkeypatch):
    clock = {"now": 100.0}
    turns = []
    monkeypatch.setattr(exports, "SLICE", 1.0)  # binary fractions below: exact sums
    monkeypatch.setattr(exports.time, "monotonic", lambda: clock["now"])
    monkeypatch.setattr(socketio, "sleep", lambda seconds: turns.append(seconds))

    def rows():
        for n in range(10):
            clock["now"] += 0.25  # each row costs a quarter of a slice
            yield n

    assert list(exports.paced(rows())) == list(range(10))
    # the 4th and the 8th row end a slice: each waits for a turn before it is handed out
    assert turns == [0, 0]


def test_quick_rows_never_wait(monkeypatch):
    turns = []
    monkeypatch.setattr(exports.time, "monotonic", lambda: 5.0)
    monkeypatch.setattr(socketio, "sleep", lambda seconds: turns.append(seconds))
    assert list(exports.paced(iter("abc"))) == ["a", "b", "c"]
    assert turns == []
