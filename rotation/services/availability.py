"""Executives' availability: unavailable ranges, languages, preferences, program status.

Overlapping or touching unavailable ranges are merged into one when added, so an
executive's list stays short and the planner sees each day once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func
from sqlmodel import Session, select

from ..errors import Invalid, NotAllowed, NotFound
from ..i18n import _, in_locale, ngettext
from ..models import (
    Booking,
    BookingDay,
    BookingStatus,
    Cycle,
    Executive,
    Role,
    Site,
    SitePreference,
    Slot,
    TopicPreference,
    Unavailability,
    User,
)
from . import audit, outbox
from .accounts import executive_of, get_executive
from .csvfiles import import_all, parse_languages, read_rows

MAX_RANGE_DAYS = 366
MAX_WEIGHT = 3


def can_edit_availability(actor: User, executive: Executive) -> bool:
    """Executives edit their own availability; program managers anyone's."""
    return actor.has_role(Role.PROGRAM_MANAGER) or (
        actor.has_role(Role.EXECUTIVE) and executive.user_id == actor.id
    )


def executive_for(*, session: Session, actor: User, executive_id: int | None) -> Executive:
    """The executive whose availability the actor edits: their own when executive_id is None.

    Raises NotFound, or NotAllowed for someone else's.
    """
    if executive_id is None:
        executive = executive_of(session, actor)
        if executive is None:
            raise NotFound(_("Your account has no executive profile."))
    else:
        executive = get_executive(session, executive_id)
    if not can_edit_availability(actor, executive):
        raise NotAllowed(_("You can only edit your own availability."))
    return executive


# --- unavailable ranges ------------------------------------------------------------------


def unavailable_ranges(session: Session, executive: Executive) -> list[Unavailability]:
    return list(
        session.exec(
            select(Unavailability)
            .where(Unavailability.executive_id == executive.id)
            .order_by(Unavailability.start_date)
        )
    )


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise Invalid(_("The last day must not be before the first."), field="end_date")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise Invalid(_("A range is at most a year long."), field="end_date")


def _merge_in(
    session: Session, executive: Executive, start: date, end: date, reason: str
) -> Unavailability:
    """Add [start, end], absorbing the ranges it overlaps or touches."""
    touching = session.exec(
        select(Unavailability).where(
            Unavailability.executive_id == executive.id,
            Unavailability.start_date <= end + timedelta(days=1),
            Unavailability.end_date >= start - timedelta(days=1),
        )
    ).all()
    reasons = [reason] if reason else []
    for other in touching:
        start, end = min(start, other.start_date), max(end, other.end_date)
        if other.reason and other.reason not in reasons:
            reasons.append(other.reason)
        session.delete(other)
    merged = Unavailability(
        executive_id=executive.id,
        start_date=start,
        end_date=end,
        reason="; ".join(reasons)[:200],
    )
    session.add(merged)
    session.flush()
    return merged


def add_unavailability(
    *,
    session: Session,
    actor: User,
    executive_id: int | None,
    start: date,
    end: date,
    reason: str = "",
) -> Unavailability:
    """Mark the executive unavailable from start to end inclusive, merging overlaps."""
    executive = executive_for(session=session, actor=actor, executive_id=executive_id)
    _check_range(start, end)
    merged = _merge_in(session, executive, start, end, reason.strip())
    audit.record(
        session,
        actor=actor,
        action="unavailability.add",
        obj=merged,
        after={"start": start.isoformat(), "end": end.isoformat(), "executive": executive.id},
    )
    return merged


def remove_unavailability(*, session: Session, actor: User, range_id: int) -> None:
    """Delete one unavailable range of an executive the actor may edit."""
    row = session.get(Unavailability, range_id)
    if row is None:
        raise NotFound(_("This range does not exist."))
    executive = get_executive(session, row.executive_id)
    if not can_edit_availability(actor, executive):
        raise NotAllowed(_("You can only edit your own availability."))
    audit.record(
        session,
        actor=actor,
        action="unavailability.remove",
        obj=row,
        before={"start": row.start_date.isoformat(), "end": row.end_date.isoformat()},
    )
    session.delete(row)
    session.flush()


# --- languages and preferences -----------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    languages: list[str]
    sites: dict[int, int]  # site id -> weight 0-3
    topics: dict[str, int]  # topic -> weight 0-3


