"""A program manager plans a quarter in the browser: start, watch, review, publish."""

from __future__ import annotations

import random
import re
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from rotation.models import (
    Executive,
    Role,
    Site,
    SitePreference,
    Slot,
    Team,
    TopicPreference,
    Unavailability,
    User,
    UserRole,
)
from rotation.services import accounts

from .conftest import SQLITE_ONLY

pytestmark = SQLITE_ONLY

FIRST_MONDAY = date(2027, 1, 4)
WEEKS = 12
TOPICS = ("billing", "contracts", "returns", "sales", "tech", "moving")
SITES = (
    ("Leipzig", "Europe/Berlin", ("de",)),
    ("Wien", "Europe/Vienna", ("de",)),
    ("Lisboa", "Europe/Lisbon", ("pt", "en")),
)
TIME_LIMIT_S = 10


@pytest.fixture
def app_config(app_config):
    # One solver worker searches the same way every time, so the test's quarter keeps it busy
    # for about as long on every run; it is also kinder to a shared machine.
    return {**app_config, "PLAN_WORKERS": 1}


def build_tight_quarter(session, *, executives: int = 100, teams: int = 10, seed: int = 2) -> None:
    """A quarter with one place per slot in a few open team-weeks, about 1.1 times what the
    executives need, and varied preferences. With this seed the solver needs several seconds
    to even out the team loads (5 to 10 s here), so the chart grows while it works.
    Claire Dubois speaks only French, and no team does.
    """
    rng = random.Random(seed)
    password_hash = accounts.hash_password("unused password")
    sites = [Site(name=name, timezone=zone, holiday_region="") for name, zone, _ in SITES]
    session.add_all(sites)
    session.flush()
    team_rows = []
    for n in range(teams):
        site_index = n % len(SITES)
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        languages = list(SITES[site_index][2])
        if "en" not in languages and rng.random() < 0.4:
            languages.append("en")
        team_rows.append(
            Team(
                site_id=sites[site_index].id,
                name=f"{topics[0].title()} {n + 1}",
                topics=topics,
                languages=languages,
            )
        )
    session.add_all(team_rows)
    session.flush()

    people = [("Claire Dubois", ["fr"])] + [
        (f"Executive {n:03d}", ["de"] if rng.random() < 0.75 else ["de", "en"])
        for n in range(executives)
    ]
    rows = []
    for name, languages in people:
        user = User(
            email=f"{name.lower().replace(' ', '.')}@example.com",
            name=name,
            password_hash=password_hash,
        )
        session.add(user)
        session.flush()
        session.add(UserRole(user_id=user.id, role=Role.EXECUTIVE.value))
        executive = Executive(user_id=user.id, languages=languages, rotations_required=1)
        session.add(executive)
        rows.append(executive)
    session.flush()
    for executive in rows[1:]:
        for site in rng.sample(sites, rng.randint(1, 2)):
            session.add(
                SitePreference(executive_id=executive.id, site_id=site.id, weight=rng.randint(0, 3))
            )
        for topic in rng.sample(TOPICS, rng.randint(1, 3)):
            session.add(
                TopicPreference(executive_id=executive.id, topic=topic, weight=rng.randint(0, 3))
            )
        if rng.random() < 0.3:
            first = FIRST_MONDAY + timedelta(days=rng.randrange(WEEKS * 7))
            session.add(
                Unavailability(
                    executive_id=executive.id,
                    start_date=first,
                    end_date=first + timedelta(days=rng.randint(4, 20)),
                )
            )

    team_weeks = [(team, week) for team in team_rows for week in range(WEEKS)]
    for team, week in rng.sample(team_weeks, -(-int(1.1 * executives) // 4)):
        for weekday in range(5):
            day = FIRST_MONDAY + timedelta(weeks=week, days=weekday)
            session.add(
                Slot(
                    team_id=team.id,
                    day=day,
                    kind="shadowing",
                    start_time=time(9),
                    end_time=time(13),
                    capacity=1,
                )
            )
            session.add(
                Slot(
                    team_id=team.id,
                    day=day,
                    kind="headset",
                    start_time=time(13, 30),
                    end_time=time(17, 30),
                    capacity=1,
                )
            )
    session.commit()


def _chart(page, attribute: str) -> int:
    return int(page.locator("#progress-chart").get_attribute(f"data-{attribute}") or 0)


def _wait_until_chart_exceeds(page, attribute: str, count: int) -> int:
    """Wait until the chart's data-<attribute> is above count; return the new value."""
    page.wait_for_function(
        "([name, n]) => Number(document.getElementById('progress-chart').dataset[name]) > n",
        arg=[attribute, count],
    )
    return _chart(page, attribute)


def test_a_program_manager_plans_a_quarter_watches_it_and_publishes(
    live_server, page, sign_in, session, make_user
):
    build_tight_quarter(session)
    manager = make_user(roles={Role.PROGRAM_MANAGER}, name="Pia Manager")
    sign_in(page, manager.email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Plan").click()
    expect(page.get_by_role("heading", name="Plan", exact=True)).to_be_visible()
    expect(page.get_by_text("Choose a horizon and start your first run.")).to_be_visible()
    page.get_by_label("First day").fill("2027-01-04")
    page.get_by_label("Last day").fill("2027-03-28")
    page.get_by_label("Time limit (seconds)").fill(str(TIME_LIMIT_S))
    page.get_by_role("button", name="Start the run").click()

    expect(page).to_have_url(re.compile(r"/planning/runs/\d+$"))
    # The chart is drawn, then grows at least twice while the solver works.
    first = _wait_until_chart_exceeds(page, "updates", 0)
    second = _wait_until_chart_exceeds(page, "updates", first)
    third = _wait_until_chart_exceeds(page, "updates", second)
    assert first < second < third
    expect(page.locator("#run-status")).to_have_text("running")
    points = _wait_until_chart_exceeds(page, "points", 0)
    expect(page.locator("#progress-chart circle")).to_have_count(points)

    draft_link = page.get_by_role("link", name="View the draft")
    expect(draft_link).to_be_visible(timeout=(TIME_LIMIT_S + 30) * 1000)
    expect(page.locator("#run-status")).to_have_text("finished")
    expect(page.locator("#progress-chart circle")).to_have_count(_chart(page, "points"))
    draft_link.click()

    left_out = page.locator("#unassigned tr", has_text="Claire Dubois")
    expect(left_out).to_be_visible()
    expect(left_out.locator("ul.reasons li").first).to_contain_text("language")
    expect(left_out.get_by_role("link", name="Availability")).to_be_visible()

    page.get_by_role("button", name="Publish as proposals").click()
    expect(page.get_by_role("status").filter(has_text="Plan published")).to_be_visible()
    expect(page.locator("#published-note")).to_be_visible()
    expect(page.get_by_role("button", name="Publish as proposals")).to_have_count(0)
