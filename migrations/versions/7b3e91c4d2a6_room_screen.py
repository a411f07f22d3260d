"""the room screen: results shown or hidden, layout of the whole-workshop screen, and when
a session's phase started (the countdown's progress bar)

Revision ID: 7b3e91c4d2a6
Revises: 5c1e0a7d2b94
Create Date: 2026-12-01 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "7b3e91c4d2a6"
down_revision = "5c1e0a7d2b94"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("projector_results", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column(
                "projector_layout", sa.String(length=20), nullable=False, server_default="combined"
            )
        )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase_started_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("phase_started_at")
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("projector_layout")
        batch_op.drop_column("projector_results")
