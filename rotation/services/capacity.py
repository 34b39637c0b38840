"""Capacity: slot templates, generated slots, blackouts and the month grid."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta

import holidays as holiday_calendars
from sqlalchemy import and_, case, func, or_, update
from sqlmodel import Session, select

from ..errors import DomainError, Invalid, NotAllowed, NotFound
from ..i18n import _, ngettext
from ..models import (
    Blackout,
    Booking,
    BookingDay,
    BookingStatus,
    Executive,
    Role,
    Site,
    Slot,
    SlotKind,
    SlotTemplate,
    Team,
    Unavailability,
    User,
)
from . import audit
from .bookings import can_cancel, holds_places, release_places, transition
from .paging import Page, paginate
from .sites import can_manage_team, get_site, get_team, led_team_ids

MAX_GENERATE_DAYS = 400
MAX_GRID_DAYS = 100
TEMPLATE_FIELDS = ("weekdays", "start_time", "end_time", "kind", "capacity", "is_active")
# Bookings in these statuses still expect their days to happen; a blackout must cancel them.
LIVE_STATUSES = (BookingStatus.PROPOSED, BookingStatus.REQUESTED, BookingStatus.APPROVED)


def _managed_team(session: Session, actor: User, team_id: int) -> Team:
    team = get_team(session, team_id)
    if not can_manage_team(session, actor, team):
        raise NotAllowed(_("You can only manage your own teams."))
    return team


# --- public holidays ---------------------------------------------------------------------


def holidays_in(region: str | None, start: date, end: date) -> dict[date, str]:
    """Public holidays of a region like "DE-SN", "AT" or "CH-ZH" between start and end."""
    if not region:
        return {}
    country, _sep, subdiv = region.upper().partition("-")
    years = list(range(start.year, end.year + 1))
    try:
        calendar = holiday_calendars.country_holidays(
            country, subdiv=subdiv or None, years=years, language="en_US"
        )
    except NotImplementedError:
        return {}
    return {day: str(name) for day, name in calendar.items() if start <= day <= end}


def check_holiday_region(region: str) -> str:
    country, _sep, subdiv = region.upper().partition("-")
    try:
        holiday_calendars.country_holidays(country, subdiv=subdiv or None, years=[2027])
    except NotImplementedError:
        raise Invalid(
            _("Unknown holiday region (like DE-SN, AT or CH-ZH)."), field="region"
        ) from None
    return region.upper()


# --- templates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateData:
    weekdays: list[int]
    start_time: time
    end_time: time
    kind: str
    capacity: int
    is_active: bool = True


def list_templates(*, session: Session, actor: User, team_id: int) -> list[SlotTemplate]:
    """The team's templates, active first; for its leads and program managers."""
    _managed_team(session, actor, team_id)
    return list(
        session.exec(
            select(SlotTemplate)
            .where(SlotTemplate.team_id == team_id)
            .order_by(SlotTemplate.is_active.desc(), SlotTemplate.start_time, SlotTemplate.id)
        )
    )


def _check_template(
    session: Session, team_id: int, data: TemplateData, template_id: int | None
) -> None:
    if not data.weekdays or any(day not in range(7) for day in data.weekdays):
        raise Invalid(_("Choose at least one weekday."), field="weekdays")
    if data.kind not in {kind.value for kind in SlotKind}:
        raise Invalid(_("Unknown kind of slot."), field="kind")
    if data.start_time >= data.end_time:
        raise Invalid(_("The end must be after the start."), field="end_time")
    if not 0 <= data.capacity <= 50:
        raise Invalid(_("Capacity is a number from 0 to 50."), field="capacity")
    if not data.is_active:
        return
    # Generation matches a day's slot to its template by kind, so two active templates of
    # one kind must not share a weekday.
    others = session.exec(
        select(SlotTemplate).where(
            SlotTemplate.team_id == team_id,
            SlotTemplate.kind == data.kind,
            SlotTemplate.is_active.is_(True),
        )
    )
    for other in others:
        if other.id != template_id and set(other.weekdays) & set(data.weekdays):
            raise Invalid(
                _("Another active template of this kind covers one of these weekdays."),
                field="weekdays",
            )


