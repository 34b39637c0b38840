"""Sites, their teams, team leads, buddy agents and blackout periods."""

from datetime import date

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlmodel import Field, Relationship, SQLModel


class Site(SQLModel, table=True):
    __tablename__ = "site"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    timezone: str = Field(sa_column=Column(String(64), nullable=False))
    address: str = Field(default="", sa_column=Column(String(300), nullable=False))
    # Public-holiday calendar: a country code, optionally with subdivision ("DE-SN", "AT").
    holiday_region: str | None = Field(default=None, sa_column=Column(String(16), nullable=True))

    teams: list["Team"] = Relationship(back_populates="site")


class Team(SQLModel, table=True):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("site_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    site_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("site.id", ondelete="RESTRICT"), nullable=False, index=True
        )
    )
    name: str = Field(sa_column=Column(String(120), nullable=False))
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))

    site: Site = Relationship(back_populates="teams", sa_relationship_kwargs={"lazy": "joined"})
    lead_rows: list["TeamLead"] = Relationship(
        back_populates="team", sa_relationship_kwargs={"cascade": "all, delete-orphan"}
    )


class TeamLead(SQLModel, table=True):
    __tablename__ = "team_lead"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )

    team: Team = Relationship(back_populates="lead_rows")


class BuddyAgent(SQLModel, table=True):
    __tablename__ = "buddy_agent"

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    name: str = Field(sa_column=Column(String(120), nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    is_active: bool = Field(default=True, nullable=False)


class Blackout(SQLModel, table=True):
    """A period in which a site or one team takes no visitors."""

    __tablename__ = "blackout"
    __table_args__ = (
        CheckConstraint("start_date <= end_date", name="range_in_order"),
        CheckConstraint("(site_id IS NULL) <> (team_id IS NULL)", name="site_or_team"),
    )

    id: int | None = Field(default=None, primary_key=True)
    site_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("site.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    team_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=True, index=True
        ),
    )
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    reason: str = Field(sa_column=Column(String(200), nullable=False))
