"""Sign-in, sign-out and the own password."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user

from ..db import get_session
from ..errors import DomainError
from ..forms.auth import PasswordForm, SignInForm
from ..i18n import _
from ..limits import limiter, sign_in_account_key
from ..services import accounts
from .util import safe_next, show_error

bp = Blueprint("auth", __name__)


def _limit_per_address() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ADDRESS"]


def _limit_per_account() -> str:
    return current_app.config["SIGN_IN_LIMIT_PER_ACCOUNT"]


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_limit_per_address, methods=["POST"])
@limiter.limit(_limit_per_account, methods=["POST"], key_func=sign_in_account_key)
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = SignInForm()
    if form.validate_on_submit():
        db = get_session()
        user = accounts.authenticate(session=db, email=form.email.data, password=form.password.data)
        if user is None:
            db.rollback()
            form.form_errors.append(_("Email or password is not right."))
            return render_template("auth/sign_in.html", form=form), 401
        db.commit()
        locale = session.get("locale")
        # A fresh session at sign-in: nothing an attacker planted before survives.
        session.clear()
        if locale:
            session["locale"] = locale
        session.permanent = True
        login_user(user)
        return redirect(safe_next(request.args.get("next")) or url_for("main.dashboard"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out():
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere():
    db = get_session()
    accounts.end_all_sessions(session=db, actor=current_user)
    db.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out on every device."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.route("/account/password", methods=["GET", "POST"])
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            accounts.change_password(
                session=db,
                actor=current_user,
                current_password=form.current_password.data,
                new_password=form.new_password.data,
            )
        except DomainError as err:
            db.rollback()
            show_error(form, err)
            return render_template("auth/password.html", form=form), err.status
        db.commit()
        user = current_user._get_current_object()
        session.clear()
        session.permanent = True
        login_user(user)
        flash(_("Your password is changed; other sessions have ended."), "success")
        return redirect(url_for("main.dashboard"))
    return render_template("auth/password.html", form=form)