def save_template(
    *,
    session: Session,
    actor: User,
    team_id: int,
    data: TemplateData,
    template_id: int | None = None,
) -> SlotTemplate:
    """Create a template, or change one of the team's. Raises Invalid naming the field."""
    _managed_team(session, actor, team_id)
    _check_template(session, team_id, data, template_id)
    if template_id is None:
        template = SlotTemplate(team_id=team_id, **_template_values(data))
        session.add(template)
        before = None
    else:
        template = session.get(SlotTemplate, template_id)
        if template is None or template.team_id != team_id:
            raise NotFound(_("This template does not exist."))
        before = audit.snapshot(template, TEMPLATE_FIELDS)
        for name, value in _template_values(data).items():
            setattr(template, name, value)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="slot_template.save",
        obj=template,
        before=before,
        after=audit.snapshot(template, TEMPLATE_FIELDS),
    )
    return template


def _template_values(data: TemplateData) -> dict:
    return {
        "weekdays": sorted(set(data.weekdays)),
        "start_time": data.start_time,
        "end_time": data.end_time,
        "kind": data.kind,
        "capacity": data.capacity,
        "is_active": data.is_active,
    }


# --- generation --------------------------------------------------------------------------


@dataclass
class GenerationReport:
    created: list[Slot] = field(default_factory=list)
    changed: list[Slot] = field(default_factory=list)
    left_alone: list[Slot] = field(default_factory=list)
    # Days a template would have covered, with the reason they were skipped.
    skipped: dict[date, str] = field(default_factory=dict)


def _blackout_reasons(session: Session, team: Team, start: date, end: date) -> dict[date, str]:
    rows = session.exec(
        select(Blackout).where(
            or_(Blackout.team_id == team.id, Blackout.site_id == team.site_id),
            Blackout.start_date <= end,
            Blackout.end_date >= start,
        )
    )
    reasons: dict[date, str] = {}
    for blackout in rows:
        day = max(blackout.start_date, start)
        while day <= min(blackout.end_date, end):
            reasons.setdefault(day, blackout.reason)
            day += timedelta(days=1)
    return reasons


def _booked_slot_ids(session: Session, slot_ids: list[int]) -> set[int]:
    if not slot_ids:
        return set()
    return set(session.exec(select(BookingDay.slot_id).where(BookingDay.slot_id.in_(slot_ids))))


def generate_slots(
    *, session: Session, actor: User, team_id: int, start: date, end: date
) -> GenerationReport:
    """Create the team's slots from its active templates for every day from start to end.

    Days in a blackout of the team or its site, and public holidays of the site's region,
    are skipped. Running it again never duplicates a slot: a free slot whose template
    changed gets the new times and capacity; a slot that holds a booking, or has none to
    match, is left alone; nothing is deleted. Raises Invalid for a bad range.
    """
    team = _managed_team(session, actor, team_id)
    if end < start:
        raise Invalid(_("The end must not be before the start."), field="end")
    if (end - start).days >= MAX_GENERATE_DAYS:
        raise Invalid(_("Generate at most %(n)d days at once.", n=MAX_GENERATE_DAYS), field="end")
    templates = [
        template
        for template in session.exec(
            select(SlotTemplate).where(
                SlotTemplate.team_id == team.id, SlotTemplate.is_active.is_(True)
            )
        )
    ]
    closed = _blackout_reasons(session, team, start, end)
    for day, name in holidays_in(team.site.holiday_region, start, end).items():
        closed.setdefault(day, _("Public holiday: %(name)s", name=name))
    existing = list(
        session.exec(
            select(Slot).where(Slot.team_id == team.id, Slot.day >= start, Slot.day <= end)
        )
    )
    by_day_kind = {(slot.day, slot.kind): slot for slot in existing}
    booked = _booked_slot_ids(session, [slot.id for slot in existing])
    report = GenerationReport()
    day = start
    while day <= end:
        for template in templates:
            if day.weekday() not in template.weekdays:
                continue
            if day in closed:
                report.skipped[day] = closed[day]
                continue
            slot = by_day_kind.get((day, template.kind))
            if slot is None:
                slot = Slot(
                    team_id=team.id,
                    day=day,
                    kind=template.kind,
                    start_time=template.start_time,
                    end_time=template.end_time,
                    capacity=template.capacity,
                )
                session.add(slot)
                report.created.append(slot)
                continue
            wanted = (template.start_time, template.end_time, template.capacity)
            if (slot.start_time, slot.end_time, slot.capacity) == wanted or (
                slot.id in booked or slot.taken > 0
            ):
                report.left_alone.append(slot)
                continue
            slot.start_time, slot.end_time, slot.capacity = wanted
            report.changed.append(slot)
        day += timedelta(days=1)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="slot.generate",
        obj=team,
        after={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "created": len(report.created),
            "changed": len(report.changed),
            "left_alone": len(report.left_alone),
        },
    )
    return report


