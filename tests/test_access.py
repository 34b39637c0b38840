"""Every route, as every role and as an anonymous visitor, against the one access table."""

from __future__ import annotations

import pytest
from werkzeug.routing import Rule

from rotation.auth import ACCESS, PUBLIC, SIGNED_IN
from rotation.models import Role
from rotation.services import sites

from .conftest import PASSWORD, app_settings

VISITORS = ["anonymous", *[role.value for role in Role]]


@pytest.fixture
def app_config(database_url, tmp_path):
    # The walk signs in once per route; the sign-in limits are tested on their own.
    return app_settings(
        database_url,
        tmp_path,
        SIGN_IN_LIMIT_PER_ACCOUNT="1000 per minute",
        SIGN_IN_LIMIT_PER_ADDRESS="1000 per minute",
    )


def _rules(app) -> list[Rule]:
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def test_every_route_has_an_access_rule_and_every_rule_a_route(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(ACCESS)) == [], "routes without an access rule"
    assert sorted(set(ACCESS) - endpoints) == [], "access rules for routes that do not exist"


def _expected(endpoint: str, visitor: str) -> bool:
    access = ACCESS[endpoint]
    if access is PUBLIC:
        return True
    if visitor == "anonymous":
        return False
    if access is SIGNED_IN:
        return True
    return Role(visitor) in access


@pytest.fixture
def world(session, make_user, make_team, make_executive, make_booking):
    """One of each thing, the team led by the team lead, so allowed pages find their rows."""
    users = {role: make_user(roles={role}, email=f"{role.value}@example.com") for role in Role}
    team = make_team(leads=[users[Role.TEAM_LEAD]])
    agent = sites.create_agent(
        session=session,
        actor=users[Role.PROGRAM_MANAGER],
        data=sites.AgentData(team_id=team.id, name="Aylin", languages=["de"], is_active=True),
    )
    executive = make_executive(user=users[Role.EXECUTIVE])
    booking = make_booking(executive=executive, team=team)
    session.commit()
    return {
        "users": users,
        "args": {
            "site_id": team.site_id,
            "team_id": team.id,
            "agent_id": agent.id,
            "executive_id": executive.id,
            "user_id": users[Role.EXECUTIVE].id,
            "booking_id": booking.id,
            "slot_id": booking.days[0].slot_id,
        },
    }


def _url(app, rule: Rule, args: dict) -> str:
    values = {name: args.get(name, 1) for name in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


@pytest.mark.parametrize("visitor", VISITORS)
def test_each_route_admits_exactly_the_visitors_its_access_rule_names(app, world, visitor):
    wrong = []
    for rule in _rules(app):
        client = app.test_client()
        if visitor != "anonymous":
            user = world["users"][Role(visitor)]
            signed_in = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
            assert signed_in.status_code == 302
        method = "GET" if "GET" in rule.methods else "POST"
        response = client.open(_url(app, rule, world["args"]), method=method)
        location = response.headers.get("Location", "")
        refused = response.status_code == 403 or (
            response.status_code == 302 and location.startswith("/sign-in?next=")
        )
        if response.status_code >= 500:
            wrong.append(f"{method} {rule.rule}: server error {response.status_code}")
        elif _expected(rule.endpoint, visitor) == refused:
            wrong.append(
                f"{method} {rule.rule}: {'refused' if refused else 'admitted'} "
                f"({response.status_code} {location})"
            )
        if visitor == "anonymous" and refused:
            assert response.status_code == 302, f"{rule.rule}: anonymous must go to sign-in"
    assert wrong == []


def test_a_route_missing_from_the_access_table_is_refused(app, client):
    app.add_url_rule("/unlisted", "unlisted", lambda: "secret")
    response = client.get("/unlisted")
    assert response.status_code == 500
    assert b"secret" not in response.data
