"""Capacity: the month grid, slot templates and generation, slots, blackouts, export."""

from __future__ import annotations

import json
from datetime import date, timedelta

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import navigation
from ..auth import EX, PM, TL, register_access, roles
from ..db import get_session
from ..errors import DomainError
from ..forms.capacity import (
    WEEKDAY_CHOICES,
    BlackoutForm,
    CapacityForm,
    ExportForm,
    GenerateForm,
    GridFilterForm,
    TemplateForm,
)
from ..i18n import _, _l
from ..models import Role
from ..services import capacity, plans, sites
from .util import page_arg, per_page, show_error

bp = Blueprint("capacity", __name__, url_prefix="/capacity")

register_access(
    {
        "capacity.grid": roles(PM, TL, EX),
        "capacity.templates": roles(PM, TL),
        "capacity.template_edit": roles(PM, TL),
        "capacity.generate": roles(PM, TL),
        "capacity.slots": roles(PM, TL),
        "capacity.slot_open": roles(PM, TL),
        "capacity.slot_close": roles(PM, TL),
        "capacity.slot_capacity": roles(PM, TL),
        "capacity.blackouts": roles(PM, TL),
        "capacity.blackout_new": roles(PM, TL),
        "capacity.export": roles(PM),
    }
)
navigation.add("capacity.grid", _l("Capacity"), before="executives.index")


def _month_start(text: str | None) -> date:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        today = date.today()
        return today.replace(day=1)


def _month_end(first: date, months: int) -> date:
    year, month = first.year, first.month + months
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, 1) - timedelta(days=1)


@bp.route("/")
def grid():
    db = get_session()
    teams = sites.all_teams(db)
    form = GridFilterForm(request.args)
    form.site_id.choices = [("", _("All sites"))] + [
        (str(site.id), site.name) for site in sites.all_sites(db)
    ]
    form.topic.choices = [("", _("All topics"))] + [
        (topic, topic) for topic in sorted({t for team in teams for t in team.topics})
    ]
    form.language.choices = [("", _("All languages"))] + [
        (code, code) for code in sorted({c for team in teams for c in team.languages})
    ]
    first = _month_start(form.month.data)
    months = min(max(request.args.get("months", 1, type=int), 1), 3)
    last = _month_end(first, months)
    site_id = int(form.site_id.data) if (form.site_id.data or "").isdigit() else None
    result = capacity.capacity_grid(
        db,
        start=first,
        end=last,
        site_id=site_id,
        team_id=request.args.get("team_id", type=int),
        topic=form.topic.data or None,
        language=form.language.data or None,
    )
    args = {key: value for key, value in request.args.items() if key != "month"}
    return render_template(
        "capacity/grid.html",
        grid=result,
        form=form,
        first=first,
        previous_url=url_for(
            "capacity.grid", month=(first - timedelta(days=1)).strftime("%Y-%m"), **args
        ),
        next_url=url_for(
            "capacity.grid",
            month=(_month_end(first, 1) + timedelta(days=1)).strftime("%Y-%m"),
            **args,
        ),
        heat_level=capacity.heat_level,
        managed_ids=(
            {team.id for team in sites.manageable_teams(db, current_user)}
            if current_user.has_role(Role.PROGRAM_MANAGER, Role.TEAM_LEAD)
            else set()
        ),
        may_export=current_user.has_role(Role.PROGRAM_MANAGER),
    )


def _template_data(form: TemplateForm) -> capacity.TemplateData:
    return capacity.TemplateData(
        weekdays=form.weekdays.data or [],
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        kind=form.kind.data,
        capacity=form.capacity.data,
        is_active=form.is_active.data,
    )


def _templates_page(db, team, form, generate_form, report=None, status=200):
    templates = capacity.list_templates(session=db, actor=current_user, team_id=team.id)
    return (
        render_template(
            "capacity/templates.html",
            team=team,
            templates=templates,
            form=form,
            generate_form=generate_form,
            report=report,
            weekday_names={int(choice.value): choice.label for choice in WEEKDAY_CHOICES},
        ),
        status,
    )


