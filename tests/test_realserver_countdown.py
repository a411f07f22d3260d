"""A self-closing countdown against the real server (`python app.py`, SQLite): a vote just
after zero is refused with `phase_closed`; one more minute opens voting again."""

import pytest
from realserver import RealServer, bilingual_workshop, create_facilitator
from realserver_countdown import votes_after_zero_are_refused

pytestmark = pytest.mark.realserver
STARTUP_S = 120  # a busy machine imports the app slowly


@pytest.fixture
def server(tmp_path):
    running = RealServer(tmp_path, async_mode="eventlet").start(timeout=STARTUP_S)
    yield running
    running.stop()


@pytest.fixture
def closing():
    clients = []
    yield clients
    for client in clients:
        client.close()


def test_a_vote_just_after_zero_is_refused(server, closing):
    facilitator = create_facilitator(server)
    _, sessions = bilingual_workshop(server, facilitator, "Countdown")
    votes_after_zero_are_refused([server], facilitator, sessions["en"], closing)
