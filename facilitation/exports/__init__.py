"""Exports: tables are built once (`tables.py`) and written as CSV, XLSX or a report;
the JSON backup (`backup.py`) holds the whole workshop and can be imported again."""

BATCH = 1000


def stream(query):
    """Rows of an ORM query fetched in batches, so an export never holds them all."""
    from ..extensions import db

    return db.session.scalars(query.statement.execution_options(yield_per=BATCH))
