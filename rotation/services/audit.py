"""Write audit rows in the caller's transaction."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from ..models import AuditEntry, User


def record(
    session: Session,
    *,
    actor: User | None,
    action: str,
    obj: Any,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Add an audit row for obj; it commits or rolls back with the change it describes."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=obj.__class__.__tablename__,
        object_id=getattr(obj, "id", None),
        before=before,
        after=after,
        reason=reason,
    )
    session.add(entry)
    return entry


def snapshot(obj: Any, fields: tuple[str, ...]) -> dict:
    """A JSON-safe copy of some fields of obj, for the before/after columns."""
    result = {}
    for field in fields:
        value = getattr(obj, field)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, (list, tuple, set, frozenset)):
            value = (
                sorted(str(item) for item in value)
                if isinstance(value, (set, frozenset))
                else list(value)
            )
        result[field] = value
    return result
