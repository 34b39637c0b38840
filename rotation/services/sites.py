"""Sites, teams, team leads and buddy agents."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from sqlalchemy import func
from sqlmodel import Session, select

from ..errors import Conflict, Invalid, NotAllowed, NotFound
from ..i18n import _
from ..models import BuddyAgent, Role, Site, Team, TeamLead, User
from . import audit
from .accounts import require_role
from .csvfiles import import_all, parse_languages, read_rows
from .paging import Page, paginate


def check_timezone(name: str) -> str:
    if name not in available_timezones():
        raise Invalid(_("Not a known IANA time zone (like Europe/Berlin)."), field="timezone")
    try:
        ZoneInfo(name)
    except ZoneInfoNotFoundError:
        raise Invalid(
            _("Not a known IANA time zone (like Europe/Berlin)."), field="timezone"
        ) from None
    return name


def get_site(session: Session, site_id: int) -> Site:
    site = session.get(Site, site_id)
    if site is None:
        raise NotFound(_("This site does not exist."))
    return site


def get_team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound(_("This team does not exist."))
    return team


def list_sites(session: Session, *, page: int = 1, per_page: int = 25) -> Page:
    return paginate(session, select(Site).order_by(Site.name), page=page, per_page=per_page)


def all_sites(session: Session) -> list[Site]:
    return list(session.exec(select(Site).order_by(Site.name)))


@dataclass(frozen=True)
class SiteData:
    name: str
    timezone: str
    address: str
    holiday_region: str | None


SITE_FIELDS = ("name", "timezone", "address", "holiday_region")


def _check_site(session: Session, data: SiteData, site_id: int | None) -> None:
    if not data.name.strip():
        raise Invalid(_("A name is required."), field="name")
    check_timezone(data.timezone)
    other = session.exec(
        select(Site).where(func.lower(Site.name) == data.name.strip().lower())
    ).first()
    if other is not None and other.id != site_id:
        raise Conflict(_("A site with this name exists already."), field="name")


def create_site(*, session: Session, actor: User | None, data: SiteData) -> Site:
    """Create a site. Raises Invalid or Conflict naming the field."""
    if actor is not None:
        require_role(actor, Role.PROGRAM_MANAGER)
    _check_site(session, data, None)
    site = Site(
        name=data.name.strip(),
        timezone=data.timezone,
        address=data.address.strip(),
        holiday_region=data.holiday_region or None,
    )
    session.add(site)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="site.create",
        obj=site,
        after=audit.snapshot(site, SITE_FIELDS),
    )
    return site


def update_site(*, session: Session, actor: User, site_id: int, data: SiteData) -> Site:
    """Change a site."""
    require_role(actor, Role.PROGRAM_MANAGER)
    site = get_site(session, site_id)
    _check_site(session, data, site.id)
    before = audit.snapshot(site, SITE_FIELDS)
    site.name, site.timezone = data.name.strip(), data.timezone
    site.address, site.holiday_region = data.address.strip(), data.holiday_region or None
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="site.update",
        obj=site,
        before=before,
        after=audit.snapshot(site, SITE_FIELDS),
    )
    return site


# Teams ------------------------------------------------------------------------------------


def led_team_ids(session: Session, user: User) -> set[int]:
    return set(session.exec(select(TeamLead.team_id).where(TeamLead.user_id == user.id)))


def can_manage_team(session: Session, actor: User, team: Team) -> bool:
    """Program managers manage every team; team leads their own."""
    if actor.has_role(Role.PROGRAM_MANAGER):
        return True
    return actor.has_role(Role.TEAM_LEAD) and team.id in led_team_ids(session, actor)


def team_for(*, session: Session, actor: User, team_id: int) -> Team:
    """Return a team the actor may see. Raises NotFound, or NotAllowed for another's team."""
    team = get_team(session, team_id)
    if not can_manage_team(session, actor, team):
        raise NotAllowed(_("You can only see your own teams."))
    return team


def manageable_teams(session: Session, actor: User) -> list[Team]:
    """Every team for a program manager; a team lead's own teams."""
    if actor.has_role(Role.PROGRAM_MANAGER):
        return all_teams(session)
    led = led_team_ids(session, actor)
    return [team for team in all_teams(session) if team.id in led]


