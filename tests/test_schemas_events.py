"""Every event of /live validates its fields through the schemas declared for it in
facilitation/schemas/events.py, and through no other: the table is the namespace's."""

import pytest
from conftest import emit, make_app
from test_fuzz_payloads import bases, connection, namespace_events, set_phase, world

from facilitation.schemas import types
from facilitation.schemas.events import EVENTS

__all__ = ["world"]  # a fixture


@pytest.fixture
def fuzz_app(tmp_path):
    """The fuzzing tests' app, on SQLite only: the schemas do not depend on the database."""
    return make_app(tmp_path, SOCKET_EVENTS_PER_SECOND=1e6, SOCKET_EVENT_BURST=10**9)


def test_the_table_names_every_event_of_the_namespace():
    assert set(EVENTS) == set(namespace_events()) - {"unknown:event"}


@pytest.fixture
def validated(monkeypatch):
    """The schemas `check` validates payloads with, in order, since the last clear()."""
    seen = []
    adapter = types._adapter

    def recording(schema):
        seen.append(schema)
        return adapter(schema)

    monkeypatch.setattr(types, "_adapter", recording)
    return seen


@pytest.mark.parametrize("event", sorted(EVENTS))
def test_each_event_validates_through_its_declared_schemas(fuzz_app, world, validated, event):
    phase, kind, data = bases(world)[event]
    if phase:
        set_phase(fuzz_app, world, phase)
    live = connection(fuzz_app, world, kind)
    if event == "item:unmerge":  # an item in a group to take out
        assert emit(live, "item:merge", bases(world)["item:merge"][2])["ok"]
    validated.clear()
    ack = emit(live, event, data)
    assert ack.get("ok") is True, (event, ack)
    assert set(validated) == set(EVENTS[event]), event
