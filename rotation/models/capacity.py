"""Slots: a team's offer of places on one local date and time."""

from datetime import date, time
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Time,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel

from .sites import Team


class SlotKind(StrEnum):
    SHADOWING = "shadowing"
    HEADSET = "headset"


class Slot(SQLModel, table=True):
    """Local date and times; the zone is the team's site's, applied only for display and feeds."""

    __tablename__ = "slot"
    __table_args__ = (
        UniqueConstraint("team_id", "day", "kind", "start_time"),
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("taken BETWEEN 0 AND capacity", name="never_overbooked"),
        CheckConstraint("start_time < end_time", name="starts_before_end"),
        CheckConstraint("kind IN ('shadowing', 'headset')", name="known_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    day: date = Field(sa_column=Column(Date, nullable=False, index=True))
    start_time: time = Field(sa_column=Column(Time, nullable=False))
    end_time: time = Field(sa_column=Column(Time, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    capacity: int = Field(sa_column=Column(Integer, nullable=False))
    taken: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))
    is_open: bool = Field(default=True, nullable=False)

    team: Team = Relationship(sa_relationship_kwargs={"lazy": "joined"})

    @property
    def free_places(self) -> int:
        return max(self.capacity - self.taken, 0) if self.is_open else 0
