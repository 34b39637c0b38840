"""What each role's dashboard shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from ..models import (
    HOLDS_PLACES,
    Booking,
    BookingDay,
    BookingStatus,
    BuddyAgent,
    Cycle,
    Executive,
    Site,
    Slot,
    Team,
    TeamLead,
    User,
)

ATTENTION_LIMIT = 10


@dataclass
class ManagerOverview:
    counts: dict[str, int]
    by_status: dict[str, int]
    waiting_requests: list[Booking]
    executives_without_booking: int
    cycle: Cycle | None


@dataclass
class LeadOverview:
    teams: list[Team]
    pending: list[Booking]
    upcoming: list[Booking]


@dataclass
class ExecutiveOverview:
    executive: Executive | None
    next_booking: Booking | None
    proposed: list[Booking] = field(default_factory=list)
    cycle: Cycle | None = None
    required: int = 0
    held: int = 0


def current_cycle(session: Session, today: date) -> Cycle | None:
    return session.exec(
        select(Cycle)
        .where(Cycle.start_date <= today, Cycle.end_date >= today)
        .order_by(Cycle.start_date)
    ).first()


def _first_day(booking_id_column):
    return (
        select(func.min(Slot.day))
        .join(BookingDay, BookingDay.slot_id == Slot.id)
        .where(BookingDay.booking_id == booking_id_column)
        .scalar_subquery()
    )


def manager_overview(session: Session, *, today: date) -> ManagerOverview:
    """Counts and what needs a program manager's attention."""
    counts = {
        "sites": session.exec(select(func.count()).select_from(Site)).one(),
        "teams": session.exec(select(func.count()).select_from(Team)).one(),
        "agents": session.exec(
            select(func.count()).select_from(BuddyAgent).where(BuddyAgent.is_active)
        ).one(),
        "executives": session.exec(select(func.count()).select_from(Executive)).one(),
        "open_slots": session.exec(
            select(func.count())
            .select_from(Slot)
            .where(Slot.is_open, Slot.day >= today, Slot.taken < Slot.capacity)
        ).one(),
    }
    by_status = dict(
        session.exec(select(Booking.status, func.count()).group_by(Booking.status)).all()
    )
    waiting = list(
        session.exec(
            select(Booking)
            .where(Booking.status == BookingStatus.REQUESTED.value)
            .order_by(Booking.created_at)
            .limit(ATTENTION_LIMIT)
        ).unique()
    )
    active = [status.value for status in HOLDS_PLACES]
    with_booking = select(Booking.executive_id).where(Booking.status.in_(active))
    without = session.exec(
        select(func.count())
        .select_from(Executive)
        .where(Executive.rotations_required > 0, Executive.id.not_in(with_booking))
    ).one()
    return ManagerOverview(
        counts=counts,
        by_status=by_status,
        waiting_requests=waiting,
        executives_without_booking=without,
        cycle=current_cycle(session, today),
    )


def lead_overview(session: Session, *, lead: User, today: date) -> LeadOverview:
    """A team lead's teams, the visits waiting for their decision, and the next visits."""
    team_ids = select(TeamLead.team_id).where(TeamLead.user_id == lead.id)
    teams = list(session.exec(select(Team).where(Team.id.in_(team_ids)).order_by(Team.name)))
    first_day = _first_day(Booking.id)
    pending = list(
        session.exec(
            select(Booking)
            .where(Booking.team_id.in_(team_ids), Booking.status == BookingStatus.REQUESTED.value)
            .order_by(first_day)
            .limit(ATTENTION_LIMIT)
        ).unique()
    )
    upcoming = list(
        session.exec(
            select(Booking)
            .where(
                Booking.team_id.in_(team_ids),
                Booking.status == BookingStatus.APPROVED.value,
                first_day >= today,
            )
            .order_by(first_day)
            .limit(ATTENTION_LIMIT)
        ).unique()
    )
    return LeadOverview(teams=teams, pending=pending, upcoming=upcoming)


def executive_overview(session: Session, *, user: User, today: date) -> ExecutiveOverview:
    """An executive's next rotation, proposals to answer and what this cycle still needs."""
    executive = session.exec(select(Executive).where(Executive.user_id == user.id)).first()
    if executive is None:
        return ExecutiveOverview(executive=None, next_booking=None)
    first_day = _first_day(Booking.id)
    next_booking = session.exec(
        select(Booking)
        .where(
            Booking.executive_id == executive.id,
            Booking.status.in_([BookingStatus.REQUESTED.value, BookingStatus.APPROVED.value]),
            first_day >= today,
        )
        .order_by(first_day)
    ).first()
    proposed = list(
        session.exec(
            select(Booking)
            .where(
                Booking.executive_id == executive.id, Booking.status == BookingStatus.PROPOSED.value
            )
            .order_by(first_day)
            .limit(ATTENTION_LIMIT)
        ).unique()
    )
    cycle = current_cycle(session, today)
    held_query = (
        select(func.count())
        .select_from(Booking)
        .where(
            Booking.executive_id == executive.id,
            Booking.status.in_([status.value for status in HOLDS_PLACES]),
        )
    )
    if cycle is not None:
        held_query = held_query.where(first_day >= cycle.start_date, first_day <= cycle.end_date)
    return ExecutiveOverview(
        executive=executive,
        next_booking=next_booking,
        proposed=proposed,
        cycle=cycle,
        required=executive.rotations_required,
        held=session.exec(held_query).one(),
    )
