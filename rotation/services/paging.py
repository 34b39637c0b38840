"""One page of a growing list."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil
from typing import Any, Generic, TypeVar

from sqlalchemy import func
from sqlmodel import Session, select

T = TypeVar("T")

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    number: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def paginate(session: Session, statement: Any, *, page: int, per_page: int) -> Page:
    """Run statement for one page; page numbers outside the range are clamped."""
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    total = session.exec(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).one()
    pages = max(1, ceil(total / per_page))
    number = max(1, min(page, pages))
    items = list(session.exec(statement.offset((number - 1) * per_page).limit(per_page)).unique())
    return Page(items=items, number=number, per_page=per_page, total=total)
