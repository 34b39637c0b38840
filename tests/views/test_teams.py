"""Team pages: list, detail, create, edit, who sees which team."""

from __future__ import annotations

import pytest
from sqlmodel import select

from rotation.models import Role, Team

from ..conftest import app_settings

PAGE_SIZE = 3


@pytest.fixture
def app_config(database_url, tmp_path):
    return app_settings(database_url, tmp_path, PAGE_SIZE=PAGE_SIZE)


def _team_form(site, **overrides) -> dict:
    return {
        "site_id": str(site.id),
        "name": "Billing Care",
        "topics": "billing, returns",
        "languages": "de, en",
        **overrides,
    }


def test_a_program_manager_creates_a_team_and_sees_it_in_the_list(client, manager, make_site):
    site = make_site(name="Leipzig")
    response = client.post("/teams/new", data=_team_form(site))
    assert response.status_code == 302
    listing = client.get("/teams/").get_data(as_text=True)
    assert "Billing Care" in listing
    assert "billing, returns" in listing


def test_a_bad_language_code_is_shown_on_its_field_and_nothing_typed_is_lost(
    client, manager, make_site, session
):
    site = make_site()
    response = client.post("/teams/new", data=_team_form(site, languages="de, deu"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "&#39;deu&#39; is not a two-letter language code" in page
    assert 'value="de, deu"' in page
    assert 'value="billing, returns"' in page
    assert session.exec(select(Team)).all() == []


def test_a_bad_language_code_is_quoted_back_escaped(client, manager, make_site):
    site = make_site()
    response = client.post("/teams/new", data=_team_form(site, languages="<b>x</b>"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_a_duplicate_team_name_at_a_site_is_refused_on_the_name_field(
    client, manager, make_team, make_site, session
):
    site = make_site()
    make_team(site=site, name="Billing Care")
    response = client.post("/teams/new", data=_team_form(site, name="billing care"))
    assert response.status_code == 409
    assert "This site has a team of this name already." in response.get_data(as_text=True)
    assert len(session.exec(select(Team)).all()) == 1


def test_the_new_team_form_preselects_the_site_from_the_address(client, manager, make_site):
    make_site(name="Aachen")
    site = make_site(name="Zwickau")
    page = client.get(f"/teams/new?site_id={site.id}").get_data(as_text=True)
    assert f'<option selected value="{site.id}">Zwickau</option>' in page


def test_editing_a_team_changes_its_topics_languages_and_leads(
    client, manager, make_team, make_user, session
):
    team = make_team(name="Returns")
    lead = make_user(roles={Role.TEAM_LEAD}, name="Lena Lead")
    response = client.post(
        f"/teams/{team.id}/edit",
        data={
            **_team_form(team.site, name="Returns", topics="returns, refunds", languages="tr"),
            "lead_ids": [str(lead.id)],
        },
    )
    assert response.status_code == 302
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "refunds, returns" in page
    assert "Lena Lead" in page
    session.refresh(team)
    assert team.languages == ["tr"]


def test_only_team_leads_are_offered_as_leads(client, manager, make_user):
    make_user(roles={Role.TEAM_LEAD}, name="Lena Lead")
    make_user(roles={Role.EXECUTIVE}, name="Erik Executive")
    page = client.get("/teams/new").get_data(as_text=True)
    assert "Lena Lead" in page
    assert "Erik Executive" not in page


def test_a_team_lead_sees_only_their_own_teams_in_the_list(client, login, make_user, make_team):
    lead = make_user(roles={Role.TEAM_LEAD})
    make_team(name="Mine", leads=[lead])
    make_team(name="Theirs")
    login(lead)
    page = client.get("/teams/").get_data(as_text=True)
    assert "Mine" in page
    assert "Theirs" not in page


def test_a_team_lead_cannot_open_another_teams_page(client, login, make_user, make_team):
    lead = make_user(roles={Role.TEAM_LEAD})
    make_team(leads=[lead])
    other = make_team()
    login(lead)
    assert client.get(f"/teams/{other.id}").status_code == 403


def test_the_team_list_filters_by_site(client, manager, make_site, make_team):
    leipzig, graz = make_site(name="Leipzig"), make_site(name="Graz")
    make_team(site=leipzig, name="Leipzig Billing")
    make_team(site=graz, name="Graz Billing")
    page = client.get(f"/teams/?site_id={graz.id}").get_data(as_text=True)
    assert "Graz Billing" in page
    assert "Leipzig Billing" not in page


def test_the_team_page_shows_leads_and_agents_with_a_link_to_add_one(
    client, login, make_user, make_team, session
):
    from rotation.services import sites

    lead = make_user(roles={Role.TEAM_LEAD}, name="Lena Lead")
    team = make_team(leads=[lead], topics=("billing", "contracts"))
    sites.create_agent(
        session=session,
        actor=lead,
        data=sites.AgentData(team_id=team.id, name="Aylin", languages=["de"], is_active=True),
    )
    session.commit()
    login(lead)
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert "Lena Lead" in page
    assert "Aylin" in page
    assert "billing, contracts" in page
    assert f'href="/agents/new?team_id={team.id}"' in page


def test_a_team_lead_gets_no_edit_button_on_their_team(client, login, make_user, make_team):
    lead = make_user(roles={Role.TEAM_LEAD})
    team = make_team(leads=[lead])
    login(lead)
    page = client.get(f"/teams/{team.id}").get_data(as_text=True)
    assert f"/teams/{team.id}/edit" not in page


def test_an_executive_cannot_open_the_team_list(client, login, make_user):
    login(make_user(roles={Role.EXECUTIVE}))
    assert client.get("/teams/").status_code == 403


def test_an_empty_team_list_tells_a_manager_to_add_a_team(client, manager):
    page = client.get("/teams/").get_data(as_text=True)
    assert "No teams yet." in page
    assert 'href="/teams/new"' in page


def test_the_team_list_shows_page_2_when_there_are_more_teams_than_fit(
    client, manager, make_site, make_team
):
    site = make_site()
    for number in range(PAGE_SIZE + 1):
        make_team(site=site, name=f"Team {number:02d}")
    first = client.get("/teams/").get_data(as_text=True)
    second = client.get("/teams/?page=2").get_data(as_text=True)
    assert f"Team {PAGE_SIZE:02d}" not in first
    assert 'rel="next"' in first
    assert f"Team {PAGE_SIZE:02d}" in second
    assert "Page 2 of 2" in second