def preferences_of(session: Session, executive: Executive) -> Preferences:
    sites = {
        row.site_id: row.weight
        for row in session.exec(
            select(SitePreference).where(SitePreference.executive_id == executive.id)
        )
    }
    topics = {
        row.topic: row.weight
        for row in session.exec(
            select(TopicPreference).where(TopicPreference.executive_id == executive.id)
        )
    }
    return Preferences(languages=list(executive.languages), sites=sites, topics=topics)


def save_preferences(
    *, session: Session, actor: User, executive_id: int | None, preferences: Preferences
) -> Executive:
    """Replace the executive's languages and site and topic weights (0-3; 0 is dropped)."""
    executive = executive_for(session=session, actor=actor, executive_id=executive_id)
    try:
        languages = parse_languages(" ".join(preferences.languages))
    except ValueError as err:
        raise Invalid(str(err), field="languages") from None
    for weight in [*preferences.sites.values(), *preferences.topics.values()]:
        if not 0 <= weight <= MAX_WEIGHT:
            raise Invalid(_("Weights go from 0 to 3."), field="preferences")
    known_sites = set(session.exec(select(Site.id)))
    if set(preferences.sites) - known_sites:
        raise Invalid(_("Unknown site."), field="preferences")
    before = preferences_of(session, executive)
    executive.languages = languages
    _replace_weights(session, executive, preferences)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="executive.preferences",
        obj=executive,
        before=_preferences_json(before),
        after=_preferences_json(preferences_of(session, executive)),
    )
    return executive


def _replace_weights(session: Session, executive: Executive, preferences: Preferences) -> None:
    for model in (SitePreference, TopicPreference):
        for row in session.exec(select(model).where(model.executive_id == executive.id)):
            session.delete(row)
    session.flush()
    for site_id, weight in preferences.sites.items():
        if weight:
            session.add(SitePreference(executive_id=executive.id, site_id=site_id, weight=weight))
    for topic, weight in preferences.topics.items():
        if weight and topic.strip():
            session.add(
                TopicPreference(executive_id=executive.id, topic=topic.strip()[:60], weight=weight)
            )


def _preferences_json(preferences: Preferences) -> dict:
    return {
        "languages": preferences.languages,
        "sites": {str(key): value for key, value in sorted(preferences.sites.items())},
        "topics": dict(sorted(preferences.topics.items())),
    }


# --- program status ----------------------------------------------------------------------


def current_cycle(session: Session, *, today: date | None = None) -> Cycle | None:
    """The cycle containing today, else the next one to start."""
    today = today or date.today()
    return session.exec(
        select(Cycle).where(Cycle.end_date >= today).order_by(Cycle.start_date)
    ).first()


@dataclass(frozen=True)
class ProgramStatus:
    executive: Executive
    required: int
    requested: int
    approved: int
    done: int
    book_by: date | None

    @property
    def missing(self) -> int:
        """Rotations neither done, approved nor asked for yet."""
        return max(self.required - self.done - self.approved - self.requested, 0)

    @property
    def is_behind(self) -> bool:
        return self.missing > 0


def _status_counts(
    session: Session, executive_ids: list[int], cycle: Cycle | None
) -> dict[int, dict[str, int]]:
    """Bookings per executive and status whose first day lies in the cycle (one query)."""
    counts: dict[int, dict[str, int]] = {executive_id: {} for executive_id in executive_ids}
    if not executive_ids:
        return counts
    first_day = (
        select(BookingDay.booking_id, func.min(Slot.day).label("day"))
        .join(Slot, Slot.id == BookingDay.slot_id)
        .group_by(BookingDay.booking_id)
        .subquery()
    )
    query = (
        select(Booking.executive_id, Booking.status, func.count(Booking.id))
        .join(first_day, first_day.c.booking_id == Booking.id)
        .where(Booking.executive_id.in_(executive_ids))
        .group_by(Booking.executive_id, Booking.status)
    )
    if cycle is not None:
        query = query.where(first_day.c.day >= cycle.start_date, first_day.c.day <= cycle.end_date)
    for executive_id, status, count in session.execute(query):
        counts[executive_id][status] = int(count)
    return counts


