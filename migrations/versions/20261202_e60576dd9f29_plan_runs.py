"""Planning runs: one optimizer run per row, with its progress, draft and publication.

Revision ID: e60576dd9f29
Revises: 5be450b346dd
Create Date: 2026-12-02 06:05:54.600220
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import rotation.models.base

revision: str = "e60576dd9f29"
down_revision: str | None = "5be450b346dd"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ACTIVE = sa.text("status IN ('cancelling', 'queued', 'running')")


def upgrade() -> None:
    op.create_table(
        "plan_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("horizon_start", sa.Date(), nullable=False),
        sa.Column("horizon_end", sa.Date(), nullable=False),
        sa.Column("site_ids", sa.JSON(), nullable=False),
        sa.Column("team_ids", sa.JSON(), nullable=False),
        sa.Column("time_limit_s", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("phase", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("objective", sa.JSON(), nullable=True),
        sa.Column("bound", sa.JSON(), nullable=True),
        sa.Column("plan_status", sa.String(length=16), nullable=True),
        sa.Column("problem_json", sa.Text(), nullable=False),
        sa.Column("plan_json", sa.Text(), nullable=True),
        sa.Column("pins", sa.JSON(), nullable=False),
        sa.Column("drops", sa.JSON(), nullable=False),
        sa.Column("based_on_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", rotation.models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", rotation.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", rotation.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", rotation.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("backend", sa.String(length=16), nullable=False),
        sa.Column("job_id", sa.String(length=64), nullable=True),
        sa.Column("published_at", rotation.models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("backend IN ('thread', 'rq')", name=op.f("ck_plan_run_known_backend")),
        sa.CheckConstraint(
            "plan_status IS NULL OR "
            "plan_status IN ('OPTIMAL', 'FEASIBLE', 'INFEASIBLE', 'UNKNOWN')",
            name=op.f("ck_plan_run_known_plan_status"),
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'cancelling', 'cancelled', 'failed', 'finished')",
            name=op.f("ck_plan_run_known_status"),
        ),
        sa.CheckConstraint(
            "horizon_start <= horizon_end", name=op.f("ck_plan_run_horizon_in_order")
        ),
        sa.CheckConstraint("time_limit_s > 0", name=op.f("ck_plan_run_time_limit_positive")),
        sa.ForeignKeyConstraint(
            ["based_on_id"],
            ["plan_run.id"],
            name=op.f("fk_plan_run_based_on_id_plan_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_plan_run_created_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user_account.id"],
            name=op.f("fk_plan_run_published_by_id_user_account"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_run")),
    )
    with op.batch_alter_table("plan_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_run_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_run_published_at"), ["published_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_run_status"), ["status"], unique=False)
        # Only one queued, running or cancelling run per horizon.
        batch_op.create_index(
            "uq_plan_run_active_horizon",
            ["horizon_start", "horizon_end"],
            unique=True,
            sqlite_where=ACTIVE,
            postgresql_where=ACTIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_run", schema=None) as batch_op:
        batch_op.drop_index("uq_plan_run_active_horizon")
        batch_op.drop_index(batch_op.f("ix_plan_run_status"))
        batch_op.drop_index(batch_op.f("ix_plan_run_published_at"))
        batch_op.drop_index(batch_op.f("ix_plan_run_created_at"))

    op.drop_table("plan_run")
