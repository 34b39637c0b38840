"""Users and their roles."""

import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

from .base import UTCDateTime, utcnow


class Role(StrEnum):
    PROGRAM_MANAGER = "program_manager"
    TEAM_LEAD = "team_lead"
    EXECUTIVE = "executive"


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class User(SQLModel, table=True):
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(254), nullable=False, unique=True))
    name: str = Field(sa_column=Column(String(120), nullable=False))
    password_hash: str = Field(sa_column=Column(String(255), nullable=False))
    # Flask-Login stores this, not the id: replacing it ends every session of the user at once.
    session_token: str = Field(
        default_factory=new_session_token,
        sa_column=Column(String(64), nullable=False, unique=True),
    )
    is_active: bool = Field(default=True, nullable=False)
    locale: str | None = Field(default=None, sa_column=Column(String(8), nullable=True))
    timezone: str | None = Field(default=None, sa_column=Column(String(64), nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False)
    )

    role_rows: list["UserRole"] = Relationship(
        back_populates="user",
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"},
    )

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(Role(row.role) for row in self.role_rows)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    # Flask-Login protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return self.session_token


class UserRole(SQLModel, table=True):
    __tablename__ = "user_role"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint("role IN ('program_manager', 'team_lead', 'executive')", name="known_role"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("user_account.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    role: str = Field(sa_column=Column(String(32), nullable=False))

    user: "User" = Relationship(back_populates="role_rows")
