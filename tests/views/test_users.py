"""User pages: list, create, edit, password reset, deactivation ending sessions."""

from __future__ import annotations

import pytest
from sqlmodel import select

from rotation.models import Role, User

from ..conftest import PASSWORD, app_settings

PAGE_SIZE = 3


@pytest.fixture
def app_config(database_url, tmp_path):
    return app_settings(database_url, tmp_path, PAGE_SIZE=PAGE_SIZE)


def _user_form(**overrides) -> dict:
    return {
        "email": "lena@example.com",
        "name": "Lena Lead",
        "password": "a long first password",
        "roles": ["team_lead"],
        **overrides,
    }


def test_a_program_manager_creates_a_user_and_sees_them_in_the_list(client, manager):
    response = client.post("/users/new", data=_user_form(roles=["team_lead", "executive"]))
    assert response.status_code == 302
    page = client.get("/users/").get_data(as_text=True)
    assert "lena@example.com" in page
    assert "executive, team lead" in page


def test_a_user_needs_at_least_one_role(client, manager, session):
    response = client.post("/users/new", data=_user_form(roles=[]))
    assert response.status_code == 400
    assert "Choose at least one." in response.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "lena@example.com")).first() is None


def test_a_taken_email_is_shown_on_the_email_field_and_the_name_kept(client, manager, make_user):
    make_user(email="lena@example.com")
    response = client.post("/users/new", data=_user_form(name="Lena Zweite"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "An account with this email exists already." in page
    assert 'value="Lena Zweite"' in page


def test_editing_a_user_changes_their_name_and_roles(client, manager, make_user, session):
    user = make_user(roles={Role.EXECUTIVE})
    response = client.post(
        f"/users/{user.id}/edit",
        data={"email": user.email, "name": "New Name", "roles": ["team_lead"]},
    )
    assert response.status_code == 302
    session.refresh(user)
    assert (user.name, user.roles) == ("New Name", {Role.TEAM_LEAD})


def test_the_edit_form_starts_with_the_current_roles_checked(client, manager, make_user):
    user = make_user(roles={Role.TEAM_LEAD})
    page = client.get(f"/users/{user.id}/edit").get_data(as_text=True)
    assert 'checked id="roles-1" name="roles" type="checkbox" value="team_lead"' in page


def test_setting_a_new_password_ends_the_users_sessions(
    client, manager, make_user, signed_in_client
):
    user = make_user()
    their_browser = signed_in_client(user)
    client.post(
        f"/users/{user.id}/edit",
        data={
            "email": user.email,
            "name": user.name,
            "roles": ["executive"],
            "new_password": "a brand new password",
        },
    )
    response = their_browser.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_deactivating_a_user_ends_their_session_at_once(
    client, manager, make_user, signed_in_client
):
    user = make_user()
    their_browser = signed_in_client(user)
    assert their_browser.get("/").status_code == 200
    response = client.post(f"/users/{user.id}/deactivate")
    assert response.status_code == 302
    after = their_browser.get("/")
    assert after.status_code == 302
    assert after.headers["Location"].startswith("/sign-in")


def test_a_reactivated_user_can_sign_in_again(client, manager, make_user, signed_in_client):
    user = make_user()
    client.post(f"/users/{user.id}/deactivate")
    response = client.post(f"/users/{user.id}/activate")
    assert response.status_code == 302
    assert signed_in_client(user).get("/").status_code == 200


def test_deactivation_is_not_possible_by_get(client, manager, make_user, session):
    user = make_user()
    assert client.get(f"/users/{user.id}/deactivate").status_code == 405
    session.refresh(user)
    assert user.is_active


def test_a_program_manager_cannot_deactivate_themselves(client, manager, session):
    response = client.post(f"/users/{manager.id}/deactivate")
    assert response.status_code == 400
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    session.refresh(manager)
    assert manager.is_active


@pytest.fixture
def csrf_app(app_config, app):
    """The same database served by an app that checks CSRF tokens, as in production."""
    from app import create_app

    checking = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    yield checking
    checking.extensions["engine"].dispose()


def _signed_in_with_token(app, user):
    browser = app.test_client()
    sign_in_page = browser.get("/sign-in").get_data(as_text=True)
    token = sign_in_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = browser.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return browser


def test_the_deactivate_button_posts_a_csrf_token(csrf_app, make_user):
    other = make_user()
    browser = _signed_in_with_token(csrf_app, make_user(roles={Role.PROGRAM_MANAGER}))
    page = browser.get(f"/users/{other.id}/edit").get_data(as_text=True)
    form = page.split(f'action="/users/{other.id}/deactivate"')[1].split("</form>")[0]
    assert 'name="csrf_token"' in form


def test_deactivation_without_a_csrf_token_is_refused(csrf_app, make_user, session):
    other = make_user()
    browser = _signed_in_with_token(csrf_app, make_user(roles={Role.PROGRAM_MANAGER}))
    assert browser.post(f"/users/{other.id}/deactivate").status_code == 400
    session.refresh(other)
    assert other.is_active


def test_the_user_list_searches_by_name_or_email(client, manager, make_user):
    make_user(name="Greta Garbo", email="greta@example.com")
    make_user(name="Hans Albers", email="hans@example.com")
    page = client.get("/users/?q=greta").get_data(as_text=True)
    assert "Greta Garbo" in page
    assert "Hans Albers" not in page


def test_a_search_without_match_says_what_to_do(client, manager):
    page = client.get("/users/?q=nobody-like-this").get_data(as_text=True)
    assert "No account matches" in page
    assert 'href="/users/new"' in page


def test_an_executive_cannot_open_the_user_list(client, login, make_user):
    login(make_user(roles={Role.EXECUTIVE}))
    assert client.get("/users/").status_code == 403


def test_the_user_list_shows_page_2_when_there_are_more_users_than_fit(client, manager, make_user):
    for number in range(PAGE_SIZE + 1):
        make_user(name=f"User {number:02d}")
    first = client.get("/users/").get_data(as_text=True)
    second = client.get("/users/?page=2").get_data(as_text=True)
    assert "User 03" not in first
    assert "User 03" in second
