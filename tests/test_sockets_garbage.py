"""Socket.IO events leave no request context, frame or traceback in a reference cycle
(create_app's LiveApp): they are freed by reference counting as soon as the event is done,
not left for the cyclic collector, whose passes hold the event loop (docs/performance.md,
"Pauses of the garbage collector")."""

import gc
from collections import Counter

import pytest
from conftest import emit, participant_in


@pytest.fixture
def saved_garbage():
    """Whatever the collector finds unreachable is kept in gc.garbage for the test."""
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    gc.garbage.clear()
    try:
        yield gc.garbage
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()


def kinds(objects):
    return Counter(f"{type(o).__module__}.{type(o).__qualname__}" for o in objects)


def test_events_leave_no_request_context_for_the_collector(app, workshop, saved_garbage):
    _, alice = participant_in(app, workshop["en"]["code"])
    gc.collect()
    saved_garbage.clear()
    for n in range(20):
        ack = emit(alice, "session:snapshot", {})
        assert "error" not in ack, ack
        data = {"client_id": f"g{n}", "title": f"Idea {n}", "axis": "mobility", "sdgs": [11]}
        assert emit(alice, "initiative:post", data)["ok"]
    gc.collect()
    found = kinds(saved_garbage)
    assert found["flask.ctx.RequestContext"] == 0, found.most_common(12)
    assert found["builtins.frame"] == 0, found.most_common(12)
    assert found["builtins.traceback"] == 0, found.most_common(12)
