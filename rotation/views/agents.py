"""Buddy agents: list, create, edit and the CSV import."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from ..db import get_session
from ..errors import DomainError
from ..forms.agents import AgentForm
from ..forms.imports import CsvUploadForm
from ..i18n import _
from ..models import Role
from ..services import sites
from .uploads import run_import, upload_page
from .util import page_arg, per_page, show_error

bp = Blueprint("agents", __name__, url_prefix="/agents")

AGENT_COLUMNS = ("site", "team", "name", "languages", "active")


def _agent_form(db, **kwargs) -> AgentForm:
    form = AgentForm(**kwargs)
    # A team lead is offered only their own teams; the service refuses any other anyway.
    form.team_id.choices = [
        (team.id, f"{team.site.name} · {team.name}")
        for team in sites.manageable_teams(db, current_user)
    ]
    return form


def _data(form: AgentForm) -> sites.AgentData:
    return sites.AgentData(
        team_id=form.team_id.data,
        name=form.name.data,
        languages=form.languages.data or [],
        is_active=form.is_active.data,
    )


@bp.route("/")
def index():
    db = get_session()
    team_id = request.args.get("team_id", type=int)
    page = sites.list_agents(
        db, actor=current_user, team_id=team_id, page=page_arg(), per_page=per_page()
    )
    teams = sites.manageable_teams(db, current_user)
    return render_template(
        "agents/index.html",
        page=page,
        teams=teams,
        teams_by_id={team.id: team for team in teams},
        team_id=team_id,
        may_create=bool(teams),
        may_import=current_user.has_role(Role.PROGRAM_MANAGER),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    db = get_session()
    form = _agent_form(db)
    if not form.is_submitted():
        form.team_id.data = request.args.get("team_id", type=int)
    if form.validate_on_submit():
        try:
            agent = sites.create_agent(session=db, actor=current_user, data=_data(form))
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("agents/form.html", form=form, agent=None), err.status
        db.commit()
        flash(_("Buddy agent %(name)s added.", name=agent.name), "success")
        return redirect(url_for("teams.detail", team_id=agent.team_id))
    status = 400 if form.errors else 200
    return render_template("agents/form.html", form=form, agent=None), status


@bp.route("/<int:agent_id>/edit", methods=["GET", "POST"])
def edit(agent_id: int):
    db = get_session()
    agent = sites.agent_for(session=db, actor=current_user, agent_id=agent_id)
    form = _agent_form(db, obj=agent)
    if form.validate_on_submit():
        try:
            sites.update_agent(session=db, actor=current_user, agent_id=agent.id, data=_data(form))
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("agents/form.html", form=form, agent=agent), err.status
        db.commit()
        flash(_("Buddy agent saved."), "success")
        return redirect(url_for("agents.index", team_id=agent.team_id))
    status = 400 if form.errors else 200
    return render_template("agents/form.html", form=form, agent=agent), status


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    form = CsvUploadForm()
    page_args = {
        "title": _("Import buddy agents"),
        "columns": AGENT_COLUMNS,
        "back_url": url_for("agents.index"),
    }
    if form.validate_on_submit():
        agents, refused = run_import(
            form,
            lambda db, data: sites.import_agents(session=db, actor=current_user, data=data),
            **page_args,
        )
        if refused:
            return refused
        flash(
            ngettext(
                "%(num)d buddy agent imported.", "%(num)d buddy agents imported.", len(agents)
            ),
            "success",
        )
        return redirect(url_for("agents.index"))
    return upload_page(form, **page_args)
