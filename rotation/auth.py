"""Sign-in plumbing, roles, and the one table that says who may use which route."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from flask import Flask, abort, redirect, request, url_for
from flask_login import LoginManager, current_user
from sqlmodel import select

from .db import get_session
from .i18n import _l
from .models import Role, User

PM = Role.PROGRAM_MANAGER
TL = Role.TEAM_LEAD
EX = Role.EXECUTIVE


class Audience(Enum):
    PUBLIC = "public"  # anyone, signed in or not
    SIGNED_IN = "signed in"  # any signed-in user, whatever their roles


PUBLIC = Audience.PUBLIC
SIGNED_IN = Audience.SIGNED_IN

Access = Audience | frozenset[Role]


def roles(*allowed: Role) -> frozenset[Role]:
    return frozenset(allowed)


# Every endpoint the app registers must appear here; tests/test_access.py walks them all.
ACCESS: dict[str, Access] = {
    "static": PUBLIC,
    "auth.sign_in": PUBLIC,
    "auth.sign_out": SIGNED_IN,
    "auth.sign_out_everywhere": SIGNED_IN,
    "auth.password": SIGNED_IN,
    "main.set_language": PUBLIC,
    "main.dashboard": SIGNED_IN,
    "sites.index": roles(PM, TL),
    "sites.detail": roles(PM, TL),
    "sites.new": roles(PM),
    "sites.edit": roles(PM),
    "teams.index": roles(PM, TL),
    "teams.detail": roles(PM, TL),
    "teams.new": roles(PM),
    "teams.edit": roles(PM),
    "agents.index": roles(PM, TL),
    "agents.new": roles(PM, TL),
    "agents.edit": roles(PM, TL),
    "agents.import_csv": roles(PM),
    "executives.index": roles(PM),
    "executives.detail": roles(PM),
    "executives.new": roles(PM),
    "executives.edit": roles(PM),
    "executives.import_csv": roles(PM),
    "users.index": roles(PM),
    "users.new": roles(PM),
    "users.edit": roles(PM),
    "users.deactivate": roles(PM),
    "users.activate": roles(PM),
}


def register_access(entries: dict[str, Access]) -> None:
    """Add the rules of a feature blueprint to the table (each endpoint once)."""
    for endpoint, access in entries.items():
        if endpoint in ACCESS and ACCESS[endpoint] != access:
            raise RuntimeError(f"access rule for {endpoint} given twice")
        ACCESS[endpoint] = access


def may_access(user, endpoint: str) -> bool:
    """Whether user (possibly anonymous) may use endpoint, by the access table."""
    access = ACCESS[endpoint]
    if access is PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if access is SIGNED_IN:
        return True
    return bool(user.roles & access)


def allowed_roles(endpoint: str) -> Iterable[Role] | Audience:
    return ACCESS[endpoint]


login_manager = LoginManager()
login_manager.login_view = "auth.sign_in"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "info"
# Sessions are protected by the rotating session token; "strong" would also end a session
# when a phone changes networks, which users experience as random sign-outs.
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Load the user on every request, so role and deactivation changes apply at once."""
    user = get_session().exec(select(User).where(User.session_token == session_token)).first()
    if user is None or not user.is_active:
        return None
    return user


def check_access():
    """before_request: refuse a route to anyone the access table does not name."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404 follows
    if endpoint not in ACCESS:
        # A route without a rule is a programming error; refuse rather than expose it.
        abort(500, description=f"no access rule for endpoint {endpoint}")
    if may_access(current_user, endpoint):
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    abort(403)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    app.before_request(check_access)
