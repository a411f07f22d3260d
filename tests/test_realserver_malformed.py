"""Payloads no handler should ever see, sent over a real WebSocket as raw Socket.IO packets
(the test client hands Python objects over and skips the JSON decoding where these bite):
nesting far beyond any event's shape, and text no database stores (a NUL, a lone
surrogate). Each is answered `bad_request` through its acknowledgement, never left
unanswered with a traceback, and nothing is stored."""

import json

import pytest
from realserver import (
    RealServer,
    cookie_header,
    join,
    open_session,
)
from test_realserver_flood import open_raw

pytestmark = pytest.mark.realserver

TITLE = '{"client_id": "c-%s", "title": %s, "axis": "mobility", "sdgs": [11]}'
MALFORMED = {
    "nested 1,000 deep": '{"client_id": "deep", "title": ' + "[" * 1000 + "]" * 1000 + "}",
    "nested 40 deep": '{"client_id": "deep40", "title": ' + "[" * 40 + "]" * 40 + "}",
    "a lone surrogate in a title": TITLE % ("s", '"Plan \\ud800"'),
    "a lone surrogate in a client id": '{"client_id": "\\udc00", "title": "Plan"}',
    "a NUL in a title": TITLE % ("n", '"Plan\\u0000B"'),
    "a NUL in a key": '{"client_id\\u0000": "k", "title": "Plan"}',
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = RealServer(tmp_path_factory.mktemp("malformed-server")).start()
    yield running
    running.stop()


@pytest.fixture(scope="module")
def participant(server):
    return join(server, open_session(server, "Malformed"), "Tester")


def ack(ws, number):
    """The acknowledgement `number`, past pings (answered) and broadcasts (skipped)."""
    prefix = f"43/live,{number}"
    while True:
        message = ws.recv()
        if message == "2":
            ws.send("3")
        elif message.startswith(prefix):
            return json.loads(message[len(prefix) :])[0]


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_payloads_are_answered_bad_request(server, participant, name):
    auth = json.dumps({"session_id": participant.session.id})
    ws = open_raw(server, f"40/live,{auth}", cookie_header(participant.http))
    try:
        assert ws.recv().startswith("40/live,")  # connected to /live
        ws.send(f'42/live,7["initiative:post",{MALFORMED[name]}]')
        assert ack(ws, 7)["error"]["code"] == "bad_request"
        # the connection is still usable: a well-formed post is stored
        ws.send('42/live,8["initiative:post",' + TITLE % ("ok-" + name[:6], '"Fine"') + "]")
        assert ack(ws, 8)["ok"] is True
    finally:
        ws.close()
    assert server.query("SELECT COUNT(*) FROM initiatives WHERE title != 'Fine'")[0][0] == 0
