"""Rotations (bookings): an executive's two days at one team, and their status."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel

from .accounts import User
from .base import UTCDateTime, utcnow
from .capacity import Slot
from .executives import Executive
from .sites import BuddyAgent, Team


class BookingStatus(StrEnum):
    PROPOSED = "proposed"
    REQUESTED = "requested"
    APPROVED = "approved"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


S = BookingStatus
# The whole life of a booking; states missing as keys are final.
ALLOWED: dict[BookingStatus, frozenset[BookingStatus]] = {
    S.PROPOSED: frozenset({S.REQUESTED, S.DECLINED, S.CANCELLED}),
    S.REQUESTED: frozenset({S.APPROVED, S.DECLINED, S.CANCELLED}),
    S.APPROVED: frozenset({S.COMPLETED, S.NO_SHOW, S.CANCELLED}),
}
# Statuses in which a booking holds its places.
HOLDS_PLACES: frozenset[BookingStatus] = frozenset({S.REQUESTED, S.APPROVED, S.COMPLETED})

_STATUS_SQL = ", ".join(f"'{status.value}'" for status in BookingStatus)


class Booking(SQLModel, table=True):
    __tablename__ = "booking"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_SQL})", name="known_status"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    executive_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("executive.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    team_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("team.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    status: str = Field(sa_column=Column(String(16), nullable=False, index=True))
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False))
    decided_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="SET NULL"), nullable=True
        ),
    )
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(UTCDateTime(), nullable=True)
    )
    decision_reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )

    executive: Executive = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    team: Team = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    decided_by: User | None = Relationship()
    days: list["BookingDay"] = Relationship(
        back_populates="booking",
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "lazy": "selectin",
            "order_by": "BookingDay.day_index",
        },
    )


class BookingDay(SQLModel, table=True):
    """Day k of a booking: its slot and the buddy agent beside the executive."""

    __tablename__ = "booking_day"
    __table_args__ = (
        UniqueConstraint("booking_id", "day_index"),
        CheckConstraint("day_index >= 0", name="day_index_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    booking_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("booking.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    day_index: int = Field(sa_column=Column(Integer, nullable=False))
    slot_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("slot.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    buddy_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("buddy_agent.id", ondelete="SET NULL"), nullable=True),
    )

    booking: Booking = Relationship(back_populates="days")
    slot: Slot = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    buddy: BuddyAgent | None = Relationship(sa_relationship_kwargs={"lazy": "joined"})
