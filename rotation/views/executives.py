"""Executives: list, detail, create with their account, edit the profile, CSV import."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..db import get_session
from ..errors import DomainError
from ..forms.executives import NO_SITE, ExecutiveForm, NewExecutiveForm
from ..forms.imports import CsvUploadForm
from ..i18n import _
from ..services import accounts, sites
from .uploads import run_import, upload_page
from .util import page_arg, per_page, show_error

bp = Blueprint("executives", __name__, url_prefix="/executives")


def _with_sites(db, form: ExecutiveForm) -> ExecutiveForm:
    form.home_site_id.choices = [(NO_SITE, _("— none —"))] + [
        (site.id, site.name) for site in sites.all_sites(db)
    ]
    return form


def _profile(form: ExecutiveForm) -> accounts.ExecutiveProfile:
    return accounts.ExecutiveProfile(
        title=(form.title.data or "").strip(),
        department=(form.department.data or "").strip(),
        languages=sorted(set(form.languages.data or [])),
        home_site_id=form.home_site_id.data or None,
        rotations_required=form.rotations_required.data,
    )


@bp.route("/")
def index():
    db = get_session()
    query = request.args.get("q", "").strip()[:100]
    department = request.args.get("department", "").strip()[:120]
    page = accounts.list_executives(
        db, query=query, department=department, page=page_arg(), per_page=per_page()
    )
    return render_template(
        "executives/index.html",
        page=page,
        query=query,
        department=department,
        departments=accounts.departments(db),
    )


@bp.route("/<int:executive_id>")
def detail(executive_id: int):
    db = get_session()
    executive = accounts.get_executive(db, executive_id)
    return render_template(
        "executives/detail.html",
        executive=executive,
        rotations=accounts.rotations_of(db, executive),
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    db = get_session()
    form = _with_sites(db, NewExecutiveForm())
    if form.validate_on_submit():
        try:
            executive = accounts.create_executive(
                session=db,
                actor=current_user,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                profile=_profile(form),
            )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("executives/form.html", form=form, executive=None), err.status
        db.commit()
        flash(
            _("%(name)s can now sign in. Hand the initial password over.", name=form.name.data),
            "success",
        )
        return redirect(url_for("executives.detail", executive_id=executive.id))
    status = 400 if form.errors else 200
    return render_template("executives/form.html", form=form, executive=None), status


@bp.route("/<int:executive_id>/edit", methods=["GET", "POST"])
def edit(executive_id: int):
    db = get_session()
    executive = accounts.get_executive(db, executive_id)
    form = _with_sites(db, ExecutiveForm(obj=executive))
    if not form.is_submitted():
        form.home_site_id.data = executive.home_site_id or NO_SITE
    if form.validate_on_submit():
        try:
            accounts.update_executive(
                session=db, actor=current_user, executive_id=executive.id, profile=_profile(form)
            )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template(
                "executives/form.html", form=form, executive=executive
            ), err.status
        db.commit()
        flash(_("Profile saved."), "success")
        return redirect(url_for("executives.detail", executive_id=executive.id))
    status = 400 if form.errors else 200
    return render_template("executives/form.html", form=form, executive=executive), status


@bp.route("/import", methods=["GET", "POST"])
def import_csv():
    form = CsvUploadForm()
    page_args = {
        "title": _("Import executives"),
        "columns": accounts.EXECUTIVE_COLUMNS,
        "back_url": url_for("executives.index"),
    }
    if form.validate_on_submit():
        created, refused = run_import(
            form,
            lambda db, data: accounts.import_executives(session=db, actor=current_user, data=data),
            **page_args,
        )
        if refused:
            return refused
        # The initial passwords exist only in this response: stored hashed, never logged,
        # never put in the session or a flash message.
        return render_template("imports/accounts.html", accounts=created)
    return upload_page(form, **page_args)
