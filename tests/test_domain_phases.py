"""Session phases: parsing names and which phase accepts initiatives."""

import pytest

from facilitation.domain.phases import Phase


@pytest.mark.parametrize("name", ["lobby", "initiatives", "closed"])
def test_parse_known_phases(name):
    assert Phase.parse(name) is Phase(name)
    assert Phase.parse(name).value == name


@pytest.mark.parametrize("value", ["LOBBY", "open", "", None, 1, "initiatives "])
def test_parse_unknown_gives_none(value):
    assert Phase.parse(value) is None


def test_parse_accepts_a_phase():
    assert Phase.parse(Phase.CLOSED) is Phase.CLOSED


def test_only_initiatives_phase_accepts_initiatives():
    assert [p for p in Phase if p.accepts_initiatives] == [Phase.INITIATIVES]
