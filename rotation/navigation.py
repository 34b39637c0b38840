"""The main navigation: each entry shows to whoever the access table lets in."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request, url_for
from flask_login import current_user

from .auth import may_access
from .i18n import _l

# (endpoint, label); the blueprint part decides which entry is marked as current.
NAV: list[tuple[str, object]] = [
    ("main.dashboard", _l("Overview")),
    ("sites.index", _l("Sites")),
    ("teams.index", _l("Teams")),
    ("agents.index", _l("Buddy agents")),
    ("executives.index", _l("Executives")),
    ("users.index", _l("Users")),
]


@dataclass(frozen=True)
class NavItem:
    url: str
    label: str
    active: bool


def add(endpoint: str, label: object, *, before: str | None = None) -> None:
    """Add an entry for a feature blueprint (before another entry, else at the end)."""
    if any(existing == endpoint for existing, _ in NAV):
        return
    position = next((i for i, (e, _) in enumerate(NAV) if e == before), len(NAV))
    NAV.insert(position, (endpoint, label))


def nav_items() -> list[NavItem]:
    current = (request.endpoint or "").split(".")[0]
    return [
        NavItem(url=url_for(endpoint), label=str(label), active=endpoint.split(".")[0] == current)
        for endpoint, label in NAV
        if may_access(current_user, endpoint)
    ]
