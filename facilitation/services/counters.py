"""What every running count shares: the upsert that changes it, and the recount that sets
it again from the rows it sums (after a bulk load).

Changes wait in the transaction (its session's `info`) and are written just before it
commits, summed per row and in one order (table, then key): a hot row (the item everyone is
voting on) stays locked only for the commit, and since every transaction locks such rows in
the same order, transactions that change several of them (votes committed together,
group_commit.py) cannot deadlock on them. A rollback drops them with the rest.
"""

import functools

from flask import has_app_context
from sqlalchemy import delete, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..extensions import db

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
PENDING = "facilitation.pending_counts"


def add(model, column, rows):
    """Add each row's `column` to the row with the same primary key, inserting it if new
    (INSERT … ON CONFLICT DO UPDATE, atomic on SQLite and PostgreSQL alike), when the
    transaction commits. `rows`: one dict or a list of them."""
    session = db.session()
    if not session.in_transaction():
        session.begin()  # the changes belong to this transaction: its rollback drops them
    pending = session.info.setdefault(PENDING, {})
    keys = _key_columns(model)
    for row in [rows] if isinstance(rows, dict) else rows:
        key = (model.__tablename__, column, tuple(row[k] for k in keys))
        if key in pending:
            pending[key][1][column] += row[column]
        else:
            pending[key] = (model, dict(row))


@functools.cache
def _key_columns(model):
    return [c.name for c in model.__table__.primary_key.columns]


def _write_pending(session):
    """Before a commit: the transaction's running-count changes, in key order, zeros left out
    (a missing row counts as zero)."""
    if session.in_nested_transaction():  # a savepoint: they wait for the transaction
        return
    pending = session.info.pop(PENDING, None)
    if not pending:
        return
    by_table = {}
    for (_table, column, _key), (model, row) in sorted(pending.items(), key=lambda kv: kv[0]):
        if row[column]:
            by_table.setdefault((model, column), []).append(row)
    connection = session.connection()  # Core statements on tables: no ORM execution
    for (model, column), rows in by_table.items():
        connection.execute(_upsert(connection.dialect.name, model, column), rows)


def _drop_pending(session, transaction):
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _written_before_read(state):
    """A transaction reading a running count sees its own changes: they are written first."""
    pending = state.is_select and state.session.info.get(PENDING)
    if pending and any(m.persist_selectable.name in COUNTED for m in state.all_mappers):
        _write_pending(state.session)


COUNTED = ("item_dots", "participant_dots", "initiative_counts")


def install():
    """Write running counts at every commit of any session, and before a transaction reads
    them (create_app calls it)."""
    if not event.contains(Session, "before_commit", _write_pending):
        event.listen(Session, "before_commit", _write_pending)
        event.listen(Session, "after_transaction_end", _drop_pending)
        event.listen(Session, "do_orm_execute", _written_before_read)


@functools.cache
def _upsert(dialect, model, column):
    """Built once per dialect and table: building it costs as much as the rest of a vote."""
    table = model.__table__
    statement = _INSERTS[dialect](table)
    return statement.on_conflict_do_update(
        index_elements=list(table.primary_key.columns),
        set_={column: table.c[column] + statement.excluded[column]},
    )


def replace(connection, model, session_ids, columns, *sums):
    """Delete the sessions' rows of `model`, then insert the rows of each SELECT in `sums`
    into `columns` (in that order)."""
    if has_app_context():  # what the session's transaction changed: then recounted
        _write_pending(db.session())
    table = model.__table__
    connection.execute(delete(table).where(table.c.session_id.in_(session_ids)))
    for rows in sums:
        connection.execute(insert(table).from_select([table.c[c] for c in columns], rows))
