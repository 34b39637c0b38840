"""Planning runs: one optimizer run over a horizon, its progress, its draft and its publication."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    text,
)
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class PlanRunStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    FAILED = "failed"
    FINISHED = "finished"


R = PlanRunStatus
# A run in one of these states still owns its horizon: no second run may start there.
ACTIVE_RUN_STATUSES: frozenset[PlanRunStatus] = frozenset({R.QUEUED, R.RUNNING, R.CANCELLING})

_STATUS_SQL = ", ".join(f"'{status.value}'" for status in PlanRunStatus)
_ACTIVE_SQL = ", ".join(f"'{status.value}'" for status in sorted(ACTIVE_RUN_STATUSES))
_PLAN_STATUS_SQL = "'OPTIMAL', 'FEASIBLE', 'INFEASIBLE', 'UNKNOWN'"


class PlanRun(SQLModel, table=True):
    """A run of the optimizer; its plan is a draft until someone publishes it."""

    __tablename__ = "plan_run"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="known_status"),
        CheckConstraint(
            f"plan_status IS NULL OR plan_status IN ({_PLAN_STATUS_SQL})",
            name="known_plan_status",
        ),
        CheckConstraint("horizon_start <= horizon_end", name="horizon_in_order"),
        CheckConstraint("time_limit_s > 0", name="time_limit_positive"),
        CheckConstraint("backend IN ('thread', 'rq')", name="known_backend"),
        # The database, not only the service, keeps a horizon to one active run at a time.
        Index(
            "uq_plan_run_active_horizon",
            "horizon_start",
            "horizon_end",
            unique=True,
            sqlite_where=text(f"status IN ({_ACTIVE_SQL})"),
            postgresql_where=text(f"status IN ({_ACTIVE_SQL})"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    horizon_start: date = Field(sa_column=Column(Date, nullable=False))
    horizon_end: date = Field(sa_column=Column(Date, nullable=False))
    site_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    team_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    time_limit_s: int = Field(sa_column=Column(Integer, nullable=False))
    status: str = Field(
        default=PlanRunStatus.QUEUED.value,
        sa_column=Column(String(16), nullable=False, index=True),
    )
    phase: str = Field(default="", sa_column=Column(String(60), nullable=False))
    # The failure reason, or a short note on how the run ended.
    message: str = Field(default="", sa_column=Column(Text, nullable=False))
    # Points {"t", "phase", "coverage", "preference", "coverage_bound", "preference_bound"}.
    progress: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    objective: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    bound: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    plan_status: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))
    problem_json: str = Field(sa_column=Column(Text, nullable=False))
    plan_json: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # Adjustments of the draft, [{"executive_id": int, "slot_ids": [int, ...]}]: pins are
    # fixed and drops forbidden in a run based on this one.
    pins: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    drops: list[dict] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    based_on_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("plan_run.id", ondelete="SET NULL"), nullable=True),
    )
    created_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    started_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    finished_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    # Refreshed by the worker while it solves; an old value means the worker died.
    heartbeat_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    backend: str = Field(default="thread", sa_column=Column(String(16), nullable=False))
    job_id: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    published_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True, index=True)
    )
    published_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )

    @property
    def is_active(self) -> bool:
        return PlanRunStatus(self.status) in ACTIVE_RUN_STATUSES
