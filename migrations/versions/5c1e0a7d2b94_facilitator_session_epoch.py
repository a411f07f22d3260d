"""a facilitator's session epoch: signing out or a new password ends every session

Revision ID: 5c1e0a7d2b94
Revises: 2dc027d19076
Create Date: 2026-11-24 09:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5c1e0a7d2b94"
down_revision = "2dc027d19076"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("facilitators", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade():
    with op.batch_alter_table("facilitators", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
