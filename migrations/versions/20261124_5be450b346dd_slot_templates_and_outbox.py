"""Slot templates per team, and the mail outbox.

Revision ID: 5be450b346dd
Revises: 128330ffd86f
Create Date: 2026-11-24 08:56:28.263721
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import rotation.models.base

revision: str = "5be450b346dd"
down_revision: str | None = "128330ffd86f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=254), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", rotation.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", rotation.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_message_sent_at"), ["sent_at"], unique=False)

    op.create_table(
        "slot_template",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("weekdays", sa.JSON(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=False),
        sa.Column("end_time", sa.Time(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('shadowing', 'headset')", name=op.f("ck_slot_template_known_kind")
        ),
        sa.CheckConstraint("capacity >= 0", name=op.f("ck_slot_template_capacity_not_negative")),
        sa.CheckConstraint(
            "start_time < end_time", name=op.f("ck_slot_template_starts_before_end")
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_slot_template_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_template")),
    )
    with op.batch_alter_table("slot_template", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slot_template_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("slot_template", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slot_template_team_id"))

    op.drop_table("slot_template")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_message_sent_at"))

    op.drop_table("outbox_message")
