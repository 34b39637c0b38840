"""Weekly slot templates: the pattern from which a team's slots are generated."""

from datetime import time

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Integer, String, Time
from sqlmodel import Field, SQLModel


class SlotTemplate(SQLModel, table=True):
    """Every listed weekday (0 = Monday) the team offers `capacity` places of one kind."""

    __tablename__ = "slot_template"
    __table_args__ = (
        CheckConstraint("capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("start_time < end_time", name="starts_before_end"),
        CheckConstraint("kind IN ('shadowing', 'headset')", name="known_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    weekdays: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    start_time: time = Field(sa_column=Column(Time, nullable=False))
    end_time: time = Field(sa_column=Column(Time, nullable=False))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    capacity: int = Field(sa_column=Column(Integer, nullable=False))
    is_active: bool = Field(default=True, nullable=False)