# --- single slots ------------------------------------------------------------------------


def get_slot(session: Session, slot_id: int) -> Slot:
    slot = session.get(Slot, slot_id)
    if slot is None:
        raise NotFound(_("This slot does not exist."))
    return slot


def can_manage_slot(session: Session, actor: User, slot: Slot) -> bool:
    return can_manage_team(session, actor, slot.team)


def _managed_slot(session: Session, actor: User, slot_id: int) -> Slot:
    slot = get_slot(session, slot_id)
    if not can_manage_slot(session, actor, slot):
        raise NotAllowed(_("You can only manage your own teams."))
    return slot


def list_slots(
    *,
    session: Session,
    actor: User,
    team_id: int,
    start: date,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    """The team's slots from start on, a page at a time."""
    _managed_team(session, actor, team_id)
    query = (
        select(Slot)
        .where(Slot.team_id == team_id, Slot.day >= start)
        .order_by(Slot.day, Slot.start_time, Slot.id)
    )
    return paginate(session, query, page=page, per_page=per_page)


def set_slot_open(*, session: Session, actor: User, slot_id: int, is_open: bool) -> Slot:
    """Open or close a slot; a closed slot keeps its bookings but takes no new ones."""
    slot = _managed_slot(session, actor, slot_id)
    before = {"is_open": slot.is_open}
    slot.is_open = is_open
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="slot.open" if is_open else "slot.close",
        obj=slot,
        before=before,
        after={"is_open": is_open},
    )
    return slot


def change_capacity(*, session: Session, actor: User, slot_id: int, capacity: int) -> Slot:
    """Set a slot's capacity. Raises Invalid when it would fall below the places taken."""
    slot = _managed_slot(session, actor, slot_id)
    if not 0 <= capacity <= 50:
        raise Invalid(_("Capacity is a number from 0 to 50."), field="capacity")
    before = {"capacity": slot.capacity}
    # The check and the write are one statement, so a place taken meanwhile still counts.
    result = session.execute(
        update(Slot)
        .where(Slot.id == slot.id, Slot.taken <= capacity)
        .values(capacity=capacity)
        .execution_options(synchronize_session=False)
    )
    session.refresh(slot)
    if result.rowcount != 1:
        raise Invalid(
            ngettext(
                "%(num)d place is taken; the capacity cannot be lower.",
                "%(num)d places are taken; the capacity cannot be lower.",
                slot.taken,
            ),
            field="capacity",
        )
    audit.record(
        session,
        actor=actor,
        action="slot.capacity",
        obj=slot,
        before=before,
        after={"capacity": capacity},
    )
    return slot


# --- blackouts ---------------------------------------------------------------------------


class BlackoutHitsRotations(DomainError):
    """The blackout covers days of live rotations; the program manager must confirm."""

    status = 409

    def __init__(self, message: str, *, bookings: list[Booking]) -> None:
        super().__init__(message)
        self.bookings = bookings


@dataclass(frozen=True)
class BlackoutData:
    start_date: date
    end_date: date
    reason: str
    site_id: int | None = None
    team_id: int | None = None


def can_add_blackout(
    session: Session, actor: User, *, site_id: int | None, team_id: int | None
) -> bool:
    """Program managers black out sites and teams; team leads only their own teams."""
    if actor.has_role(Role.PROGRAM_MANAGER):
        return True
    return team_id is not None and team_id in led_team_ids(session, actor)


def affected_rotations(session: Session, data: BlackoutData) -> list[Booking]:
    """Live rotations with a day at the blacked-out site or team within the range."""
    query = (
        select(Booking)
        .join(BookingDay, BookingDay.booking_id == Booking.id)
        .join(Slot, Slot.id == BookingDay.slot_id)
        .join(Team, Team.id == Slot.team_id)
        .where(
            Slot.day >= data.start_date,
            Slot.day <= data.end_date,
            Booking.status.in_([status.value for status in LIVE_STATUSES]),
        )
        .order_by(Booking.id)
    )
    if data.team_id is not None:
        query = query.where(Slot.team_id == data.team_id)
    else:
        query = query.where(Team.site_id == data.site_id)
    return list(session.exec(query.distinct()).unique())