def _status(executive: Executive, counts: dict[str, int], cycle: Cycle | None) -> ProgramStatus:
    return ProgramStatus(
        executive=executive,
        required=executive.rotations_required,
        requested=counts.get(BookingStatus.REQUESTED.value, 0),
        approved=counts.get(BookingStatus.APPROVED.value, 0),
        done=counts.get(BookingStatus.COMPLETED.value, 0),
        book_by=cycle.book_by if cycle else None,
    )


def program_status(
    session: Session, executive: Executive, *, today: date | None = None
) -> ProgramStatus:
    """The executive's rotations this cycle: required, requested, approved, done, book-by."""
    cycle = current_cycle(session, today=today)
    counts = _status_counts(session, [executive.id], cycle)
    return _status(executive, counts[executive.id], cycle)


def behind_ledger(
    *, session: Session, actor: User, today: date | None = None
) -> dict[str, list[ProgramStatus]]:
    """Per department, the executives who have not yet asked for all their rotations."""
    if not actor.has_role(Role.PROGRAM_MANAGER):
        raise NotAllowed(_("Only program managers see the ledger."))
    cycle = current_cycle(session, today=today)
    executives = list(
        session.exec(
            select(Executive)
            .join(User, User.id == Executive.user_id)
            .where(Executive.rotations_required > 0, User.is_active.is_(True))
            .order_by(Executive.department, User.name)
        ).unique()
    )
    counts = _status_counts(session, [executive.id for executive in executives], cycle)
    ledger: dict[str, list[ProgramStatus]] = {}
    for executive in executives:
        status = _status(executive, counts[executive.id], cycle)
        if status.is_behind:
            ledger.setdefault(executive.department or _("(no department)"), []).append(status)
    return ledger


def send_reminder(
    *, session: Session, actor: User, executive_id: int, today: date | None = None
) -> None:
    """Queue a reminder mail to an executive who is behind, and log it."""
    if not actor.has_role(Role.PROGRAM_MANAGER):
        raise NotAllowed(_("Only program managers send reminders."))
    executive = get_executive(session, executive_id)
    status = program_status(session, executive, today=today)
    if not status.is_behind:
        raise Invalid(_("This executive has booked all their rotations."))
    with in_locale(executive.user.locale):
        body = ngettext(
            "Dear %(name)s,\n\nyou still have %(num)d rotation to book in the contact center "
            "program.",
            "Dear %(name)s,\n\nyou still have %(num)d rotations to book in the contact center "
            "program.",
            status.missing,
            name=executive.user.name,
        )
        if status.book_by:
            body += " " + _("Please book by %(date)s.", date=status.book_by.isoformat())
        subject = _("Reminder: book your contact center rotation")
    message = outbox.queue(session, recipient=executive.user.email, subject=subject, body=body)
    audit.record(
        session,
        actor=actor,
        action="executive.remind",
        obj=executive,
        after={"outbox_message": message.id, "missing": status.missing},
    )


# --- CSV import --------------------------------------------------------------------------

UNAVAILABILITY_COLUMNS = ("email", "start", "end", "reason")


def import_unavailability(*, session: Session, actor: User, data: bytes) -> list[Unavailability]:
    """Add an unavailable range per CSV row (email, start, end, reason); any bad row, none.

    Dates are YYYY-MM-DD. Raises ImportRejected listing every bad row with its line number.
    """
    if not actor.has_role(Role.PROGRAM_MANAGER):
        raise NotAllowed(_("Only program managers import availability."))
    rows = read_rows(data, required=("email", "start", "end"))
    executives = {
        user.email.lower(): executive
        for executive, user in session.exec(
            select(Executive, User).join(User, User.id == Executive.user_id)
        )
    }

    def handle(_line: int, row: dict[str, str]) -> Unavailability:
        executive = executives.get(row.get("email", "").lower())
        if executive is None:
            raise ValueError(_("email: no executive with this address"))
        try:
            start = date.fromisoformat(row.get("start", ""))
            end = date.fromisoformat(row.get("end", ""))
        except ValueError:
            raise ValueError(_("start/end: dates look like 2027-03-01")) from None
        try:
            _check_range(start, end)
        except Invalid as err:
            raise ValueError(f"end: {err.message}") from None
        return _merge_in(session, executive, start, end, row.get("reason", "")[:200])

    imported = import_all(rows, handle)
    audit.record(
        session,
        actor=actor,
        action="unavailability.import",
        obj=actor,
        after={"rows": len(imported)},
    )
    return imported
