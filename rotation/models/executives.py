"""Executives, when they cannot come and where they would like to go."""

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

from .accounts import User
from .sites import Site


class Executive(SQLModel, table=True):
    __tablename__ = "executive"
    __table_args__ = (CheckConstraint("rotations_required >= 0", name="rotations_not_negative"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, unique=True
        )
    )
    title: str = Field(default="", sa_column=Column(String(120), nullable=False))
    department: str = Field(default="", sa_column=Column(String(120), nullable=False))
    languages: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    home_site_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("site.id", ondelete="SET NULL"), nullable=True),
    )
    rotations_required: int = Field(default=1, sa_column=Column(Integer, nullable=False))

    user: User = Relationship(sa_relationship_kwargs={"lazy": "joined"})
    home_site: Site | None = Relationship(sa_relationship_kwargs={"lazy": "joined"})


class Unavailability(SQLModel, table=True):
    __tablename__ = "unavailability"
    __table_args__ = (CheckConstraint("start_date <= end_date", name="range_in_order"),)

    id: int | None = Field(default=None, primary_key=True)
    executive_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("executive.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    start_date: date = Field(sa_column=Column(Date, nullable=False))
    end_date: date = Field(sa_column=Column(Date, nullable=False))
    reason: str = Field(default="", sa_column=Column(String(200), nullable=False))


class SitePreference(SQLModel, table=True):
    __tablename__ = "site_preference"
    __table_args__ = (
        UniqueConstraint("executive_id", "site_id"),
        CheckConstraint("weight BETWEEN 0 AND 3", name="weight_in_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    executive_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("executive.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    site_id: int = Field(
        sa_column=Column(Integer, ForeignKey("site.id", ondelete="CASCADE"), nullable=False)
    )
    weight: int = Field(sa_column=Column(Integer, nullable=False))


class TopicPreference(SQLModel, table=True):
    __tablename__ = "topic_preference"
    __table_args__ = (
        UniqueConstraint("executive_id", "topic"),
        CheckConstraint("weight BETWEEN 0 AND 3", name="weight_in_range"),
    )

    id: int | None = Field(default=None, primary_key=True)
    executive_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("executive.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    topic: str = Field(sa_column=Column(String(60), nullable=False))
    weight: int = Field(sa_column=Column(Integer, nullable=False))