def add_blackout(
    *, session: Session, actor: User, data: BlackoutData, confirmed: bool = False
) -> Blackout:
    """Black out a site or team for a date range and close its slots in it.

    Raises BlackoutHitsRotations listing the live rotations in the range unless confirmed;
    confirmed, it cancels them with the blackout's reason (program managers only).
    """
    if (data.site_id is None) == (data.team_id is None):
        raise Invalid(_("Choose either a site or a team."), field="team_id")
    if data.team_id is not None:
        get_team(session, data.team_id)
    else:
        get_site(session, data.site_id)
    if not can_add_blackout(session, actor, site_id=data.site_id, team_id=data.team_id):
        raise NotAllowed(_("You can only black out your own teams."))
    if data.end_date < data.start_date:
        raise Invalid(_("The end must not be before the start."), field="end_date")
    reason = data.reason.strip()
    if not reason:
        raise Invalid(_("A reason is required."), field="reason")
    hit = affected_rotations(session, data)
    if hit and not confirmed:
        raise BlackoutHitsRotations(
            ngettext(
                "%(num)d rotation falls into this blackout.",
                "%(num)d rotations fall into this blackout.",
                len(hit),
            ),
            bookings=hit,
        )
    if hit and not all(can_cancel(actor, booking) for booking in hit):
        raise NotAllowed(_("Only a program manager can cancel rotations for a blackout."))
    blackout = Blackout(
        site_id=data.site_id,
        team_id=data.team_id,
        start_date=data.start_date,
        end_date=data.end_date,
        reason=reason[:200],
    )
    session.add(blackout)
    session.flush()
    for booking in hit:
        held = holds_places(booking)
        transition(
            session,
            booking,
            BookingStatus.CANCELLED,
            actor=actor,
            reason=_("Blackout: %(reason)s", reason=reason),
        )
        if held:
            release_places(session, booking)
    team_ids = (
        [data.team_id]
        if data.team_id is not None
        else list(session.exec(select(Team.id).where(Team.site_id == data.site_id)))
    )
    session.execute(
        update(Slot)
        .where(
            Slot.team_id.in_(team_ids),
            Slot.day >= data.start_date,
            Slot.day <= data.end_date,
        )
        .values(is_open=False)
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
    audit.record(
        session,
        actor=actor,
        action="blackout.create",
        obj=blackout,
        after={
            "start_date": data.start_date.isoformat(),
            "end_date": data.end_date.isoformat(),
            "cancelled": [booking.id for booking in hit],
        },
        reason=reason,
    )
    return blackout


def list_blackouts(*, session: Session, actor: User, page: int = 1, per_page: int = 25) -> Page:
    """Blackouts the actor may see: all for a program manager, their teams' and sites' else."""
    query = select(Blackout).order_by(Blackout.start_date.desc(), Blackout.id.desc())
    if not actor.has_role(Role.PROGRAM_MANAGER):
        team_ids = led_team_ids(session, actor)
        site_ids = select(Team.site_id).where(Team.id.in_(team_ids))
        query = query.where(or_(Blackout.team_id.in_(team_ids), Blackout.site_id.in_(site_ids)))
    return paginate(session, query, page=page, per_page=per_page)


# --- the month grid ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    free: int = 0
    requested: int = 0
    approved: int = 0
    has_slots: bool = False


@dataclass
class GridRow:
    team: Team
    cells: dict[date, Cell]
    totals: Cell


@dataclass
class Grid:
    days: list[date]
    rows: list[GridRow]
    day_totals: dict[date, Cell]
    totals: Cell
    # Executives in the program who are not marked unavailable that day: the demand side.
    available_executives: dict[date, int] = field(default_factory=dict)


def _add(a: Cell, b: Cell) -> Cell:
    return Cell(
        a.free + b.free,
        a.requested + b.requested,
        a.approved + b.approved,
        a.has_slots or b.has_slots,
    )


def capacity_grid(
    session: Session,
    *,
    start: date,
    end: date,
    site_id: int | None = None,
    team_id: int | None = None,
    topic: str | None = None,
    language: str | None = None,
) -> Grid:
    """Free, requested and approved places per team and day, with totals.

    Three queries whatever the number of teams and days: the teams, the slots summed per
    team and day, the booking days counted per team, day and status.
    """
    if end < start:
        raise Invalid(_("The end must not be before the start."), field="end")
    if (end - start).days >= MAX_GRID_DAYS:
        raise Invalid(_("Show at most %(n)d days at once.", n=MAX_GRID_DAYS), field="end")
    team_query = select(Team).join(Site, Site.id == Team.site_id).order_by(Site.name, Team.name)
    if site_id is not None:
        team_query = team_query.where(Team.site_id == site_id)
    if team_id is not None:
        team_query = team_query.where(Team.id == team_id)
    # Topics and languages are JSON lists; filtering the (few hundred at most) teams in
    # Python keeps the query the same on SQLite and PostgreSQL.
    teams = [
        team
        for team in session.exec(team_query).unique()
        if (not topic or topic in team.topics) and (not language or language in team.languages)
    ]
    ids = [team.id for team in teams]
    free: dict[tuple[int, date], int] = {}
    if ids:
        free_places = case((Slot.is_open.is_(True), Slot.capacity - Slot.taken), else_=0)
        for row in session.execute(
            select(Slot.team_id, Slot.day, func.sum(free_places))
            .where(Slot.team_id.in_(ids), Slot.day >= start, Slot.day <= end)
            .group_by(Slot.team_id, Slot.day)
        ):
            free[(row[0], row[1])] = int(row[2] or 0)
    counts: dict[tuple[int, date], dict[str, int]] = defaultdict(dict)
    if ids:
        for row in session.execute(
            select(Slot.team_id, Slot.day, Booking.status, func.count(BookingDay.id))
            .join(BookingDay, BookingDay.slot_id == Slot.id)
            .join(Booking, Booking.id == BookingDay.booking_id)
            .where(
                and_(Slot.team_id.in_(ids), Slot.day >= start, Slot.day <= end),
                Booking.status.in_(
                    [
                        BookingStatus.REQUESTED.value,
                        BookingStatus.APPROVED.value,
                        BookingStatus.COMPLETED.value,
                    ]
                ),
            )
            .group_by(Slot.team_id, Slot.day, Booking.status)
        ):
            counts[(row[0], row[1])][row[2]] = int(row[3])
    days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    day_totals = {day: Cell() for day in days}
    rows = []
    grand = Cell()
    for team in teams:
        cells = {}
        team_total = Cell()
        for day in days:
            key = (team.id, day)
            by_status = counts.get(key, {})
            cell = Cell(
                free=free.get(key, 0),
                requested=by_status.get(BookingStatus.REQUESTED.value, 0),
                approved=by_status.get(BookingStatus.APPROVED.value, 0)
                + by_status.get(BookingStatus.COMPLETED.value, 0),
                has_slots=key in free,
            )
            cells[day] = cell
            team_total = _add(team_total, cell)
            day_totals[day] = _add(day_totals[day], cell)
        rows.append(GridRow(team=team, cells=cells, totals=team_total))
        grand = _add(grand, team_total)
    return Grid(
        days=days,
        rows=rows,
        day_totals=day_totals,
        totals=grand,
        available_executives=_available_executives(session, start, end),
    )


def _available_executives(session: Session, start: date, end: date) -> dict[date, int]:
    """Per day, the active executives owing rotations minus those unavailable (two queries)."""
    in_program = (
        select(Executive.id)
        .join(User, User.id == Executive.user_id)
        .where(User.is_active.is_(True), Executive.rotations_required > 0)
    )
    total = session.exec(select(func.count()).select_from(in_program.subquery())).one()
    away: dict[date, set[int]] = defaultdict(set)
    for row in session.exec(
        select(Unavailability).where(
            Unavailability.executive_id.in_(in_program),
            Unavailability.start_date <= end,
            Unavailability.end_date >= start,
        )
    ):
        day = max(row.start_date, start)
        while day <= min(row.end_date, end):
            away[day].add(row.executive_id)
            day += timedelta(days=1)
    days = (end - start).days + 1
    return {
        start + timedelta(days=n): total - len(away[start + timedelta(days=n)]) for n in range(days)
    }


def heat_level(cell: Cell) -> int:
    """0 (no slots or nothing free) to 5 (many free places): the grid cell's CSS class."""
    if not cell.has_slots or cell.free <= 0:
        return 0
    return min(cell.free, 5)
