"""Buddy agent pages: list, create, edit; a team lead only within their own teams."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from rotation.errors import NotAllowed
from rotation.models import BuddyAgent, Role
from rotation.services import accounts, sites

from ..conftest import app_settings

PAGE_SIZE = 3


@pytest.fixture
def app_config(database_url, tmp_path):
    return app_settings(database_url, tmp_path, PAGE_SIZE=PAGE_SIZE)


@pytest.fixture
def lead(make_user):
    return make_user(roles={Role.TEAM_LEAD}, name="Lena Lead")


@pytest.fixture
def make_agent(session, make_team):
    def build(*, team=None, name="Aylin", languages=("de",), is_active=True):
        agent = sites.create_agent(
            session=session,
            actor=_builder(session),
            data=sites.AgentData(
                team_id=(team or make_team()).id,
                name=name,
                languages=list(languages),
                is_active=is_active,
            ),
        )
        session.commit()
        return agent

    return build


def _builder(session):
    """create_agent needs an actor; a program manager who is not signed in anywhere."""
    manager = accounts.find_user_by_email(session, "builder@example.com")
    if manager is None:
        manager = accounts.create_user(
            session=session,
            actor=None,
            email="builder@example.com",
            name="Builder",
            password="long enough pw",
            roles={Role.PROGRAM_MANAGER},
        )
    return manager


def _agent_count(session) -> int:
    return session.exec(select(func.count()).select_from(BuddyAgent)).one()


def test_a_program_manager_adds_an_agent_and_sees_it_in_the_list(client, manager, make_team):
    team = make_team(name="Billing")
    response = client.post(
        "/agents/new",
        data={
            "team_id": str(team.id),
            "name": "Aylin Demir",
            "languages": "de, tr",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    page = client.get("/agents/").get_data(as_text=True)
    assert "Aylin Demir" in page
    assert "de, tr" in page


def test_a_team_lead_adds_an_agent_to_their_own_team(client, login, lead, make_team, session):
    team = make_team(leads=[lead])
    login(lead)
    response = client.post(
        "/agents/new", data={"team_id": str(team.id), "name": "Jonas", "languages": "de"}
    )
    assert response.status_code == 302
    agent = session.exec(select(BuddyAgent)).one()
    assert (agent.team_id, agent.is_active) == (team.id, False)


def test_a_team_lead_is_offered_only_their_own_teams(client, login, lead, make_team):
    make_team(name="Mine", leads=[lead])
    make_team(name="Theirs")
    login(lead)
    page = client.get("/agents/new").get_data(as_text=True)
    assert "Mine" in page
    assert "Theirs" not in page


def test_a_team_lead_cannot_create_an_agent_in_another_team_by_posting_its_id(
    client, login, lead, make_team, session
):
    make_team(leads=[lead])
    other = make_team()
    login(lead)
    response = client.post(
        "/agents/new", data={"team_id": str(other.id), "name": "Intruder", "languages": "de"}
    )
    assert response.status_code in (400, 403)
    assert _agent_count(session) == 0


def test_the_service_refuses_a_team_lead_an_agent_in_another_team(session, lead, make_team):
    other = make_team()
    with pytest.raises(NotAllowed):
        sites.create_agent(
            session=session,
            actor=lead,
            data=sites.AgentData(team_id=other.id, name="X", languages=["de"], is_active=True),
        )


def test_a_team_lead_does_not_see_another_teams_agents(client, login, lead, make_team, make_agent):
    make_agent(team=make_team(leads=[lead]), name="Our Agent")
    make_agent(team=make_team(), name="Their Agent")
    login(lead)
    page = client.get("/agents/").get_data(as_text=True)
    assert "Our Agent" in page
    assert "Their Agent" not in page


def test_a_team_lead_cannot_open_the_edit_page_of_another_teams_agent(
    client, login, lead, make_team, make_agent
):
    make_team(leads=[lead])
    theirs = make_agent(team=make_team())
    login(lead)
    assert client.get(f"/agents/{theirs.id}/edit").status_code == 403


def test_a_team_lead_cannot_move_their_agent_into_another_team(
    client, login, lead, make_team, make_agent, session
):
    ours = make_agent(team=make_team(leads=[lead]))
    other = make_team()
    login(lead)
    response = client.post(
        f"/agents/{ours.id}/edit",
        data={"team_id": str(other.id), "name": ours.name, "languages": "de"},
    )
    assert response.status_code in (400, 403)
    session.refresh(ours)
    assert ours.team_id != other.id


def test_editing_an_agent_can_mark_them_inactive(client, manager, make_agent, session):
    agent = make_agent(name="Aylin")
    response = client.post(
        f"/agents/{agent.id}/edit",
        data={"team_id": str(agent.team_id), "name": "Aylin", "languages": "de"},
    )
    assert response.status_code == 302
    assert "inactive" in client.get("/agents/").get_data(as_text=True)
    session.refresh(agent)
    assert agent.is_active is False


def test_a_bad_language_code_on_an_agent_is_shown_and_the_name_kept(
    client, manager, make_team, session
):
    team = make_team()
    response = client.post(
        "/agents/new", data={"team_id": str(team.id), "name": "Aylin", "languages": "german"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "is not a two-letter language code" in page
    assert 'value="Aylin"' in page
    assert _agent_count(session) == 0


def test_the_agent_list_filters_by_team(client, manager, make_team, make_agent):
    billing, returns = make_team(name="Billing"), make_team(name="Returns")
    make_agent(team=billing, name="Bea")
    make_agent(team=returns, name="Rico")
    page = client.get(f"/agents/?team_id={returns.id}").get_data(as_text=True)
    assert "Rico" in page
    assert "Bea" not in page


def test_an_executive_cannot_open_the_agent_list(client, login, make_user):
    login(make_user(roles={Role.EXECUTIVE}))
    assert client.get("/agents/").status_code == 403


def test_an_empty_agent_list_offers_to_add_one(client, login, lead, make_team):
    make_team(leads=[lead])
    login(lead)
    page = client.get("/agents/").get_data(as_text=True)
    assert "No buddy agents here yet." in page
    assert "Add a buddy agent" in page


def test_the_agent_list_shows_page_2_when_there_are_more_agents_than_fit(
    client, manager, make_team, make_agent
):
    team = make_team()
    for number in range(PAGE_SIZE + 1):
        make_agent(team=team, name=f"Agent {number:02d}")
    first = client.get("/agents/").get_data(as_text=True)
    second = client.get("/agents/?page=2").get_data(as_text=True)
    assert f"Agent {PAGE_SIZE:02d}" not in first
    assert f"Agent {PAGE_SIZE:02d}" in second
