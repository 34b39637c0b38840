"""Plans: the current state as a planning problem (spec: shared/spec/planning-format.md)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date

from sqlmodel import Session, select

from ..errors import Invalid
from ..i18n import _
from ..models import (
    HOLDS_PLACES,
    Booking,
    BookingDay,
    BookingStatus,
    Executive,
    PlanRun,
    ProgramRules,
    Site,
    SitePreference,
    Slot,
    Team,
    TopicPreference,
    Unavailability,
    User,
)
from .availability import current_cycle

FORMAT = "rotation-problem/1"
MAX_HORIZON_DAYS = 400


def team_key(team_id: int) -> str:
    return f"team-{team_id}"


def slot_key(slot_id: int) -> str:
    return f"slot-{slot_id}"


def executive_key(executive_id: int) -> str:
    return f"exec-{executive_id}"


def _rules(session: Session) -> dict:
    rules = session.exec(select(ProgramRules).order_by(ProgramRules.id)).first() or ProgramRules()
    return {
        "rotation": list(rules.rotation_pattern),
        "min_days_between_rotations": rules.min_days_between_rotations,
        "max_executives_per_team_per_day": rules.max_executives_per_team_per_day,
    }


def _is_rotation(days: list[Slot], pattern: list[str], start: date, end: date) -> bool:
    """Whether the slots form one rotation in the horizon, as the spec defines it."""
    if len(days) != len(pattern) or len({slot.team_id for slot in days}) != 1:
        return False
    first = days[0].day
    return all(
        slot.kind == kind and (slot.day - first).days == index and start <= slot.day <= end
        for index, (slot, kind) in enumerate(zip(days, pattern, strict=True))
    )


def latest_published_run(
    session: Session, *, start: date | None = None, end: date | None = None
) -> PlanRun | None:
    """The run published last, of those whose horizon overlaps [start, end] when given."""
    query = select(PlanRun).where(PlanRun.published_at.is_not(None))
    if start is not None and end is not None:
        query = query.where(PlanRun.horizon_start <= end, PlanRun.horizon_end >= start)
    return session.exec(query.order_by(PlanRun.published_at.desc(), PlanRun.id.desc())).first()


def _published_previous(
    session: Session, start: date, end: date, slot_keys: set[str], executive_keys: set[str]
) -> list[dict] | None:
    """The published plan's rotations that this export can still name; None when none exists."""
    published = latest_published_run(session, start=start, end=end)
    if published is None or published.plan_json is None:
        return None
    return [
        {"executive": rotation["executive"], "slots": list(rotation["slots"])}
        for rotation in json.loads(published.plan_json)["rotations"]
        if rotation["executive"] in executive_keys and set(rotation["slots"]) <= slot_keys
    ]


def export_problem(
    session: Session,
    *,
    start: date,
    end: date,
    site_ids: list[int] | None = None,
    team_ids: list[int] | None = None,
) -> dict:
    """The planning problem for the horizon [start, end] as a JSON-ready dict.

    Approved rotations inside the horizon become `fixed` and keep their places in the
    slot capacities; places held by other rotations (requested ones, or approved ones
    reaching outside the horizon or the exported teams) are taken off the capacity and off
    the executive's `rotations`. Declined (executive, slot) pairs become `forbidden`;
    the published plan's rotations (those whose slots still exist) become `previous`, or
    the proposed rotations while no plan has been published.
    """
    if end < start:
        raise Invalid(_("The end must not be before the start."), field="end")
    if (end - start).days >= MAX_HORIZON_DAYS:
        raise Invalid(_("Export at most %(n)d days.", n=MAX_HORIZON_DAYS), field="end")
    rules = _rules(session)
    pattern = rules["rotation"]

    team_query = select(Team).join(Site, Site.id == Team.site_id).order_by(Team.id)
    if site_ids is not None:
        team_query = team_query.where(Team.site_id.in_(site_ids))
    if team_ids is not None:
        team_query = team_query.where(Team.id.in_(team_ids))
    teams = list(session.exec(team_query).unique())
    exported_team_ids = {team.id for team in teams}

    slots = {
        slot.id: slot
        for slot in session.exec(
            select(Slot)
            .where(Slot.team_id.in_(exported_team_ids), Slot.day >= start, Slot.day <= end)
            .order_by(Slot.team_id, Slot.day, Slot.start_time, Slot.id)
        ).unique()
    }

    # Every booking with a day in the horizon at an exported team, with its days in order.
    booking_ids = set(
        session.exec(select(BookingDay.booking_id).where(BookingDay.slot_id.in_(list(slots))))
    )
    bookings = list(
        session.exec(
            select(Booking).where(Booking.id.in_(booking_ids)).order_by(Booking.id)
        ).unique()
    )

    executives = list(
        session.exec(
            select(Executive)
            .join(User, User.id == Executive.user_id)
            .where(User.is_active.is_(True))
            .order_by(Executive.id)
        ).unique()
    )
    exported_executive_ids = {executive.id for executive in executives}

    fixed: list[Booking] = []
    forbidden: set[tuple[int, int]] = set()
    previous: list[Booking] = []
    held_elsewhere: Counter[int] = Counter()  # places in slots, by slot id
    for booking in bookings:
        status = BookingStatus(booking.status)
        days = [day.slot for day in booking.days]
        in_export = booking.executive_id in exported_executive_ids and all(
            slot.id in slots for slot in days
        )
        if (
            status == BookingStatus.APPROVED
            and in_export
            and _is_rotation(days, pattern, start, end)
        ):
            fixed.append(booking)
        elif status in HOLDS_PLACES:
            held_elsewhere.update(slot.id for slot in days)
        elif status == BookingStatus.DECLINED:
            forbidden.update((booking.executive_id, slot.id) for slot in days if slot.id in slots)
        elif (
            status == BookingStatus.PROPOSED
            and in_export
            and _is_rotation(days, pattern, start, end)
        ):
            previous.append(booking)

    fixed_uses = Counter(day.slot_id for booking in fixed for day in booking.days)
    fixed_pairs = {(booking.executive_id, day.slot_id) for booking in fixed for day in booking.days}
    forbidden -= fixed_pairs

    exported_slots = []
    for slot in slots.values():
        if not slot.is_open and not fixed_uses[slot.id]:
            continue
        # A closed slot offers no new places but still holds its fixed rotations.
        offered = slot.capacity - held_elsewhere[slot.id] if slot.is_open else fixed_uses[slot.id]
        exported_slots.append(
            {
                "id": slot_key(slot.id),
                "team": team_key(slot.team_id),
                "date": slot.day.isoformat(),
                "start": slot.start_time.strftime("%H:%M"),
                "end": slot.end_time.strftime("%H:%M"),
                "kind": slot.kind,
                "capacity": max(offered, fixed_uses[slot.id], 0),
            }
        )

    published = _published_previous(
        session,
        start,
        end,
        {slot["id"] for slot in exported_slots},
        {executive_key(executive.id) for executive in executives},
    )
    return {
        "format": FORMAT,
        "horizon": {"start": start.isoformat(), "end": end.isoformat()},
        "rules": rules,
        "teams": [
            {
                "id": team_key(team.id),
                "site": team.site.name,
                "timezone": team.site.timezone,
                "languages": list(team.languages),
                "topics": list(team.topics),
            }
            for team in teams
        ],
        "slots": exported_slots,
        "executives": _executives(session, executives, fixed, start, end),
        "fixed": [_rotation(booking) for booking in fixed],
        "forbidden": [
            {"executive": executive_key(executive_id), "slot": slot_key(slot_id)}
            for executive_id, slot_id in sorted(forbidden)
        ],
        # Until a plan is published, the proposed rotations are the best history there is.
        "previous": (
            published if published is not None else [_rotation(booking) for booking in previous]
        ),
    }


