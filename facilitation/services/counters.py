"""What every running count shares: the upsert that changes it, and the recount that sets
it again from the rows it sums (after a bulk load)."""

import functools

from sqlalchemy import delete, insert
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db

_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def add(model, column, rows):
    """Add each row's `column` to the row with the same primary key, inserting it if new
    (INSERT … ON CONFLICT DO UPDATE, atomic on SQLite and PostgreSQL alike)."""
    db.session.execute(_upsert(db.session.get_bind().dialect.name, model, column), rows)


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
    table = model.__table__
    connection.execute(delete(table).where(table.c.session_id.in_(session_ids)))
    for rows in sums:
        connection.execute(insert(table).from_select([table.c[c] for c in columns], rows))