def list_teams(
    session: Session,
    *,
    site_id: int | None = None,
    only_led_by: User | None = None,
    page: int = 1,
    per_page: int = 25,
) -> Page:
    statement = select(Team).join(Site).order_by(Site.name, Team.name)
    if site_id is not None:
        statement = statement.where(Team.site_id == site_id)
    if only_led_by is not None:
        statement = statement.where(
            Team.id.in_(select(TeamLead.team_id).where(TeamLead.user_id == only_led_by.id))
        )
    return paginate(session, statement, page=page, per_page=per_page)


def all_teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).join(Site).order_by(Site.name, Team.name)))


def team_leads(session: Session, team: Team) -> list[User]:
    return list(
        session.exec(
            select(User)
            .join(TeamLead, TeamLead.user_id == User.id)
            .where(TeamLead.team_id == team.id)
            .order_by(User.name)
        )
    )


def lead_candidates(session: Session) -> list[User]:
    from ..models import UserRole

    return list(
        session.exec(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TEAM_LEAD.value)
            .order_by(User.name)
        )
    )


@dataclass(frozen=True)
class TeamData:
    site_id: int
    name: str
    topics: list[str]
    languages: list[str]
    lead_ids: list[int]


TEAM_FIELDS = ("site_id", "name", "topics", "languages")


def _check_team(session: Session, data: TeamData, team_id: int | None) -> None:
    get_site(session, data.site_id)
    if not data.name.strip():
        raise Invalid(_("A name is required."), field="name")
    if not data.languages:
        raise Invalid(_("At least one language is required."), field="languages")
    other = session.exec(
        select(Team).where(
            Team.site_id == data.site_id, func.lower(Team.name) == data.name.strip().lower()
        )
    ).first()
    if other is not None and other.id != team_id:
        raise Conflict(_("This site has a team of this name already."), field="name")
    for user_id in data.lead_ids:
        user = session.get(User, user_id)
        if user is None or not user.has_role(Role.TEAM_LEAD):
            raise Invalid(
                _("Only users with the team lead role can lead a team."), field="lead_ids"
            )


def _set_leads(session: Session, team: Team, lead_ids: list[int]) -> None:
    current = {row.user_id: row for row in team.lead_rows}
    for user_id, row in current.items():
        if user_id not in lead_ids:
            team.lead_rows.remove(row)
    for user_id in set(lead_ids) - set(current):
        team.lead_rows.append(TeamLead(user_id=user_id))


def create_team(*, session: Session, actor: User | None, data: TeamData) -> Team:
    """Create a team at a site with its leads."""
    if actor is not None:
        require_role(actor, Role.PROGRAM_MANAGER)
    _check_team(session, data, None)
    team = Team(
        site_id=data.site_id,
        name=data.name.strip(),
        topics=sorted(set(data.topics)),
        languages=sorted(set(data.languages)),
    )
    session.add(team)
    session.flush()
    _set_leads(session, team, data.lead_ids)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="team.create",
        obj=team,
        after=audit.snapshot(team, TEAM_FIELDS),
    )
    return team


def update_team(*, session: Session, actor: User, team_id: int, data: TeamData) -> Team:
    """Change a team, its topics, languages and leads."""
    require_role(actor, Role.PROGRAM_MANAGER)
    team = get_team(session, team_id)
    _check_team(session, data, team.id)
    before = audit.snapshot(team, TEAM_FIELDS)
    team.site_id, team.name = data.site_id, data.name.strip()
    team.topics, team.languages = sorted(set(data.topics)), sorted(set(data.languages))
    _set_leads(session, team, data.lead_ids)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="team.update",
        obj=team,
        before=before,
        after=audit.snapshot(team, TEAM_FIELDS),
    )
    return team


# Buddy agents -----------------------------------------------------------------------------


def get_agent(session: Session, agent_id: int) -> BuddyAgent:
    agent = session.get(BuddyAgent, agent_id)
    if agent is None:
        raise NotFound(_("This agent does not exist."))
    return agent


