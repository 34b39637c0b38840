"""Executive pages: list with search, detail with rotations, create with account, edit."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from rotation.models import Executive, Role
from rotation.services import accounts

from ..conftest import app_settings

PAGE_SIZE = 3


@pytest.fixture
def app_config(database_url, tmp_path):
    return app_settings(database_url, tmp_path, PAGE_SIZE=PAGE_SIZE)


def _new_executive(**overrides) -> dict:
    return {
        "email": "carla@example.com",
        "name": "Carla Chef",
        "password": "a long first password",
        "title": "Chief Financial Officer",
        "department": "Finance",
        "languages": "de, en",
        "home_site_id": "0",
        "rotations_required": "2",
        **overrides,
    }


def test_a_program_manager_creates_an_executive_who_can_then_sign_in(
    client, manager, make_site, session
):
    site = make_site(name="Graz")
    response = client.post("/executives/new", data=_new_executive(home_site_id=str(site.id)))
    assert response.status_code == 302
    assert "Carla Chef" in client.get("/executives/").get_data(as_text=True)
    user = accounts.authenticate(
        session=session, email="carla@example.com", password="a long first password"
    )
    assert user is not None and user.roles == {Role.EXECUTIVE}


def test_a_taken_email_is_shown_on_its_field_and_the_profile_is_kept(
    client, manager, make_user, session
):
    make_user(email="carla@example.com")
    response = client.post("/executives/new", data=_new_executive())
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "An account with this email exists already." in page
    assert 'value="Chief Financial Officer"' in page
    assert session.exec(select(func.count()).select_from(Executive)).one() == 0


def test_rotations_required_outside_0_to_12_is_refused(client, manager, session):
    response = client.post("/executives/new", data=_new_executive(rotations_required="13"))
    assert response.status_code == 400
    assert "Number must be between 0 and 12." in response.get_data(as_text=True)


def test_editing_an_executive_changes_their_profile(client, manager, make_executive, session):
    executive = make_executive(title="CFO")
    response = client.post(
        f"/executives/{executive.id}/edit",
        data={
            "title": "CEO",
            "department": "Board",
            "languages": "fr",
            "home_site_id": "0",
            "rotations_required": "3",
        },
    )
    assert response.status_code == 302
    page = client.get(f"/executives/{executive.id}").get_data(as_text=True)
    assert "CEO" in page and "Board" in page
    session.refresh(executive)
    assert (executive.languages, executive.rotations_required) == (["fr"], 3)


def test_the_edit_form_starts_with_the_current_profile(client, manager, make_executive):
    executive = make_executive(title="Chief People Officer", languages=("de", "en"))
    page = client.get(f"/executives/{executive.id}/edit").get_data(as_text=True)
    assert 'value="Chief People Officer"' in page
    assert 'value="de, en"' in page


def test_the_executive_list_searches_by_title(client, manager, make_executive):
    make_executive(title="Chief Technology Officer")
    make_executive(title="Head of Legal")
    page = client.get("/executives/?q=technology").get_data(as_text=True)
    assert "Chief Technology Officer" in page
    assert "Head of Legal" not in page


def test_the_executive_list_filters_by_department(client, manager, make_executive):
    make_executive(title="CFO", department="Finance")
    make_executive(title="CHRO", department="People")
    page = client.get("/executives/?department=People").get_data(as_text=True)
    assert "CHRO" in page
    assert "CFO" not in page


def test_the_executive_page_lists_their_rotations(
    client, manager, make_executive, make_team, make_booking
):
    executive = make_executive()
    make_booking(executive=executive, team=make_team(name="Returns Desk"))
    page = client.get(f"/executives/{executive.id}").get_data(as_text=True)
    assert "Returns Desk" in page
    assert "requested" in page


def test_an_executive_cannot_open_the_executive_list(client, login, make_user):
    login(make_user(roles={Role.EXECUTIVE}))
    assert client.get("/executives/").status_code == 403


def test_an_empty_executive_list_offers_to_add_or_import(client, manager):
    page = client.get("/executives/").get_data(as_text=True)
    assert "No executives yet." in page
    assert 'href="/executives/import"' in page


def test_the_executive_list_shows_page_2_when_there_are_more_than_fit(
    client, manager, make_executive, make_user
):
    for number in range(PAGE_SIZE + 1):
        make_executive(user=make_user(name=f"Exec {number:02d}"))
    first = client.get("/executives/").get_data(as_text=True)
    second = client.get("/executives/?page=2").get_data(as_text=True)
    assert f"Exec {PAGE_SIZE:02d}" not in first
    assert f"Exec {PAGE_SIZE:02d}" in second