def _default_generate_form() -> GenerateForm:
    form = GenerateForm(formdata=None)
    today = date.today()
    form.start.data = today
    form.end.data = _month_end(today.replace(day=1), 3)
    return form


@bp.route("/teams/<int:team_id>/templates", methods=["GET", "POST"])
def templates(team_id: int):
    db = get_session()
    team = sites.team_for(session=db, actor=current_user, team_id=team_id)
    form = TemplateForm()
    if form.validate_on_submit():
        try:
            capacity.save_template(
                session=db, actor=current_user, team_id=team.id, data=_template_data(form)
            )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return _templates_page(db, team, form, _default_generate_form(), status=err.status)
        db.commit()
        flash(_("Template added. Generate slots to offer its places."), "success")
        return redirect(url_for("capacity.templates", team_id=team.id))
    return _templates_page(
        db, team, form, _default_generate_form(), status=400 if form.errors else 200
    )


@bp.route("/teams/<int:team_id>/templates/<int:template_id>", methods=["GET", "POST"])
def template_edit(team_id: int, template_id: int):
    db = get_session()
    team = sites.team_for(session=db, actor=current_user, team_id=team_id)
    template = next(
        (
            t
            for t in capacity.list_templates(session=db, actor=current_user, team_id=team.id)
            if t.id == template_id
        ),
        None,
    )
    if template is None:
        return render_template(
            "errors/error.html", status=404, message=_("This template does not exist.")
        ), 404
    form = TemplateForm(obj=template)
    if form.validate_on_submit():
        try:
            capacity.save_template(
                session=db,
                actor=current_user,
                team_id=team.id,
                template_id=template.id,
                data=_template_data(form),
            )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template(
                "capacity/template_form.html", form=form, team=team, template=template
            ), err.status
        db.commit()
        flash(_("Template saved. Generate again to update the free slots."), "success")
        return redirect(url_for("capacity.templates", team_id=team.id))
    status = 400 if form.errors else 200
    return render_template(
        "capacity/template_form.html", form=form, team=team, template=template
    ), status


@bp.route("/teams/<int:team_id>/generate", methods=["POST"])
def generate(team_id: int):
    db = get_session()
    team = sites.team_for(session=db, actor=current_user, team_id=team_id)
    form = GenerateForm()
    if not form.validate_on_submit():
        return _templates_page(db, team, TemplateForm(formdata=None), form, status=400)
    try:
        report = capacity.generate_slots(
            session=db,
            actor=current_user,
            team_id=team.id,
            start=form.start.data,
            end=form.end.data,
        )
    except DomainError as err:
        db.rollback()
        show_error(form, err)
        return _templates_page(db, team, TemplateForm(formdata=None), form, status=err.status)
    db.commit()
    return _templates_page(db, team, TemplateForm(formdata=None), form, report=report)


@bp.route("/teams/<int:team_id>/slots")
def slots(team_id: int):
    db = get_session()
    team = sites.team_for(session=db, actor=current_user, team_id=team_id)
    start = date.today()
    if request.args.get("from"):
        try:
            start = date.fromisoformat(request.args["from"])
        except ValueError:
            flash(_("Dates look like 2027-03-01."), "error")
    page = capacity.list_slots(
        session=db,
        actor=current_user,
        team_id=team.id,
        start=start,
        page=page_arg(),
        per_page=per_page(),
    )
    return render_template(
        "capacity/slots.html", team=team, page=page, start=start, viewer_zone=current_user.timezone
    )


def _back_to_slots(slot):
    target = request.form.get("next") or ""
    if target.startswith("/capacity/"):
        return redirect(target)
    return redirect(url_for("capacity.slots", team_id=slot.team_id))


def _set_open(slot_id: int, is_open: bool, message: str):
    db = get_session()
    slot = capacity.set_slot_open(session=db, actor=current_user, slot_id=slot_id, is_open=is_open)
    db.commit()
    flash(message, "success")
    return _back_to_slots(slot)


