"""Schema migrations on SQLite and PostgreSQL: from an empty database to the newest revision,
down to nothing and up again, from the revision before the newest with data in it; and the
models agree with what the migrations build (an autogenerate comparison finds nothing, and the
CHECK constraints, which autogenerate does not compare, have the same names and allow the
enums' values and nothing else).
"""

import datetime as dt
import os
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from conftest import fresh_postgres
from flask_migrate import downgrade, upgrade
from realserver import PYTHON, ROOT

from facilitation import MIGRATIONS, create_app
from facilitation.domain.anonymity import Anonymity
from facilitation.domain.items import ItemKind
from facilitation.domain.phases import Phase
from facilitation.extensions import db
from facilitation.models import (
    Facilitator,
    Initiative,
    InitiativeSdg,
    Item,
    Participant,
    Session,
    Vote,
    Workshop,
)

CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "ASYNC_MODE": "threading",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
}
# tables whose rows a migration must carry over
KEPT = ["facilitators", "workshops", "sessions", "participants", "initiatives"]
KEPT += ["initiative_sdgs", "items", "votes"]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database (a URL as DATABASE_URL takes it)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return fresh_postgres(request, driver=False)


def engine_url(url):
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def flask_db(url, *args, succeeds=True):
    """`flask --app facilitation db ...` as an operator runs it."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-secret"}
    env["FACILITATION_ASYNC_MODE"] = "threading"
    command = [str(PYTHON), "-m", "flask", "--app", "facilitation", "db", *args]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert (result.returncode == 0) == succeeds, result.stdout + result.stderr
    return result


def scripts(directory=MIGRATIONS):
    config = Config()
    config.set_main_option("script_location", str(directory))
    return ScriptDirectory.from_config(config)


def state(url):
    """(alembic version, tables) of a database."""
    engine = sa.create_engine(engine_url(url))
    try:
        tables = set(sa.inspect(engine).get_table_names())
        version = None
        if "alembic_version" in tables:
            with engine.connect() as connection:
                version = connection.execute(sa.text("SELECT version_num FROM alembic_version"))
                version = version.scalar_one_or_none()
        return version, tables - {"alembic_version"}
    finally:
        engine.dispose()


MODEL_TABLES = set(db.metadata.tables)


def test_upgrade_from_empty_then_down_to_base_and_up_again(database_url):
    """What docs/deployment.md tells operators to run, in a subprocess each time."""
    assert state(database_url) == (None, set())
    flask_db(database_url, "upgrade")
    assert state(database_url) == (scripts().get_current_head(), MODEL_TABLES)
    flask_db(database_url, "downgrade", "base")
    assert state(database_url) == (None, set())
    flask_db(database_url, "upgrade")
    assert state(database_url) == (scripts().get_current_head(), MODEL_TABLES)


@pytest.fixture
def app(database_url):
    """The app on that database (create_app brings it to the newest revision)."""
    built = create_app({**CONFIG, "SQLALCHEMY_DATABASE_URI": engine_url(database_url)})
    yield built
    with built.app_context():
        db.engine.dispose()


def seed():
    """One of everything that matters, through the models (at the newest revision)."""
    facilitator = Facilitator(name="Ana", email="ana@example.org", password_hash="x")
    workshop = Workshop(title="Smart Cities Study", date=dt.date(2026, 5, 10))
    workshop.facilitators.append(facilitator)
    session = Session(workshop=workshop, name="English group", language="en", join_code="KVX9AR")
    db.session.add_all([facilitator, workshop, session])
    db.session.flush()
    bo = Participant(session_id=session.id, display_name="Bo", organisation="Oslo", country="NO")
    db.session.add(bo)
    db.session.flush()
    initiative = Initiative(
        session_id=session.id, participant=bo, client_id="c1", title="Bike lanes", axis="mobility"
    )
    initiative.sdg_links = [InitiativeSdg(sdg=11), InitiativeSdg(sdg=13)]
    item = Item(session_id=session.id, participant_id=bo.id, client_id="i1", kind="barrier")
    item.text = "Red tape"
    db.session.add_all([initiative, item])
    db.session.flush()
    db.session.add(
        Vote(participant_id=bo.id, session_id=session.id, item_id=item.id, delta=1, client_id="v")
    )
    db.session.commit()


def contents():
    """{table: {column: value} rows, in primary-key order} of the tables that exist now."""
    inspector = sa.inspect(db.engine)
    found = {}
    with db.engine.connect() as connection:
        for table in KEPT:
            if not inspector.has_table(table):
                continue
            rows = connection.execute(sa.text(f"SELECT * FROM {table}")).mappings()  # noqa: S608
            found[table] = sorted((dict(r) for r in rows), key=lambda r: sorted(r.items()))
    return found


def project(rows, columns):
    return [{c: r[c] for c in columns} for r in rows]


def upgrade_from_previous_keeps_data(app, directory):
    """Seed at the newest revision, go down to the one before it, then up again: the rows
    survive both ways (compared on the columns the older revision has)."""
    head = scripts(directory).get_current_head()
    previous = scripts(directory).get_revision(head).down_revision
    with app.app_context():
        upgrade(directory=str(directory))
        seed()
        before = contents()
        downgrade(directory=str(directory), revision=previous)
        older = contents()
        assert older and all(older.values()), "no data left at the previous revision"
        for table, rows in older.items():
            assert rows == project(before[table], rows[0].keys()), table
        upgrade(directory=str(directory))
        after = contents()
        for table, rows in older.items():
            assert project(after[table], rows[0].keys()) == rows, table
    assert state_of(app) == head


def state_of(app):
    with app.app_context(), db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def test_upgrade_from_the_previous_revision_keeps_the_data(app):
    head = scripts().get_revision(scripts().get_current_head())
    if head.down_revision is None:
        pytest.skip(
            "only the initial revision exists: the path from a previous one is checked by "
            "test_the_upgrade_path_check_catches_a_second_revision until there is a second"
        )
    upgrade_from_previous_keeps_data(app, MIGRATIONS)


SECOND_REVISION = '''"""a second revision, for the test of the upgrade path only"""

import sqlalchemy as sa
from alembic import op

revision = "test0second"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("initiatives") as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), nullable=True))
        batch_op.alter_column("link", existing_type=sa.String(500), type_=sa.String(600))
    op.create_index("ix_votes_client_id", "votes", ["client_id"])


def downgrade():
    op.drop_index("ix_votes_client_id", "votes")
    with op.batch_alter_table("initiatives") as batch_op:
        batch_op.alter_column("link", existing_type=sa.String(600), type_=sa.String(500))
        batch_op.drop_column("note")
'''


def test_the_upgrade_path_check_catches_a_second_revision(app, tmp_path, request):
    """The check above, run on a copy of migrations/ with one more revision (a column, a
    wider column, an index): the rows survive going down to the real newest revision and up.

    On SQLite, changing a column makes Alembic's batch mode copy the table, drop it and
    rename the copy; with `PRAGMA foreign_keys=ON` (set on every connection by the app)
    dropping `initiatives` while `initiative_sdgs` rows point at it fails. migrations/env.py
    should switch foreign keys off around SQLite migrations (Alembic's batch documentation
    says so); until it does, this is an expected failure, and strict: the fix must remove it.
    """
    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    head = scripts().get_current_head()
    (copy / "versions" / "test0second_extra.py").write_text(SECOND_REVISION.format(head=head))
    assert scripts(copy).get_revision("test0second").down_revision == head
    upgrade_from_previous_keeps_data(app, copy)
    with app.app_context():
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("initiatives")}
    assert "note" in columns


def test_the_models_and_the_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert context.get_current_revision() == scripts().get_current_head()
        assert compare_metadata(context, db.metadata) == []


def test_the_upgrade_counts_the_initiatives_already_there(app):
    """Revision a002107f57ec fills `initiative_counts` from the rows an older database has."""
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        seed()
        downgrade(directory=str(MIGRATIONS), revision="9cd1939f33ab")
        upgrade(directory=str(MIGRATIONS), revision="a002107f57ec")
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT axis, sdg, count FROM initiative_counts ORDER BY sdg")
            ).all()
    assert [tuple(r) for r in rows] == [
        ("mobility", 0, 1),
        ("mobility", 11, 1),
        ("mobility", 13, 1),
    ]


# the columns held to an enum's values: (table, column, enum, CHECK constraint)
ENUM_COLUMNS = [
    ("sessions", "phase", Phase, "ck_sessions_phase"),
    ("items", "kind", ItemKind, "ck_items_kind"),
    ("workshops", "anonymity", Anonymity, "ck_workshops_anonymity"),
]


def check_names(table):
    return {c["name"] for c in sa.inspect(db.engine).get_check_constraints(table)}


def test_the_migrations_build_the_models_check_constraints(app):
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        for name, table in db.metadata.tables.items():
            declared = {c.name for c in table.constraints if isinstance(c, sa.CheckConstraint)}
            assert check_names(name) == declared, name
    assert {declared for *_, declared in ENUM_COLUMNS} <= {
        c.name for t in db.metadata.tables.values() for c in t.constraints
    }


@pytest.mark.parametrize(("table", "column", "enum", "constraint"), ENUM_COLUMNS)
def test_a_check_constraint_takes_every_value_of_its_enum_and_refuses_others(
    app, table, column, enum, constraint
):
    """Written past the models, as plain strings: the database itself refuses the value."""
    rows = sa.table(table, sa.column(column))
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        seed()
        for value in enum:
            with db.engine.begin() as connection:
                written = connection.execute(rows.update().values({column: value.value}))
                assert written.rowcount == 1
        with pytest.raises(sa.exc.IntegrityError, match=constraint), db.engine.begin() as c:
            c.execute(rows.update().values({column: "paused"}))
        with db.engine.connect() as connection:
            kept = connection.execute(sa.select(rows.c[column])).scalar_one()
    assert kept == list(enum)[-1].value


def test_the_models_read_enums_and_write_plain_values(app):
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        seed()
        session = db.session.scalars(sa.select(Session)).one()
        item = db.session.scalars(sa.select(Item)).one()
        assert (session.phase, item.kind) == (Phase.LOBBY, ItemKind.BARRIER)
        assert session.workshop.anonymity is Anonymity.PUBLIC
        session.phase = "voting"
        db.session.commit()
        with db.engine.connect() as connection:
            stored = connection.execute(sa.text("SELECT phase FROM sessions")).scalar_one()
        assert stored == "voting" and type(stored) is str
        db.session.expire_all()
        assert session.phase is Phase.VOTING
        session.phase = "paused"
        with pytest.raises(sa.exc.StatementError, match="paused"):
            db.session.commit()
        db.session.rollback()


ENUM_CONSTRAINTS = "2dc027d19076"  # the revision that adds the enums' CHECK constraints


def test_the_upgrade_names_a_value_its_constraint_would_refuse(app, database_url):
    """An older database holding a phase the code does not know: `flask db upgrade` stops
    before changing anything and says which value; once the row is corrected it goes on."""
    head = scripts().get_current_head()
    previous = scripts().get_revision(ENUM_CONSTRAINTS).down_revision
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        seed()
        downgrade(directory=str(MIGRATIONS), revision=previous)
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE sessions SET phase = 'paused'"))
        db.engine.dispose()
    refused = flask_db(database_url, "upgrade", succeeds=False)
    assert "sessions.phase holds 'paused'" in refused.stdout + refused.stderr
    assert state_of(app) == previous
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE sessions SET phase = 'voting'"))
        db.engine.dispose()
    flask_db(database_url, "upgrade")
    assert state_of(app) == head
    with app.app_context():
        assert db.session.scalars(sa.select(Session.phase)).one() is Phase.VOTING
