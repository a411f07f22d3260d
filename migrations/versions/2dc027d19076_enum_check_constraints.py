"""phases, item kinds and anonymity settings held to their values by CHECK constraints

The columns keep their types and their values (the enums' string values); only the
constraints are added. A row holding any other value stops the upgrade, naming it. On
SQLite the tables are rebuilt (batch mode), which needs a live database: `--sql` cannot.

Revision ID: 2dc027d19076
Revises: e5d1c03c8772
Create Date: 2026-11-29 19:57:57

"""

import sqlalchemy as sa
from alembic import context, op

revision = "2dc027d19076"
down_revision = "e5d1c03c8772"
branch_labels = None
depends_on = None

# (table, column, constraint, the values allowed at this revision)
CHECKS = [
    (
        "sessions",
        "phase",
        "ck_sessions_phase",
        ("lobby", "initiatives", "proposing", "voting", "sdg_picks", "results", "closed"),
    ),
    ("items", "kind", "ck_items_kind", ("barrier", "enabler")),
    ("workshops", "anonymity", "ck_workshops_anonymity", ("public", "facilitators", "hidden")),
]


def refuse_unknown_values(table, column, allowed):
    """Stop with a message naming the values the constraint would refuse."""
    if context.is_offline_mode():
        return
    col = sa.column(column)
    query = sa.select(col).select_from(sa.table(table, col)).where(col.not_in(allowed))
    found = sorted({row[0] for row in op.get_bind().execute(query.distinct())})
    if found:
        raise RuntimeError(
            f"{table}.{column} holds {', '.join(map(repr, found))}: only "
            f"{', '.join(allowed)} are allowed; correct those rows, then upgrade again"
        )


def upgrade():
    for table, column, _name, allowed in CHECKS:
        refuse_unknown_values(table, column, allowed)
    for table, column, name, allowed in CHECKS:
        quoted = ", ".join(f"'{v}'" for v in allowed)
        condition = f"{column} IN ({quoted})"
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(name, condition)


def downgrade():
    for table, _column, name, _allowed in reversed(CHECKS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="check")
