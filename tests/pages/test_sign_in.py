"""Signing in, the dashboard, the language switch and signing out, in the browser."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import expect

from rotation.models import Role

from .conftest import SQLITE_ONLY

pytestmark = SQLITE_ONLY


def test_a_demo_executive_signs_in_sees_the_dashboard_and_switches_the_language(
    live_server, page, session
):
    from rotation.demo import DEMO_PASSWORD, load_demo
    from rotation.services import accounts, overview

    today = date.today()
    sign_ins = load_demo(session=session, today=today)
    session.commit()
    demo = next(entry for entry in sign_ins if entry.role.startswith("Executive"))
    user = accounts.find_user_by_email(session, demo.email)
    shown = overview.executive_overview(session, user=user, today=today)
    teams = [b.team.name for b in ([shown.next_booking] if shown.next_booking else [])]
    teams += [b.team.name for b in shown.proposed]
    session.commit()
    assert teams, "the demo executive should have a rotation or a proposal to see"

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(demo.email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {demo.name}")
    rotations = page.locator("#executive-overview")
    expect(rotations.get_by_role("heading", name="Your rotations")).to_be_visible()
    for team in teams:
        expect(rotations).to_contain_text(team)
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="My availability")).to_be_visible()

    page.get_by_role("button", name="Deutsch").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    nav = page.get_by_role("navigation", name="Haupt")
    expect(nav.get_by_role("link", name="Meine Verfügbarkeit")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hallo, {demo.name}")
    expect(rotations.get_by_role("heading", name="Ihre Einsätze")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("My availability")


def test_a_wrong_password_shows_the_error_and_does_not_sign_in(live_server, page, make_user):
    user = make_user(roles={Role.EXECUTIVE})

    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_have_text("Email or password is not right.")
    expect(page.get_by_label("Email")).to_have_value(user.email)
    expect(page.get_by_role("navigation", name="Main")).to_have_count(0)


def test_signing_out_ends_the_session(live_server, page, sign_in, make_user):
    user = make_user(roles={Role.EXECUTIVE}, name="Erika Executive")
    sign_in(page, user.email)
    expect(page.locator("header")).to_contain_text("Erika Executive")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You are signed out.")

    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.locator("header")).not_to_contain_text("Erika Executive")


def test_a_browser_set_to_german_gets_the_sign_in_page_in_german(live_server, open_page):
    page = open_page(locale="de-DE")

    page.goto(f"{live_server}/sign-in")

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    expect(page.get_by_role("button", name="English")).to_be_visible()
