"""The demo organisation: what it holds, that it keeps the rules, and the load-demo command."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from rotation.demo import DEMO_PASSWORD, add_months, load_demo
from rotation.models import (
    HOLDS_PLACES,
    Blackout,
    Booking,
    BookingDay,
    BookingStatus,
    BuddyAgent,
    Executive,
    Role,
    Site,
    Slot,
    Team,
    Unavailability,
    User,
)

TODAY = date.today()


@pytest.fixture
def demo(session):
    sign_ins = load_demo(session=session, today=TODAY)
    session.commit()
    return sign_ins


def _count(session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_the_demo_has_four_sites_in_three_time_zones(session, demo):
    sites = session.exec(select(Site)).all()
    assert len(sites) >= 4
    assert {site.timezone for site in sites} >= {"Europe/Berlin", "Europe/Vienna", "Europe/Zurich"}
    assert all(site.holiday_region for site in sites)


def test_the_demo_has_twelve_teams_thirty_agents_and_forty_executives(session, demo):
    assert _count(session, Team) == 12
    assert _count(session, BuddyAgent) == 30
    assert _count(session, Executive) == 40


def test_every_demo_team_has_a_lead_agents_and_a_topic(session, demo):
    teams = session.exec(select(Team)).unique().all()
    languages = {language for team in teams for language in team.languages}
    assert languages >= {"de", "en", "tr", "fr", "it"}
    for team in teams:
        assert team.topics
        assert team.lead_rows
        assert session.exec(select(BuddyAgent).where(BuddyAgent.team_id == team.id)).first()


def test_the_demo_offers_slots_for_every_team_in_each_of_the_next_three_months(session, demo):
    months = [add_months(TODAY.replace(day=1), n) for n in range(3)]
    for team in session.exec(select(Team)).unique():
        days = set(session.exec(select(Slot.day).where(Slot.team_id == team.id, Slot.day >= TODAY)))
        assert max(days) >= add_months(TODAY, 3) - timedelta(days=7), team.name
        covered = {(day.year, day.month) for day in days}
        # The month of today may end before the first working day to come.
        assert {(month.year, month.month) for month in months[1:]} <= covered, team.name


def test_the_demo_generates_no_slots_in_its_blackouts(session, demo):
    blackouts = session.exec(select(Blackout)).all()
    assert len(blackouts) >= 3
    for blackout in blackouts:
        query = select(Slot).join(Team, Team.id == Slot.team_id)
        if blackout.team_id is not None:
            query = query.where(Slot.team_id == blackout.team_id)
        else:
            query = query.where(Team.site_id == blackout.site_id)
        inside = query.where(Slot.day >= blackout.start_date, Slot.day <= blackout.end_date)
        assert session.exec(inside).first() is None, blackout.reason


def test_the_demo_has_a_rotation_in_every_status(session, demo):
    statuses = Counter(session.exec(select(Booking.status)))
    assert set(statuses) == {status.value for status in BookingStatus}


def test_the_demo_holds_finished_rotations_in_the_past_and_open_ones_ahead(session, demo):
    for booking in session.exec(select(Booking)).unique():
        days = [day.slot.day for day in booking.days]
        assert len(days) == 2 and days[1] == days[0] + timedelta(days=1)
        if booking.status in {BookingStatus.COMPLETED, BookingStatus.NO_SHOW}:
            assert days[1] < TODAY
        else:
            assert days[0] > TODAY


def test_the_demo_counts_taken_places_by_the_rotations_that_hold_them(session, demo):
    holding = [status.value for status in HOLDS_PLACES]
    held = Counter(
        session.exec(
            select(BookingDay.slot_id)
            .join(Booking, Booking.id == BookingDay.booking_id)
            .where(Booking.status.in_(holding))
        )
    )
    assert held
    for slot in session.exec(select(Slot)).unique():
        assert slot.taken == held[slot.id], (slot.id, slot.day)


def test_the_demo_rotations_that_hold_places_keep_the_hard_rules(session, demo):
    holding = [status.value for status in HOLDS_PLACES]
    bookings = session.exec(select(Booking).where(Booking.status.in_(holding))).unique().all()
    per_team_day: Counter[tuple[int, date]] = Counter()
    for booking in bookings:
        assert set(booking.executive.languages) & set(booking.team.languages)
        away = session.exec(
            select(Unavailability).where(Unavailability.executive_id == booking.executive_id)
        ).all()
        for day in booking.days:
            assert not any(row.start_date <= day.slot.day <= row.end_date for row in away)
            per_team_day[(booking.team_id, day.slot.day)] += 1
    assert max(per_team_day.values()) <= 2


def test_the_demo_sign_ins_cover_every_role(session, demo):
    roles = set()
    for sign_in in demo:
        user = session.exec(select(User).where(User.email == sign_in.email)).one()
        assert user.name == sign_in.name
        roles |= user.roles
    assert roles == set(Role)


def test_every_demo_sign_in_works_with_the_demo_password(app, demo):
    for sign_in in demo:
        client = app.test_client()
        response = client.post("/sign-in", data={"email": sign_in.email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, sign_in.email
        assert client.get("/").status_code == 200, sign_in.email


def test_the_demo_loads_whatever_the_date(session):
    # Christmas week, month ends and a leap day all fall into this horizon.
    load_demo(session=session, today=date(2027, 12, 20))
    session.commit()
    assert _count(session, Booking) >= len(BookingStatus)


def test_load_demo_fills_an_empty_database_and_prints_the_sign_ins(app, session):
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code == 0, result.output
    assert "pm@headset.example" in result.output
    assert "cfo@headset.example" in result.output
    assert DEMO_PASSWORD in result.output
    assert _count(session, Site) >= 4


def test_load_demo_refuses_a_database_that_holds_sites(app, session, make_site):
    make_site()
    result = app.test_cli_runner().invoke(args=["load-demo"])
    assert result.exit_code != 0
    assert "already holds sites" in result.output
    assert _count(session, Team) == 0


def test_load_demo_if_empty_leaves_a_loaded_database_alone(app, session, demo):
    teams = _count(session, Team)
    result = app.test_cli_runner().invoke(args=["load-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "demo data already loaded" in result.output
    assert "lead.leipzig@headset.example" in result.output
    assert _count(session, Team) == teams
