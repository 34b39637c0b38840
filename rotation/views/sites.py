"""Sites: list, detail, create, edit."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_login import current_user

from ..db import get_session
from ..errors import DomainError
from ..forms.sites import SiteForm
from ..i18n import _
from ..services import sites
from .util import page_arg, per_page, show_error

bp = Blueprint("sites", __name__, url_prefix="/sites")

# Sorted once: the list is long and never changes while the app runs.
TIMEZONES = sorted(zone for zone in available_timezones() if "/" in zone)


def _site_form(**kwargs) -> SiteForm:
    form = SiteForm(**kwargs)
    form.timezone.choices = [(zone, zone) for zone in TIMEZONES]
    return form


def _data(form: SiteForm) -> sites.SiteData:
    return sites.SiteData(
        name=form.name.data,
        timezone=form.timezone.data,
        address=form.address.data or "",
        holiday_region=(form.holiday_region.data or "").upper() or None,
    )


@bp.route("/")
def index():
    page = sites.list_sites(get_session(), page=page_arg(), per_page=per_page())
    return render_template("sites/index.html", page=page)


@bp.route("/<int:site_id>")
def detail(site_id: int):
    db = get_session()
    site = sites.get_site(db, site_id)
    teams = sites.list_teams(db, site_id=site.id, page=page_arg(), per_page=per_page())
    return render_template("sites/detail.html", site=site, teams=teams)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = _site_form()
    if not form.is_submitted():
        form.timezone.data = "Europe/Berlin"
    if form.validate_on_submit():
        db = get_session()
        try:
            site = sites.create_site(session=db, actor=current_user, data=_data(form))
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("sites/form.html", form=form, site=None), err.status
        db.commit()
        flash(_("Site %(name)s created. Now add its teams.", name=site.name), "success")
        return redirect(url_for("sites.detail", site_id=site.id))
    return render_template("sites/form.html", form=form, site=None)


@bp.route("/<int:site_id>/edit", methods=["GET", "POST"])
def edit(site_id: int):
    db = get_session()
    site = sites.get_site(db, site_id)
    form = _site_form(obj=site)
    if form.validate_on_submit():
        try:
            sites.update_site(session=db, actor=current_user, site_id=site.id, data=_data(form))
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("sites/form.html", form=form, site=site), err.status
        db.commit()
        flash(_("Site saved."), "success")
        return redirect(url_for("sites.detail", site_id=site.id))
    return render_template("sites/form.html", form=form, site=site)
