"""User accounts: list, create, edit, deactivate and activate."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user

from ..db import get_session
from ..errors import DomainError
from ..forms.users import EditUserForm, NewUserForm
from ..i18n import _
from ..models import Role
from ..services import accounts
from .util import page_arg, per_page, show_error

bp = Blueprint("users", __name__, url_prefix="/users")


def _roles(form) -> set[Role]:
    return {Role(value) for value in form.roles.data or []}


@bp.route("/")
def index():
    query = request.args.get("q", "").strip()[:100]
    page = accounts.list_users(get_session(), query=query, page=page_arg(), per_page=per_page())
    return render_template(
        "users/index.html", page=page, query=query, can_deactivate=accounts.can_deactivate
    )


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = NewUserForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user = accounts.create_user(
                session=db,
                actor=current_user,
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                roles=_roles(form),
            )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("users/form.html", form=form, user=None), err.status
        db.commit()
        flash(_("Account for %(name)s created. Hand the password over.", name=user.name), "success")
        return redirect(url_for("users.index"))
    status = 400 if form.errors else 200
    return render_template("users/form.html", form=form, user=None), status


def _filled_form(user) -> EditUserForm:
    """The edit form as the account is now, whatever this request posted."""
    form = EditUserForm(formdata=None, obj=user)
    form.roles.data = sorted(role.value for role in user.roles)
    return form


def _edit_page(form: EditUserForm, user, status: int = 200):
    return render_template(
        "users/form.html",
        form=form,
        user=user,
        may_deactivate=accounts.can_deactivate(current_user, user),
    ), status


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
def edit(user_id: int):
    db = get_session()
    user = accounts.get_user(db, user_id)
    form = EditUserForm() if request.method == "POST" else _filled_form(user)
    if form.validate_on_submit():
        try:
            accounts.update_user(
                session=db,
                actor=current_user,
                user_id=user.id,
                name=form.name.data,
                email=form.email.data,
                roles=_roles(form),
            )
            if form.new_password.data:
                accounts.set_password(
                    session=db,
                    actor=current_user,
                    user_id=user.id,
                    new_password=form.new_password.data,
                )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return _edit_page(form, user, err.status)
        db.commit()
        if form.new_password.data and user.id == current_user.id:
            # Setting one's own password ends one's sessions too; keep this one alive.
            session.clear()
            session.permanent = True
            login_user(user)
        flash(_("Account saved."), "success")
        return redirect(url_for("users.index"))
    return _edit_page(form, user, 400 if form.errors else 200)


def _set_active(user_id: int, *, is_active: bool):
    db = get_session()
    try:
        user = accounts.set_active(
            session=db, actor=current_user, user_id=user_id, is_active=is_active
        )
    except DomainError as err:
        db.rollback()
        flash(err.message, "error")
        user = accounts.get_user(db, user_id)
        return _edit_page(_filled_form(user), user, err.status)
    db.commit()
    if is_active:
        flash(_("%(name)s can sign in again.", name=user.name), "success")
    else:
        flash(_("%(name)s is deactivated and signed out everywhere.", name=user.name), "success")
    return redirect(url_for("users.edit", user_id=user.id))


@bp.route("/<int:user_id>/deactivate", methods=["POST"])
def deactivate(user_id: int):
    return _set_active(user_id, is_active=False)


@bp.route("/<int:user_id>/activate", methods=["POST"])
def activate(user_id: int):
    return _set_active(user_id, is_active=True)
