"""Prepared statements (prepared.py) against SQLAlchemy's own execution, on SQLite and
PostgreSQL: the same values back, the same events, the same exceptions."""

import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa
from conftest import app_on_each_engine
from sqlalchemy import bindparam, event

from facilitation.extensions import db
from facilitation.prepared import Prepared

probe_tables = sa.MetaData()
probes = sa.Table(
    "prepared_probes",
    probe_tables,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label", sa.String(20), unique=True),
    sa.Column("at", sa.DateTime),
    sa.Column("flag", sa.Boolean),
    sa.Column("size", sa.Integer),
)
ADD = Prepared(
    sa.insert(probes).values({name: bindparam(name) for name in ("label", "at", "flag", "size")})
)
SELECT = sa.select(probes.c.label, probes.c.at, probes.c.flag).order_by(probes.c.label)
ALL = Prepared(SELECT)
FIRST_BIG = Prepared(SELECT.where(probes.c.size >= bindparam("size")).limit(1))
GROW = Prepared(
    sa.update(probes).where(probes.c.size >= bindparam("size")).values(size=probes.c.size + 1)
)
AT = dt.datetime(2026, 11, 30, 17, 5)  # no microseconds: how SQLite stores them matters


def rows(statement, params):
    return statement.rows(db.session.connection(), params)


def count(statement, params):
    return statement.count(db.session.connection(), params)


@pytest.fixture(params=["sqlite", "postgresql"])
def app(request, tmp_path):
    yield from app_on_each_engine(request, tmp_path)


@pytest.fixture
def probed(app):
    """An app context with three probes stored (sizes 1, 2, 3)."""
    with app.app_context():
        probe_tables.create_all(db.engine)
        for n in (1, 2, 3):
            count(ADD, {"label": f"p{n}", "at": AT, "flag": n % 2 == 1, "size": n})
        db.session.commit()
        yield
        db.session.rollback()


def test_rows_come_back_as_sqlalchemy_reads_them(probed):
    prepared = rows(ALL, {})
    executed = db.session.execute(SELECT).all()

    assert [tuple(row) for row in prepared] == [tuple(row) for row in executed]
    assert prepared[0].at == AT and prepared[0].flag is True and prepared[1].flag is False
    assert prepared[2].label == "p3"


def test_a_value_given_in_the_statement_may_be_left_out(probed):
    assert [row.label for row in rows(FIRST_BIG, {"size": 2})] == ["p2"]


def test_a_parameter_without_a_value_is_refused(probed):
    with pytest.raises(KeyError, match="size"):
        rows(FIRST_BIG, {})


def test_count_is_the_rows_changed(probed):
    assert count(GROW, {"size": 2}) == 2
    assert [row.label for row in rows(FIRST_BIG, {"size": 4})] == ["p3"]


def test_the_engine_events_see_each_statement(probed):
    before, after = [], []

    def note_before(_conn, _cursor, statement, params, _context, many):
        before.append((statement, params, many))

    def note_after(_conn, _cursor, statement, _params, _context, _many):
        after.append(statement)

    event.listen(db.engine, "before_cursor_execute", note_before)
    event.listen(db.engine, "after_cursor_execute", note_after)
    try:
        db.session.rollback()  # a new transaction's connection takes the listeners
        rows(FIRST_BIG, {"size": 3})
        count(GROW, {"size": 9})
    finally:
        event.remove(db.engine, "before_cursor_execute", note_before)
        event.remove(db.engine, "after_cursor_execute", note_after)
    statements = [s for s, _p, _m in before if not s.startswith(("BEGIN", "SELECT pg_"))]
    assert len(statements) == 2
    assert statements[0].startswith("SELECT") and statements[1].startswith("UPDATE")
    assert after == [s for s, _p, _m in before]
    assert not any(many for _s, _p, many in before)


def test_a_driver_error_is_raised_as_sqlalchemy_raises_it(probed):
    with pytest.raises(sa.exc.IntegrityError) as refused:
        count(ADD, {"label": "p1", "at": AT, "flag": True, "size": 7})
    driver = db.engine.dialect.loaded_dbapi
    assert isinstance(refused.value.orig, driver.IntegrityError)
    assert "INSERT INTO prepared_probes" in refused.value.statement
    db.session.rollback()
    assert len(rows(ALL, {})) == 3  # nothing of it stayed, and the session goes on


def test_statements_with_values_expanded_at_execution_are_refused(probed):
    listed = Prepared(sa.select(probes.c.label).where(probes.c.size.in_([1, 2])))
    with pytest.raises(ValueError, match="expanded"):
        rows(listed, {})


@pytest.mark.parametrize("app", ["sqlite"], indirect=True)  # SQLite's own write lock
def test_sqlites_write_lock_is_the_error_the_unit_of_work_waits_out(probed):
    other = sqlite3.connect(db.engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(sa.exc.OperationalError) as locked:
            count(ADD, {"label": "p9", "at": AT, "flag": True, "size": 9})
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert isinstance(locked.value.orig, sqlite3.OperationalError)
    assert "locked" in str(locked.value.orig)