def agent_for(*, session: Session, actor: User, agent_id: int) -> BuddyAgent:
    """Return an agent of a team the actor manages. Raises NotFound or NotAllowed."""
    agent = get_agent(session, agent_id)
    if not can_manage_team(session, actor, get_team(session, agent.team_id)):
        raise NotAllowed(_("You can only manage the agents of your own teams."))
    return agent


def list_agents(
    session: Session, *, actor: User, team_id: int | None = None, page: int = 1, per_page: int = 25
) -> Page:
    """Agents the actor may see: all for a program manager, their teams' for a team lead."""
    statement = (
        select(BuddyAgent)
        .join(Team, Team.id == BuddyAgent.team_id)
        .join(Site)
        .order_by(Site.name, Team.name, BuddyAgent.name)
    )
    if team_id is not None:
        statement = statement.where(BuddyAgent.team_id == team_id)
    if not actor.has_role(Role.PROGRAM_MANAGER):
        statement = statement.where(BuddyAgent.team_id.in_(led_team_ids(session, actor) or {-1}))
    return paginate(session, statement, page=page, per_page=per_page)


@dataclass(frozen=True)
class AgentData:
    team_id: int
    name: str
    languages: list[str]
    is_active: bool


AGENT_FIELDS = ("team_id", "name", "languages", "is_active")


def _check_agent(session: Session, actor: User, data: AgentData) -> Team:
    team = get_team(session, data.team_id)
    if not can_manage_team(session, actor, team):
        raise NotAllowed(_("You can only manage the agents of your own teams."))
    if not data.name.strip():
        raise Invalid(_("A name is required."), field="name")
    if not data.languages:
        raise Invalid(_("At least one language is required."), field="languages")
    return team


def create_agent(*, session: Session, actor: User, data: AgentData) -> BuddyAgent:
    """Add a buddy agent to a team the actor manages."""
    _check_agent(session, actor, data)
    agent = BuddyAgent(
        team_id=data.team_id,
        name=data.name.strip(),
        languages=sorted(set(data.languages)),
        is_active=data.is_active,
    )
    session.add(agent)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="agent.create",
        obj=agent,
        after=audit.snapshot(agent, AGENT_FIELDS),
    )
    return agent


def update_agent(*, session: Session, actor: User, agent_id: int, data: AgentData) -> BuddyAgent:
    """Change a buddy agent; both the old and the new team must be the actor's."""
    agent = agent_for(session=session, actor=actor, agent_id=agent_id)
    _check_agent(session, actor, data)
    before = audit.snapshot(agent, AGENT_FIELDS)
    agent.team_id, agent.name = data.team_id, data.name.strip()
    agent.languages, agent.is_active = sorted(set(data.languages)), data.is_active
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="agent.update",
        obj=agent,
        before=before,
        after=audit.snapshot(agent, AGENT_FIELDS),
    )
    return agent


def import_agents(*, session: Session, actor: User, data: bytes) -> list[BuddyAgent]:
    """Create a buddy agent per CSV row (site, team, name, languages); a bad row imports nothing.

    Raises ImportRejected listing every bad row with its line number.
    """
    require_role(actor, Role.PROGRAM_MANAGER)
    rows = read_rows(data, required=("site", "team", "name", "languages"))
    teams = {(team.site.name.lower(), team.name.lower()): team for team in all_teams(session)}

    def handle(_line: int, row: dict[str, str]) -> BuddyAgent:
        team = teams.get((row.get("site", "").lower(), row.get("team", "").lower()))
        if team is None:
            raise ValueError(
                _(
                    "team: no team '%(team)s' at site '%(site)s'",
                    team=row.get("team", ""),
                    site=row.get("site", ""),
                )
            )
        if not row.get("name"):
            raise ValueError(_("name: required"))
        try:
            languages = parse_languages(row.get("languages", ""))
        except ValueError as err:
            raise ValueError(f"languages: {err}") from None
        active_text = row.get("active", "yes").lower() or "yes"
        if active_text not in {"yes", "no", "true", "false", "1", "0", "ja", "nein"}:
            raise ValueError(_("active: yes or no"))
        return create_agent(
            session=session,
            actor=actor,
            data=AgentData(
                team_id=team.id,
                name=row["name"][:120],
                languages=languages,
                is_active=active_text in {"yes", "true", "1", "ja"},
            ),
        )

    return import_all(rows, handle)