@bp.route("/slots/<int:slot_id>/open", methods=["POST"])
def slot_open(slot_id: int):
    return _set_open(slot_id, True, _("Slot opened."))


@bp.route("/slots/<int:slot_id>/close", methods=["POST"])
def slot_close(slot_id: int):
    return _set_open(slot_id, False, _("Slot closed; it takes no new rotations."))


@bp.route("/slots/<int:slot_id>/capacity", methods=["POST"])
def slot_capacity(slot_id: int):
    db = get_session()
    slot = capacity.get_slot(db, slot_id)
    form = CapacityForm()
    if not form.validate_on_submit():
        flash(_("Capacity is a number from 0 to 50."), "error")
        return _back_to_slots(slot)
    try:
        capacity.change_capacity(
            session=db, actor=current_user, slot_id=slot.id, capacity=form.capacity.data
        )
    except DomainError as err:
        db.rollback()
        if err.status == 403:
            raise
        flash(err.message, "error")
        return _back_to_slots(slot)
    db.commit()
    flash(_("Capacity saved."), "success")
    return _back_to_slots(slot)


@bp.route("/blackouts")
def blackouts():
    db = get_session()
    page = capacity.list_blackouts(
        session=db, actor=current_user, page=page_arg(), per_page=per_page()
    )
    names = {f"site-{site.id}": site.name for site in sites.all_sites(db)}
    names.update(
        {f"team-{team.id}": f"{team.site.name} · {team.name}" for team in sites.all_teams(db)}
    )
    return render_template("capacity/blackouts.html", page=page, names=names)


def _scope_choices(db) -> list[tuple[str, str]]:
    choices = []
    if current_user.has_role(Role.PROGRAM_MANAGER):
        choices += [
            (f"site-{site.id}", _("Site %(name)s (all teams)", name=site.name))
            for site in sites.all_sites(db)
        ]
    choices += [
        (f"team-{team.id}", f"{team.site.name} · {team.name}")
        for team in sites.manageable_teams(db, current_user)
    ]
    return choices


@bp.route("/blackouts/new", methods=["GET", "POST"])
def blackout_new():
    db = get_session()
    form = BlackoutForm()
    form.scope.choices = _scope_choices(db)
    affected = []
    if form.validate_on_submit():
        kind, _sep, number = form.scope.data.partition("-")
        data = capacity.BlackoutData(
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            reason=form.reason.data,
            site_id=int(number) if kind == "site" else None,
            team_id=int(number) if kind == "team" else None,
        )
        try:
            blackout = capacity.add_blackout(
                session=db, actor=current_user, data=data, confirmed=form.confirmed.data
            )
        except capacity.BlackoutHitsRotations as err:
            db.rollback()
            affected = err.bookings
            form.form_errors.append(err.message)
            status = err.status
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            status = err.status
        else:
            db.commit()
            flash(_("Blackout saved; its slots are closed."), "success")
            del blackout
            return redirect(url_for("capacity.blackouts"))
        return render_template(
            "capacity/blackout_form.html",
            form=form,
            affected=affected,
            may_confirm=bool(affected) and current_user.has_role(Role.PROGRAM_MANAGER),
        ), status
    status = 400 if form.errors else 200
    return render_template(
        "capacity/blackout_form.html", form=form, affected=[], may_confirm=False
    ), status


@bp.route("/export")
def export():
    db = get_session()
    form = ExportForm(request.args)
    if not request.args:
        today = date.today()
        form = ExportForm(formdata=None, start=today, end=_month_end(today.replace(day=1), 3))
        return render_template("capacity/export.html", form=form)
    if not form.validate():
        return render_template("capacity/export.html", form=form), 400
    try:
        problem = plans.export_problem(db, start=form.start.data, end=form.end.data)
    except DomainError as err:
        show_error(form, err)
        return render_template("capacity/export.html", form=form), err.status
    filename = f"problem-{form.start.data.isoformat()}-{form.end.data.isoformat()}.json"
    return Response(
        json.dumps(problem, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
