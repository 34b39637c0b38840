"""Teams: list, detail, create, edit."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..errors import DomainError
from ..forms.teams import TeamForm
from ..i18n import _
from ..models import Role
from ..services import sites
from .util import page_arg, per_page, show_error

bp = Blueprint("teams", __name__, url_prefix="/teams")


def _team_form(db, **kwargs) -> TeamForm:
    form = TeamForm(**kwargs)
    form.site_id.choices = [(site.id, site.name) for site in sites.all_sites(db)]
    form.lead_ids.choices = [
        (user.id, f"{user.name} <{user.email}>") for user in sites.lead_candidates(db)
    ]
    return form


def _data(form: TeamForm) -> sites.TeamData:
    return sites.TeamData(
        site_id=form.site_id.data,
        name=form.name.data,
        topics=form.topics.data or [],
        languages=form.languages.data or [],
        lead_ids=form.lead_ids.data or [],
    )


@bp.route("/")
def index():
    db = get_session()
    site_id = request.args.get("site_id", type=int)
    only_led_by = None if current_user.has_role(Role.PROGRAM_MANAGER) else current_user
    page = sites.list_teams(
        db, site_id=site_id, only_led_by=only_led_by, page=page_arg(), per_page=per_page()
    )
    return render_template(
        "teams/index.html",
        page=page,
        all_sites=sites.all_sites(db),
        site_id=site_id,
        may_create=current_user.has_role(Role.PROGRAM_MANAGER),
    )


@bp.route("/<int:team_id>")
def detail(team_id: int):
    db = get_session()
    team = sites.team_for(session=db, actor=current_user, team_id=team_id)
    agents = sites.list_agents(
        db, actor=current_user, team_id=team.id, page=page_arg(), per_page=per_page()
    )
    return render_template(
        "teams/detail.html",
        team=team,
        leads=sites.team_leads(db, team),
        agents=agents,
        may_manage_agents=sites.can_manage_team(db, current_user, team),
        may_edit=current_user.has_role(Role.PROGRAM_MANAGER),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    db = get_session()
    form = _team_form(db)
    if not form.is_submitted():
        form.site_id.data = request.args.get("site_id", type=int)
    if form.validate_on_submit():
        try:
            team = sites.create_team(session=db, actor=current_user, data=_data(form))
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("teams/form.html", form=form, team=None), err.status
        db.commit()
        flash(_("Team %(name)s created. Now add its buddy agents.", name=team.name), "success")
        return redirect(url_for("teams.detail", team_id=team.id))
    status = 400 if form.errors else 200
    return render_template("teams/form.html", form=form, team=None), status


@bp.route("/<int:team_id>/edit", methods=["GET", "POST"])
def edit(team_id: int):
    db = get_session()
    team = sites.get_team(db, team_id)
    form = _team_form(db, obj=team)
    if not form.is_submitted():
        form.lead_ids.data = [row.user_id for row in team.lead_rows]
    if form.validate_on_submit():
        try:
            sites.update_team(session=db, actor=current_user, team_id=team.id, data=_data(form))
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("teams/form.html", form=form, team=team), err.status
        db.commit()
        flash(_("Team saved."), "success")
        return redirect(url_for("teams.detail", team_id=team.id))
    status = 400 if form.errors else 200
    return render_template("teams/form.html", form=form, team=team), status
