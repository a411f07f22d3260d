"""How psycopg waits for PostgreSQL under eventlet (database_waits.py): an answer ready within
the brief wait is taken in place; a later one goes to the cooperative wait, which finishes
the operation. On socket pairs, and on a real PostgreSQL."""

import select
import socket
import threading

import psycopg
import pytest
from psycopg import waiting

from facilitation.database_waits import brief_then
from tests.conftest import fresh_postgres


class Recorded:
    """A cooperative wait that notes each call and hands it to psycopg's `wait_select`."""

    def __init__(self):
        self.calls = 0

    def __call__(self, gen, fileno, interval=0.1, timeout=None):
        self.calls += 1
        return waiting.wait_select(gen, fileno, interval, timeout)


def reads(sock, times):
    """A psycopg-style generator: waits to read `times` times, reading one byte each time;
    returns what it read and the ready states it was sent."""
    sent, got = [], b""
    for _ in range(times):
        ready = yield waiting.WAIT_R
        sent.append(ready)
        got += sock.recv(1)
    return got, sent


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    yield a, b
    a.close()
    b.close()


def test_an_answer_already_there_is_taken_in_place(pair):
    a, b = pair
    b.sendall(b"xy")
    green = Recorded()
    wait = brief_then(green, select)

    assert wait(reads(a, 2), a.fileno()) == (b"xy", [waiting.READY_R, waiting.READY_R])
    assert green.calls == 0


def test_a_late_answer_goes_to_the_cooperative_wait_which_finishes_the_operation(pair):
    a, b = pair
    b.sendall(b"x")  # the first state is ready at once, the second only 0.1 s later
    late = threading.Timer(0.1, b.sendall, (b"y",))
    late.start()
    green = Recorded()
    wait = brief_then(green, select, brief=0.01)

    try:
        assert wait(reads(a, 2), a.fileno()) == (b"xy", [waiting.READY_R, waiting.READY_R])
    finally:
        late.join()
    assert green.calls == 1


def test_a_closed_peer_reads_as_ready_in_place(pair):
    a, b = pair
    b.close()  # the socket reads as ready (end of file): handled like any answer
    green = Recorded()
    wait = brief_then(green, select)

    assert wait(reads(a, 1), a.fileno()) == (b"", [waiting.READY_R])
    assert green.calls == 0


def test_postgresql_queries_answer_through_both_ways_of_waiting(request, monkeypatch):
    url = fresh_postgres(request, driver=False)
    green = Recorded()
    monkeypatch.setattr(waiting, "wait", brief_then(green, select))

    with psycopg.connect(url) as connection:
        assert connection.execute("SELECT 1 + 1").fetchone() == (2,)
        assert connection.execute("SELECT 'a' || 'b'").fetchone() == ("ab",)
        quick = green.calls  # a loaded machine may make one of them late: no assertion
        assert connection.execute("SELECT pg_sleep(0.1), 3").fetchone() == ("", 3)
        assert green.calls == quick + 1
        connection.execute("CREATE TABLE t (n int)")
        connection.execute("INSERT INTO t VALUES (1), (2)")
        connection.commit()
        assert connection.execute("SELECT sum(n) FROM t").fetchone() == (3,)
