"""dots per item and per participant, kept with the votes

Revision ID: e5d1c03c8772
Revises: a002107f57ec
Create Date: 2026-11-23 04:23:47.356973

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "e5d1c03c8772"
down_revision = "a002107f57ec"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "participant_dots",
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participants.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
        ),
        sa.PrimaryKeyConstraint("participant_id"),
    )
    with op.batch_alter_table("participant_dots", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_dots_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "item_dots",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("dots", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
        ),
        sa.PrimaryKeyConstraint("item_id"),
    )
    with op.batch_alter_table("item_dots", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_dots_session_id"), ["session_id"], unique=False)

    # sum the ledger that is already there
    op.execute(
        "INSERT INTO item_dots (item_id, session_id, dots) "
        "SELECT item_id, session_id, sum(delta) FROM votes GROUP BY item_id, session_id"
    )
    op.execute(
        "INSERT INTO participant_dots (participant_id, session_id, dots) "
        "SELECT participant_id, session_id, sum(delta) FROM votes "
        "GROUP BY participant_id, session_id"
    )


def downgrade():
    with op.batch_alter_table("item_dots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_dots_session_id"))

    op.drop_table("item_dots")
    with op.batch_alter_table("participant_dots", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_dots_session_id"))

    op.drop_table("participant_dots")
