"""Another process holding SQLite's write lock (a `flask import`, a backup) against the real
server: the server keeps answering while it waits. Reads go on (WAL), /healthz answers, and
writes wait without blocking the event loop, then go through once the lock is released
(unit_of_work.run). Counts of answers within generous deadlines; the figures are printed."""

import sqlite3
import threading
import time

import pytest
import requests
from realserver import (
    RealServer,
    connect_participant,
    join,
    open_session,
)

pytestmark = pytest.mark.realserver

HOLD = 3.0  # seconds the other process keeps the write lock


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = RealServer(tmp_path_factory.mktemp("lock-server")).start()
    yield running
    running.stop()


def test_a_write_lock_held_elsewhere_stalls_nothing_but_the_writes(server):
    session = open_session(server, "Locked")
    who = join(server, session, "Writer")
    client = connect_participant(server, who)
    other = sqlite3.connect(server.db_path, timeout=10)
    other.execute("BEGIN IMMEDIATE")  # the write lock, as another process's write holds it
    other.execute("UPDATE sessions SET name = name WHERE id = ?", (session.id,))
    released = threading.Event()
    post_result = {}

    def post():
        body = {"client_id": "locked-1", "title": "Waits", "axis": "mobility", "sdgs": [11]}
        start = time.monotonic()
        post_result["ack"] = client.call("initiative:post", body, timeout=30)
        post_result["after_release"] = released.is_set()
        post_result["seconds"] = time.monotonic() - start

    writer = threading.Thread(target=post)
    try:
        writer.start()
        answered, asked, start = 0, 0, time.monotonic()
        while time.monotonic() - start < HOLD:
            asked += 1
            for path in ("/healthz", f"/s/{session.code}"):
                try:
                    ok = who.http.get(f"{server.url}{path}", timeout=1).status_code == 200
                    answered += ok
                except requests.RequestException:
                    pass
            time.sleep(0.1)
    finally:
        released.set()  # set first: nothing can be stored before the rollback below
        other.rollback()
        other.close()
    writer.join(30)
    client.close()
    print(f"\nwhile locked: {answered} of {2 * asked} reads answered within 1 s")
    print(f"the post waited {post_result.get('seconds', 0):.1f} s")
    assert answered == 2 * asked, (answered, asked)
    assert post_result["ack"].get("ok") is True, post_result
    assert post_result["after_release"], "the post was stored while the lock was held"
    rows = server.query("SELECT COUNT(*) FROM initiatives WHERE title = 'Waits'")
    assert rows[0][0] == 1
