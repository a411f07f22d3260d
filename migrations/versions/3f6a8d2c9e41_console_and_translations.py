"""the console and live translation: countdowns that pause and close their phase, moderated
initiatives and corrected wordings kept with the original, participants entered by a
facilitator, dismissed merge suggestions, and stored translations of participants' texts

Revision ID: 3f6a8d2c9e41
Revises: 7b3e91c4d2a6
Create Date: 2026-11-29 23:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "3f6a8d2c9e41"
down_revision = "7b3e91c4d2a6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "translations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=12), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("source_language", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source_digest", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("translated_by", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("subject", "subject_id", "field", "language"),
    )
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_translations_workshop_id"), ["workshop_id"], unique=False
        )

    op.create_table(
        "merge_dismissals",
        sa.Column("item_a_id", sa.Integer(), nullable=False),
        sa.Column("item_b_id", sa.Integer(), nullable=False),
        sa.Column("workshop_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_a_id"],
            ["items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["item_b_id"],
            ["items.id"],
        ),
        sa.ForeignKeyConstraint(
            ["workshop_id"],
            ["workshops.id"],
        ),
        sa.PrimaryKeyConstraint("item_a_id", "item_b_id"),
    )
    with op.batch_alter_table("merge_dismissals", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_merge_dismissals_workshop_id"), ["workshop_id"], unique=False
        )

    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("hidden", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("original_title", sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column("original_description", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("corrected_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_text", sa.String(length=280), nullable=True))
        batch_op.add_column(sa.Column("corrected_at", sa.DateTime(), nullable=True))

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_participants_entered_by_id_facilitators", "facilitators", ["entered_by_id"], ["id"]
        )

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("phase_paused_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("phase_auto_close", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("authors_translate", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table("workshops", schema=None) as batch_op:
        batch_op.drop_column("authors_translate")

    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_column("phase_auto_close")
        batch_op.drop_column("phase_paused_seconds")

    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_constraint("fk_participants_entered_by_id_facilitators", type_="foreignkey")
        batch_op.drop_column("entered_by_id")

    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("corrected_at")
        batch_op.drop_column("original_text")

    with op.batch_alter_table("initiatives", schema=None) as batch_op:
        batch_op.drop_column("corrected_at")
        batch_op.drop_column("original_description")
        batch_op.drop_column("original_title")
        batch_op.drop_column("hidden")

    with op.batch_alter_table("merge_dismissals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_merge_dismissals_workshop_id"))

    op.drop_table("merge_dismissals")
    with op.batch_alter_table("translations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_translations_workshop_id"))

    op.drop_table("translations")
