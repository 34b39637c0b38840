"""Rotations (bookings): the only place that moves a booking's status or its places."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import Session

from ..errors import Conflict, Invalid
from ..i18n import _, _l
from ..models import ALLOWED, HOLDS_PLACES, Booking, BookingStatus, Role, Slot, User, utcnow
from . import audit

# A status in words; the template filter status_label and this module's messages use it.
STATUS_LABELS = {
    BookingStatus.PROPOSED: _l("proposed"),
    BookingStatus.REQUESTED: _l("requested"),
    BookingStatus.APPROVED: _l("approved"),
    BookingStatus.DECLINED: _l("declined"),
    BookingStatus.CANCELLED: _l("cancelled"),
    BookingStatus.COMPLETED: _l("completed"),
    BookingStatus.NO_SHOW: _l("no-show"),
}


def first_day(booking: Booking) -> date | None:
    return booking.days[0].slot.day if booking.days else None


def can_cancel(actor: User, booking: Booking, now: datetime | None = None) -> bool:
    """Program managers cancel any rotation that has not ended in a final state."""
    del now  # the booking pages will add rules on the date; cancelling by the PM has none yet
    return actor.has_role(Role.PROGRAM_MANAGER) and BookingStatus.CANCELLED in ALLOWED.get(
        BookingStatus(booking.status), frozenset()
    )


def transition(
    session: Session,
    booking: Booking,
    to: BookingStatus,
    *,
    actor: User | None,
    reason: str = "",
    now: datetime | None = None,
) -> Booking:
    """Move a booking to status `to`; the one function that assigns status.

    Raises Invalid for a move the ALLOWED table forbids and Conflict when someone else
    changed the booking since it was read.
    """
    current = BookingStatus(booking.status)
    if to not in ALLOWED.get(current, frozenset()):
        raise Invalid(
            _(
                "A rotation cannot go from %(old)s to %(new)s.",
                old=STATUS_LABELS[current],
                new=STATUS_LABELS[to],
            )
        )
    seen = booking.version
    decided = {}
    if to in (BookingStatus.APPROVED, BookingStatus.DECLINED, BookingStatus.CANCELLED):
        decided = {
            "decided_by_id": actor.id if actor is not None else None,
            "decided_at": now or utcnow(),
            "decision_reason": reason,
        }
    result = session.execute(
        update(Booking)
        .where(Booking.id == booking.id, Booking.version == seen)
        .values(status=to.value, version=seen + 1, **decided)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        raise Conflict(_("Someone else changed this rotation; please reload."))
    session.refresh(booking)
    audit.record(
        session,
        actor=actor,
        action="booking.transition",
        obj=booking,
        before={"status": current.value},
        after={"status": to.value},
        reason=reason,
    )
    return booking


def take_places(session: Session, booking: Booking) -> None:
    """Take one place on each of the booking's slots.

    Raises Conflict when a slot has no free place left.
    """
    for day in booking.days:
        # One UPDATE guarded by the capacity holds on both databases (SQLite has no FOR UPDATE).
        result = session.execute(
            update(Slot)
            .where(Slot.id == day.slot_id, Slot.taken < Slot.capacity)
            .values(taken=Slot.taken + 1)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            raise Conflict(_("A slot of this rotation has no free place left."))
    for day in booking.days:
        session.expire(day.slot)


def release_places(session: Session, booking: Booking) -> None:
    """Give back the places a booking held on each of its slots."""
    for day in booking.days:
        # taken > 0 guards rows written before places were counted (demo and test data).
        session.execute(
            update(Slot)
            .where(Slot.id == day.slot_id, Slot.taken > 0)
            .values(taken=Slot.taken - 1)
            .execution_options(synchronize_session=False)
        )
    for day in booking.days:
        session.expire(day.slot)


def holds_places(booking: Booking) -> bool:
    return BookingStatus(booking.status) in HOLDS_PLACES
