"""Exports: tables are built once (`tables.py`) and written as CSV, XLSX or a report;
the JSON backup (`backup.py`) holds the whole workshop and can be imported again.

An export runs in the server's process, where one thread serves every connection
(eventlet): rows are handed out `paced`, so that the room's votes and posts get a turn at
least every SLICE seconds however large the file."""

import time

BATCH = 250  # rows per fetch: each batch is built in one go, without a turn for the room
SLICE = 0.02  # seconds of export work between two turns of the server's other work


def paced(rows):
    """`rows`, one by one; every SLICE seconds spent on them (reading and writing alike)
    the export yields (socketio.sleep(0)) to whatever else the process has to do."""
    from ..extensions import socketio

    turn = time.monotonic() + SLICE
    for row in rows:
        if time.monotonic() >= turn:
            socketio.sleep(0)
            turn = time.monotonic() + SLICE
        yield row


def stream(query):
    """Rows of an ORM query fetched in batches, so an export never holds them all; paced."""
    from ..extensions import db

    return paced(db.session.scalars(query.statement.execution_options(yield_per=BATCH)))
