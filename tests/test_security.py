"""Sign-in, sessions, CSRF, rate limits and response headers."""

from __future__ import annotations

import re

import pytest
from flask import session as flask_session

from rotation.models import Role

from .conftest import PASSWORD, app_settings


def _sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


@pytest.fixture
def executive_user(make_user):
    return make_user(roles={Role.EXECUTIVE}, email="erika@example.com", name="Erika")


def test_wrong_password_is_refused_with_a_message(client, executive_user):
    response = _sign_in(client, executive_user.email, "not the password")
    assert response.status_code == 401
    assert b"Email or password is not right." in response.data


def test_deactivated_user_cannot_sign_in(client, session, executive_user):
    executive_user.is_active = False
    session.commit()
    assert _sign_in(client, executive_user.email).status_code == 401


def test_sign_in_starts_a_fresh_session(client, executive_user):
    with client.session_transaction() as before:
        before["planted"] = "by someone else"
    assert _sign_in(client, executive_user.email).status_code == 302
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["_user_id"] == executive_user.session_token


def test_sign_in_never_follows_a_next_link_to_another_host(client, executive_user):
    response = client.post(
        "/sign-in?next=//evil.example/steal",
        data={"email": executive_user.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/"


def test_sign_out_needs_a_post(client, executive_user, login):
    login(executive_user)
    assert client.get("/sign-out").status_code == 405
    assert client.get("/").status_code == 200


def test_password_change_ends_every_other_session_but_keeps_this_one(app, executive_user):
    here, elsewhere = app.test_client(), app.test_client()
    _sign_in(here, executive_user.email)
    _sign_in(elsewhere, executive_user.email)
    response = here.post(
        "/account/password",
        data={
            "current_password": PASSWORD,
            "new_password": "a much newer secret",
            "confirm": "a much newer secret",
        },
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").headers["Location"].startswith("/sign-in")
    assert _sign_in(app.test_client(), executive_user.email).status_code == 401
    assert (
        _sign_in(app.test_client(), executive_user.email, "a much newer secret").status_code == 302
    )


def test_password_change_with_a_wrong_current_password_changes_nothing(client, executive_user):
    _sign_in(client, executive_user.email)
    response = client.post(
        "/account/password",
        data={
            "current_password": "wrong one",
            "new_password": "a much newer secret",
            "confirm": "a much newer secret",
        },
    )
    assert response.status_code == 400
    assert b"The current password is not right." in response.data
    assert client.get("/").status_code == 200


def test_sign_out_everywhere_ends_sessions_on_other_devices(app, executive_user):
    here, elsewhere = app.test_client(), app.test_client()
    _sign_in(here, executive_user.email)
    _sign_in(elsewhere, executive_user.email)
    assert here.post("/sign-out-everywhere").status_code == 302
    assert elsewhere.get("/").status_code == 302
    assert here.get("/").status_code == 302


def test_a_role_taken_away_applies_on_the_next_request(client, session, make_user, login):
    manager = make_user(roles={Role.PROGRAM_MANAGER, Role.EXECUTIVE})
    login(manager)
    assert client.get("/sites/").status_code == 200
    from rotation.services import accounts

    accounts.set_roles(session, manager, {Role.EXECUTIVE})
    session.commit()
    assert client.get("/sites/").status_code == 403


def test_session_cookie_is_host_prefixed_secure_httponly_lax_and_expires(client, executive_user):
    response = _sign_in(client, executive_user.email)
    cookie = next(
        header
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith("__Host-session=")
    )
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Path=/" in cookie
    assert "Domain" not in cookie
    assert "Expires=" in cookie


def test_pages_carry_a_strict_content_security_policy_and_no_framing(client):
    response = client.get("/sign-in")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.fixture
def csrf_app(database_url, tmp_path, monkeypatch):
    monkeypatch.setenv("HEADSET_INSTANCE", str(tmp_path / "instance"))
    from app import create_app

    application = create_app(app_settings(database_url, tmp_path, WTF_CSRF_ENABLED=True))
    yield application
    application.extensions["engine"].dispose()


def test_a_form_without_its_csrf_token_is_refused(csrf_app, session):
    client = csrf_app.test_client()
    response = client.post("/sign-in", data={"email": "a@example.com", "password": "x"})
    assert response.status_code == 400
    assert b"The form had expired or came from elsewhere" in response.data


def test_a_form_with_its_csrf_token_is_accepted(csrf_app):
    from rotation.db import get_session
    from rotation.services import accounts

    with csrf_app.app_context():
        db = get_session()
        accounts.create_user(
            session=db,
            actor=None,
            email="c@example.com",
            name="C",
            password=PASSWORD,
            roles={Role.EXECUTIVE},
        )
        db.commit()
    client = csrf_app.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/sign-in", data={"email": "c@example.com", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302


def test_session_lifetime_is_hours_not_a_month(app):
    assert app.config["PERMANENT_SESSION_LIFETIME"].total_seconds() <= 12 * 3600
    with app.test_request_context():
        assert flask_session is not None