def _rotation(booking: Booking) -> dict:
    return {
        "executive": executive_key(booking.executive_id),
        "slots": [slot_key(day.slot_id) for day in booking.days],
    }


def _executives(
    session: Session, executives: list[Executive], fixed: list[Booking], start: date, end: date
) -> list[dict]:
    ids = [executive.id for executive in executives]
    fixed_ids = {booking.id for booking in fixed}
    fixed_count = Counter(booking.executive_id for booking in fixed)
    cycle = current_cycle(session, today=start)
    # Rotations already held this cycle (or in the horizon, without a cycle) that the
    # problem does not list as fixed still count against what an executive owes.
    first_days = (
        select(Booking.id, Booking.executive_id, Slot.day)
        .join(BookingDay, BookingDay.booking_id == Booking.id)
        .join(Slot, Slot.id == BookingDay.slot_id)
        .where(
            Booking.executive_id.in_(ids),
            Booking.status.in_([status.value for status in HOLDS_PLACES]),
            BookingDay.day_index == 0,
        )
    )
    window = (cycle.start_date, max(cycle.end_date, end)) if cycle else (start, end)
    held = Counter(
        executive_id
        for booking_id, executive_id, day in session.execute(first_days)
        if booking_id not in fixed_ids and window[0] <= day <= window[1]
    )
    unavailable: dict[int, list[list[str]]] = defaultdict(list)
    for row in session.exec(
        select(Unavailability)
        .where(
            Unavailability.executive_id.in_(ids),
            Unavailability.start_date <= end,
            Unavailability.end_date >= start,
        )
        .order_by(Unavailability.start_date)
    ):
        unavailable[row.executive_id].append([row.start_date.isoformat(), row.end_date.isoformat()])
    site_names = dict(session.execute(select(Site.id, Site.name)).all())
    site_weights: dict[int, dict[str, int]] = defaultdict(dict)
    for row in session.exec(select(SitePreference).where(SitePreference.executive_id.in_(ids))):
        site_weights[row.executive_id][site_names[row.site_id]] = row.weight
    topic_weights: dict[int, dict[str, int]] = defaultdict(dict)
    for row in session.exec(select(TopicPreference).where(TopicPreference.executive_id.in_(ids))):
        topic_weights[row.executive_id][row.topic] = row.weight
    result = []
    for executive in executives:
        owed = max(executive.rotations_required - held[executive.id], 0)
        entry: dict = {
            "id": executive_key(executive.id),
            "languages": list(executive.languages),
            # Never fewer than the fixed ones, or the fixed rotations alone would break rule 4.
            "rotations": max(owed, fixed_count[executive.id]),
            "unavailable": unavailable.get(executive.id, []),
            "preferences": {
                "sites": site_weights.get(executive.id, {}),
                "topics": topic_weights.get(executive.id, {}),
            },
        }
        result.append(entry)
    return result
