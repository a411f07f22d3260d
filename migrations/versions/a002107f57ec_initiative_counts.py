"""initiative counts, and an index for board pages

Revision ID: a002107f57ec
Revises: 9cd1939f33ab
Create Date: 2026-11-23 04:17:23.111250

"""

import sqlalchemy as sa
from alembic import op

revision = "a002107f57ec"
down_revision = "9cd1939f33ab"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "initiative_counts",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("axis", sa.String(length=20), nullable=False),
        sa.Column("sdg", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["sessions.id"]),
        sa.PrimaryKeyConstraint("session_id", "axis", "sdg"),
    )
    # count what is already there: sdg 0 holds an axis's initiatives, the others its cells
    op.execute(
        "INSERT INTO initiative_counts (session_id, axis, sdg, count) "
        "SELECT session_id, axis, 0, count(*) FROM initiatives "
        "WHERE withdrawn_at IS NULL GROUP BY session_id, axis"
    )
    op.execute(
        "INSERT INTO initiative_counts (session_id, axis, sdg, count) "
        "SELECT i.session_id, i.axis, s.sdg, count(*) FROM initiatives i "
        "JOIN initiative_sdgs s ON s.initiative_id = i.id "
        "WHERE i.withdrawn_at IS NULL GROUP BY i.session_id, i.axis, s.sdg"
    )
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.create_index("ix_initiatives_session_board", ["session_id", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.drop_index("ix_initiatives_session_board")
    op.drop_table("initiative_counts")
