"""Capacity and availability pages through the test client."""

from __future__ import annotations

import json
from datetime import date, time

from sqlmodel import select

from rotation.models import AuditEntry, Booking, BookingStatus, Role, Slot, Unavailability

from .conftest import csv_file


def test_a_team_lead_gets_403_for_another_teams_slots_by_url(
    client, login, make_user, make_team, make_slot
):
    lead = login(make_user(roles={Role.TEAM_LEAD}))
    make_team(leads=[lead])
    other = make_slot(day=date(2027, 6, 7))
    assert client.get(f"/capacity/teams/{other.team_id}/slots").status_code == 403
    assert client.get(f"/capacity/teams/{other.team_id}/templates").status_code == 403
    assert client.post(f"/capacity/slots/{other.id}/close").status_code == 403
    assert (
        client.post(f"/capacity/slots/{other.id}/capacity", data={"capacity": 5}).status_code == 403
    )
    assert (
        client.post(
            f"/capacity/teams/{other.team_id}/generate",
            data={"start": "2027-06-07", "end": "2027-06-08"},
        ).status_code
        == 403
    )


def test_a_team_lead_closes_a_slot_of_their_own_team(
    client, session, login, make_user, make_team, make_slot
):
    lead = login(make_user(roles={Role.TEAM_LEAD}))
    slot = make_slot(team=make_team(leads=[lead]), day=date(2027, 6, 7))
    response = client.post(f"/capacity/slots/{slot.id}/close")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Slot, slot.id).is_open is False


def test_capacity_below_taken_is_refused_with_a_message(client, session, manager, make_slot):
    slot = make_slot(capacity=3, taken=2)
    response = client.post(
        f"/capacity/slots/{slot.id}/capacity", data={"capacity": 1}, follow_redirects=True
    )
    assert b"2 places are taken" in response.data
    session.expire_all()
    assert session.get(Slot, slot.id).capacity == 3


def test_generating_from_the_page_reports_created_changed_and_left_alone(
    client, manager, make_team
):
    team = make_team()
    response = client.post(
        f"/capacity/teams/{team.id}/templates",
        data={
            "weekdays": ["0", "1", "2", "3", "4"],
            "kind": "shadowing",
            "start_time": "09:00",
            "end_time": "13:00",
            "capacity": "2",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    span = {"start": "2027-06-07", "end": "2027-06-13"}
    first = client.post(f"/capacity/teams/{team.id}/generate", data=span)
    second = client.post(f"/capacity/teams/{team.id}/generate", data=span)
    assert b'id="created-count">5<' in first.data
    assert b'id="created-count">0<' in second.data
    assert b'id="left-alone-count">5<' in second.data


def test_a_blackout_over_a_rotation_asks_to_confirm_then_cancels(
    client, session, manager, make_booking
):
    booking = make_booking(status=BookingStatus.APPROVED, first_day=date(2027, 6, 7))
    form = {
        "scope": f"team-{booking.team_id}",
        "start_date": "2027-06-07",
        "end_date": "2027-06-08",
        "reason": "Month-end billing run",
    }
    refused = client.post("/capacity/blackouts/new", data=form)
    assert refused.status_code == 409
    assert b"affected-rotations" in refused.data
    session.expire_all()
    assert session.get(Booking, booking.id).status == BookingStatus.APPROVED
    confirmed = client.post("/capacity/blackouts/new", data={**form, "confirmed": "y"})
    assert confirmed.status_code == 302
    session.expire_all()
    assert session.get(Booking, booking.id).status == BookingStatus.CANCELLED
    reasons = session.exec(
        select(AuditEntry.reason).where(AuditEntry.action == "booking.transition")
    ).all()
    assert reasons == ["Blackout: Month-end billing run"]


def test_the_grid_shows_free_places_per_day(client, manager, make_team, make_slot):
    team = make_team(name="Billing Leipzig")
    make_slot(team=team, day=date(2027, 6, 7), capacity=3)
    response = client.get("/capacity/?month=2027-06")
    assert response.status_code == 200
    assert b"Billing Leipzig" in response.data
    assert b'data-day="2027-06-07" data-free="3"' in response.data
    assert b"heat3" in response.data


def test_the_export_downloads_a_problem_file(client, manager, make_slot):
    make_slot(day=date(2027, 6, 7), start=time(9))
    response = client.get("/capacity/export?start=2027-06-07&end=2027-06-20")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    assert json.loads(response.data)["format"] == "rotation-problem/1"


def test_an_executive_adds_an_unavailable_range_on_their_page(
    client, session, login, make_executive
):
    executive = make_executive()
    login(executive.user)
    response = client.post(
        "/availability/ranges",
        data={"start_date": "2027-02-01", "end_date": "2027-02-14", "reason": "Board week"},
    )
    assert response.status_code == 302
    page = client.get("/availability/")
    assert b"Board week" in page.data


def test_a_range_ending_before_it_starts_shows_the_error_on_the_field(
    client, login, make_executive
):
    executive = make_executive()
    login(executive.user)
    response = client.post(
        "/availability/ranges", data={"start_date": "2027-02-14", "end_date": "2027-02-01"}
    )
    assert response.status_code == 400
    assert b"must not be before" in response.data


def test_the_unavailability_import_page_lists_every_bad_row_and_imports_nothing(
    client, session, manager, make_executive
):
    executive = make_executive()
    text = (
        f"email,start,end,reason\n{executive.user.email},2027-02-01,2027-02-05,x\n"
        "ghost@example.com,2027-02-01,2027-02-05,y\n"
    )
    response = client.post(
        "/availability/import", data=csv_file(text), content_type="multipart/form-data"
    )
    assert response.status_code == 400
    assert b"ghost" not in response.data or b"no executive" in response.data
    assert b"<td>3</td>" in response.data
    session.expire_all()
    assert session.exec(select(Unavailability)).all() == []


def test_the_ledger_sends_a_reminder(client, session, manager, make_executive):
    executive = make_executive(department="Finance", rotations_required=1)
    page = client.get("/availability/ledger")
    assert executive.user.name.encode() in page.data
    response = client.post(f"/availability/executives/{executive.id}/remind")
    assert response.status_code == 302
    assert session.exec(select(AuditEntry).where(AuditEntry.action == "executive.remind")).one()
