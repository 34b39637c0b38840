"""The audit log: who did what, when, and what it was before and after."""

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Text
from sqlmodel import Field, SQLModel

from .base import UTCDateTime, utcnow


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, index=True)
    )
    actor_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    action: str = Field(sa_column=Column(String(60), nullable=False))
    object_type: str = Field(sa_column=Column(String(40), nullable=False))
    object_id: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    before: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    after: dict | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
