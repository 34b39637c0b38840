"""Capacity: slot generation, single slots, blackouts, team-lead scope and the grid."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from rotation.errors import Invalid, NotAllowed
from rotation.models import AuditEntry, Booking, BookingStatus, Role, Slot
from rotation.services import capacity

WEEKDAYS = [0, 1, 2, 3, 4]


@pytest.fixture
def manager(make_user):
    return make_user(roles={Role.PROGRAM_MANAGER})


def add_templates(session, actor, team, *, capacity_each=2):
    for kind, start, end in (
        ("shadowing", time(9), time(13)),
        ("headset", time(13, 30), time(17, 30)),
    ):
        capacity.save_template(
            session=session,
            actor=actor,
            team_id=team.id,
            data=capacity.TemplateData(
                weekdays=WEEKDAYS,
                start_time=start,
                end_time=end,
                kind=kind,
                capacity=capacity_each,
            ),
        )


def slots_of(session, team):
    return list(session.exec(select(Slot).where(Slot.team_id == team.id).order_by(Slot.day)))


def test_generated_slots_keep_nine_local_across_the_spring_dst_change(session, manager, make_team):
    team = make_team()
    add_templates(session, manager, team)
    capacity.generate_slots(
        session=session,
        actor=manager,
        team_id=team.id,
        start=date(2027, 3, 25),
        end=date(2027, 3, 30),
    )
    berlin = ZoneInfo("Europe/Berlin")
    by_day = {s.day: s for s in slots_of(session, team) if s.kind == "shadowing"}
    before, after = by_day[date(2027, 3, 25)], by_day[date(2027, 3, 30)]
    assert before.start_time == after.start_time == time(9)
    offset = lambda s: datetime.combine(s.day, s.start_time, berlin).utcoffset()  # noqa: E731
    assert offset(before) == timedelta(hours=1)
    assert offset(after) == timedelta(hours=2)


def test_generation_skips_the_public_holidays_of_the_sites_region(
    session, manager, make_site, make_team
):
    team = make_team(site=make_site(holiday_region="DE-SN"))
    add_templates(session, manager, team)
    report = capacity.generate_slots(
        session=session,
        actor=manager,
        team_id=team.id,
        start=date(2027, 3, 22),
        end=date(2027, 4, 2),
    )
    days = {s.day for s in slots_of(session, team)}
    assert date(2027, 3, 26) not in days  # Good Friday
    assert date(2027, 3, 29) not in days  # Easter Monday
    assert date(2027, 3, 25) in days and date(2027, 3, 30) in days
    assert len(report.created) == 2 * 8
    assert "Good Friday" in report.skipped[date(2027, 3, 26)]


def test_ascension_day_is_skipped_in_austria_too(session, manager, make_site, make_team):
    team = make_team(site=make_site(timezone="Europe/Vienna", holiday_region="AT"))
    add_templates(session, manager, team)
    capacity.generate_slots(
        session=session,
        actor=manager,
        team_id=team.id,
        start=date(2027, 5, 5),
        end=date(2027, 5, 7),
    )
    assert {s.day for s in slots_of(session, team)} == {date(2027, 5, 5), date(2027, 5, 7)}


def test_generation_skips_team_and_site_blackouts(session, manager, make_team):
    team = make_team()
    add_templates(session, manager, team)
    capacity.add_blackout(
        session=session,
        actor=manager,
        data=capacity.BlackoutData(
            start_date=date(2027, 6, 7),
            end_date=date(2027, 6, 8),
            reason="Training",
            team_id=team.id,
        ),
    )
    capacity.add_blackout(
        session=session,
        actor=manager,
        data=capacity.BlackoutData(
            start_date=date(2027, 6, 10),
            end_date=date(2027, 6, 10),
            reason="Billing run",
            site_id=team.site_id,
        ),
    )
    report = capacity.generate_slots(
        session=session,
        actor=manager,
        team_id=team.id,
        start=date(2027, 6, 7),
        end=date(2027, 6, 11),
    )
    assert {s.day for s in slots_of(session, team)} == {date(2027, 6, 9), date(2027, 6, 11)}
    assert report.skipped[date(2027, 6, 10)] == "Billing run"


def test_generating_again_creates_nothing_and_reports_all_left_alone(session, manager, make_team):
    team = make_team()
    add_templates(session, manager, team)
    span = {"start": date(2027, 6, 7), "end": date(2027, 6, 11)}
    first = capacity.generate_slots(session=session, actor=manager, team_id=team.id, **span)
    second = capacity.generate_slots(session=session, actor=manager, team_id=team.id, **span)
    assert len(first.created) == 10
    assert (len(second.created), len(second.changed), len(second.left_alone)) == (0, 0, 10)
    assert len(slots_of(session, team)) == 10


def test_a_changed_template_updates_free_slots_and_leaves_booked_ones_alone(
    session, manager, make_team, make_executive
):
    team = make_team()
    add_templates(session, manager, team)
    span = {"start": date(2027, 6, 7), "end": date(2027, 6, 8)}
    capacity.generate_slots(session=session, actor=manager, team_id=team.id, **span)
    booked = next(s for s in slots_of(session, team) if s.day == date(2027, 6, 7))
    from rotation.models import BookingDay

    booking = Booking(
        executive_id=make_executive().id, team_id=team.id, status=BookingStatus.REQUESTED.value
    )
    booking.days = [BookingDay(day_index=0, slot_id=booked.id)]
    booked.taken = 1
    session.add(booking)
    session.flush()
    for template in capacity.list_templates(session=session, actor=manager, team_id=team.id):
        capacity.save_template(
            session=session,
            actor=manager,
            team_id=team.id,
            template_id=template.id,
            data=capacity.TemplateData(
                weekdays=template.weekdays,
                start_time=template.start_time,
                end_time=template.end_time,
                kind=template.kind,
                capacity=3,
            ),
        )
    report = capacity.generate_slots(session=session, actor=manager, team_id=team.id, **span)
    assert booked in report.left_alone and booked.capacity == 2
    assert len(report.changed) == 3
    assert all(slot.capacity == 3 for slot in report.changed)
    assert len(slots_of(session, team)) == 4


def test_capacity_below_the_places_taken_is_refused(session, manager, make_slot):
    slot = make_slot(capacity=3, taken=2)
    with pytest.raises(Invalid) as err:
        capacity.change_capacity(session=session, actor=manager, slot_id=slot.id, capacity=1)
    assert err.value.field == "capacity"
    session.refresh(slot)
    assert slot.capacity == 3


def test_capacity_down_to_the_places_taken_is_allowed(session, manager, make_slot):
    slot = make_slot(capacity=3, taken=2)
    capacity.change_capacity(session=session, actor=manager, slot_id=slot.id, capacity=2)
    assert slot.capacity == 2


def test_team_lead_cannot_close_a_slot_of_another_team(session, make_user, make_team, make_slot):
    lead = make_user(roles={Role.TEAM_LEAD})
    make_team(leads=[lead])
    other = make_slot()
    with pytest.raises(NotAllowed):
        capacity.set_slot_open(session=session, actor=lead, slot_id=other.id, is_open=False)
    with pytest.raises(NotAllowed):
        capacity.change_capacity(session=session, actor=lead, slot_id=other.id, capacity=5)
    with pytest.raises(NotAllowed):
        capacity.generate_slots(
            session=session,
            actor=lead,
            team_id=other.team_id,
            start=date(2027, 6, 7),
            end=date(2027, 6, 8),
        )


def test_team_lead_closes_a_slot_of_their_own_team(session, make_user, make_team, make_slot):
    lead = make_user(roles={Role.TEAM_LEAD})
    slot = make_slot(team=make_team(leads=[lead]))
    capacity.set_slot_open(session=session, actor=lead, slot_id=slot.id, is_open=False)
    assert slot.is_open is False


def test_a_blackout_over_booked_days_is_refused_with_the_rotations(session, manager, make_booking):
    booking = make_booking(status=BookingStatus.APPROVED, first_day=date(2027, 6, 7))
    data = capacity.BlackoutData(
        start_date=date(2027, 6, 8),
        end_date=date(2027, 6, 9),
        reason="Peak season",
        team_id=booking.team_id,
    )
    with pytest.raises(capacity.BlackoutHitsRotations) as err:
        capacity.add_blackout(session=session, actor=manager, data=data)
    assert [b.id for b in err.value.bookings] == [booking.id]
    session.rollback()
    assert session.get(Booking, booking.id).status == BookingStatus.APPROVED


def test_a_confirmed_blackout_cancels_the_rotations_with_the_reason_in_the_audit_log(
    session, manager, make_booking
):
    booking = make_booking(status=BookingStatus.REQUESTED, first_day=date(2027, 6, 7))
    for day in booking.days:
        day.slot.taken = 1
    session.flush()
    data = capacity.BlackoutData(
        start_date=date(2027, 6, 7),
        end_date=date(2027, 6, 7),
        reason="Peak season",
        site_id=booking.team.site_id,
    )
    capacity.add_blackout(session=session, actor=manager, data=data, confirmed=True)
    session.commit()
    assert session.get(Booking, booking.id).status == BookingStatus.CANCELLED
    entry = session.exec(
        select(AuditEntry).where(
            AuditEntry.action == "booking.transition", AuditEntry.object_id == booking.id
        )
    ).one()
    assert "Peak season" in entry.reason
    assert entry.after == {"status": "cancelled"}
    slots = [session.get(Slot, day.slot_id) for day in booking.days]
    assert [s.taken for s in slots] == [0, 0]
    assert [s.is_open for s in slots] == [False, True]


def test_a_team_lead_cannot_confirm_cancelling_rotations(
    session, make_user, make_team, make_booking
):
    lead = make_user(roles={Role.TEAM_LEAD})
    booking = make_booking(team=make_team(leads=[lead]), first_day=date(2027, 6, 7))
    data = capacity.BlackoutData(
        start_date=date(2027, 6, 7),
        end_date=date(2027, 6, 7),
        reason="Training",
        team_id=booking.team_id,
    )
    with pytest.raises(NotAllowed):
        capacity.add_blackout(session=session, actor=lead, data=data, confirmed=True)


def test_the_grid_counts_free_requested_and_approved_places_per_day(
    session, make_team, make_slot, make_booking
):
    team = make_team(topics=("billing",), languages=("de",))
    make_slot(team=team, day=date(2027, 6, 7), capacity=3, taken=1)
    make_slot(team=team, day=date(2027, 6, 7), kind="headset", start=time(14), end=time(17))
    make_slot(team=team, day=date(2027, 6, 9), capacity=2, is_open=False)
    make_booking(team=team, status=BookingStatus.REQUESTED, first_day=date(2027, 6, 10))
    make_booking(team=team, status=BookingStatus.APPROVED, first_day=date(2027, 6, 12))
    make_booking(team=team, status=BookingStatus.DECLINED, first_day=date(2027, 6, 14))
    make_team(topics=("sales",))
    grid = capacity.capacity_grid(
        session, start=date(2027, 6, 7), end=date(2027, 6, 15), topic="billing"
    )
    assert [row.team.id for row in grid.rows] == [team.id]
    cells = grid.rows[0].cells
    assert cells[date(2027, 6, 7)] == capacity.Cell(free=4, has_slots=True)
    assert cells[date(2027, 6, 8)] == capacity.Cell()
    assert cells[date(2027, 6, 9)] == capacity.Cell(free=0, has_slots=True)
    assert (cells[date(2027, 6, 10)].requested, cells[date(2027, 6, 10)].approved) == (1, 0)
    assert (cells[date(2027, 6, 12)].requested, cells[date(2027, 6, 12)].approved) == (0, 1)
    assert cells[date(2027, 6, 14)] == capacity.Cell(free=2, has_slots=True)
    assert (grid.totals.requested, grid.totals.approved) == (2, 2)
    assert grid.day_totals[date(2027, 6, 7)].free == 4


def test_the_grid_filters_by_language(session, make_team):
    make_team(languages=("fr",))
    grid = capacity.capacity_grid(
        session, start=date(2027, 6, 7), end=date(2027, 6, 8), language="de"
    )
    assert grid.rows == []


def test_the_grid_counts_the_executives_available_each_day(session, make_executive):
    from rotation.services import availability

    away = make_executive(rotations_required=1)
    make_executive(rotations_required=1)
    make_executive(rotations_required=0)
    availability.add_unavailability(
        session=session,
        actor=away.user,
        executive_id=None,
        start=date(2027, 6, 8),
        end=date(2027, 6, 20),
    )
    grid = capacity.capacity_grid(session, start=date(2027, 6, 7), end=date(2027, 6, 8))
    assert grid.available_executives == {date(2027, 6, 7): 2, date(2027, 6, 8): 1}
