"""Program rules and cycles."""

from datetime import date

from sqlalchemy import JSON, CheckConstraint, Column, Date, Integer, String
from sqlmodel import Field, SQLModel


class ProgramRules(SQLModel, table=True):
    """The single row of program-wide rules."""

    __tablename__ = "program_rules"
    __table_args__ = (
        CheckConstraint("min_days_between_rotations >= 0", name="spacing_not_negative"),
        CheckConstraint("max_executives_per_team_per_day >= 0", name="team_cap_not_negative"),
    )

    id: int | None = Field(default=None, primary_key=True)
    rotation_pattern: list[str] = Field(
        default_factory=lambda: ["shadowing", "headset"], sa_column=Column(JSON, nullable=False)
    )
    min_days_between_rotations: int | None = Field(
        default=30, sa_column=Column(Integer, nullable=True)
    )
    max_executives_per_team_per_day: int | None = Field(
        default=2, sa_column=Column(Integer, nullable=True)
    )


class Cycle(SQLModel, table=True):
    """A program cycle: each executive owes their rotations within it."""

    __tablename__ = "cycle"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="range_in_order"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(80), nullable=False, unique=True))
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    # The date by which executives must have booked their rotations of this cycle.
    book_by: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
