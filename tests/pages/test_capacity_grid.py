"""Capacity and availability in the browser: people change the grid through real forms."""

from __future__ import annotations

from datetime import date, time, timedelta

from playwright.sync_api import expect

from rotation.models import Role

from .conftest import SQLITE_ONLY

pytestmark = SQLITE_ONLY

# A week ahead: in the future for the slots page, whatever the day of the month.
DAY = date.today() + timedelta(days=7)


def grid_url(live_server: str, day: date) -> str:
    return f"{live_server}/capacity/?month={day:%Y-%m}"


def test_an_executive_adds_unavailable_days_and_the_grid_counts_one_executive_fewer(
    live_server, open_page, sign_in, make_user, make_executive, make_slot
):
    erika = make_user(roles={Role.EXECUTIVE}, name="Erika Executive")
    make_executive(user=erika)
    make_executive()
    for offset in range(3):
        make_slot(day=DAY + timedelta(days=offset))
    page = open_page()
    sign_in(page, erika.email)
    available = page.locator("#available-executives")

    page.goto(grid_url(live_server, DAY))
    expect(available.locator(f'td[data-day="{DAY}"]')).to_have_text("2")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My availability").click()
    page.locator("#start_date").fill(DAY.isoformat())
    page.locator("#end_date").fill(DAY.isoformat())
    page.locator("#reason").fill("Board week")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Unavailable days saved.")
    expect(page.locator("#unavailable-ranges")).to_contain_text("Board week")

    page.goto(grid_url(live_server, DAY))
    expect(available.locator(f'td[data-day="{DAY}"]')).to_have_text("1")
    expect(available.locator(f'td[data-day="{DAY + timedelta(days=1)}"]')).to_have_text("2")


def test_a_team_lead_closes_a_slot_and_the_grid_shows_fewer_free_places(
    live_server, open_page, sign_in, make_user, make_team, make_slot
):
    lead = make_user(roles={Role.TEAM_LEAD}, name="Lena Lead")
    team = make_team(name="Billing Leipzig", leads=[lead])
    morning = make_slot(team=team, day=DAY, start=time(9), end=time(13), capacity=2)
    make_slot(team=team, day=DAY, start=time(13, 30), end=time(17, 30), capacity=3)
    make_slot(team=team, day=DAY + timedelta(days=1), capacity=2)
    page = open_page()
    sign_in(page, lead.email)
    row = page.locator(f'#capacity-grid tr[data-team="{team.id}"]')

    page.goto(grid_url(live_server, DAY))
    expect(row.locator(f'td[data-day="{DAY}"]')).to_have_text("5")
    expect(page.locator("#grid-total-free")).to_have_text("7")

    row.get_by_role("link", name="Billing Leipzig").click()
    page.locator(f'tr[data-slot="{morning.id}"]').get_by_role("button", name="Close").click()
    expect(page.get_by_role("status")).to_have_text("Slot closed; it takes no new rotations.")
    expect(page.locator(f'tr[data-slot="{morning.id}"]')).to_contain_text("closed")

    page.goto(grid_url(live_server, DAY))
    expect(row.locator(f'td[data-day="{DAY}"]')).to_have_text("3")
    expect(row.locator(f'td[data-day="{DAY + timedelta(days=1)}"]')).to_have_text("2")
    expect(page.locator("#grid-total-free")).to_have_text("5")
