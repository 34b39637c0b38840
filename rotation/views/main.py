"""The dashboard and the language switch."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, redirect, render_template, session, url_for
from flask_login import current_user

from ..db import get_session
from ..forms.auth import LanguageForm
from ..i18n import LOCALES
from ..models import Role
from ..services import overview
from .util import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def dashboard():
    db = get_session()
    today = date.today()
    manager = lead = executive = None
    if current_user.has_role(Role.PROGRAM_MANAGER):
        manager = overview.manager_overview(db, today=today)
    if current_user.has_role(Role.TEAM_LEAD):
        lead = overview.lead_overview(db, lead=current_user, today=today)
    if current_user.has_role(Role.EXECUTIVE):
        executive = overview.executive_overview(db, user=current_user, today=today)
    return render_template(
        "main/dashboard.html", manager=manager, lead=lead, executive=executive, today=today
    )


@bp.route("/language", methods=["POST"])
def set_language():
    form = LanguageForm()
    if form.validate_on_submit() and form.locale.data in LOCALES:
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            db = get_session()
            current_user.locale = form.locale.data
            db.commit()
    return redirect(safe_next(form.next.data) or url_for("main.dashboard"))
