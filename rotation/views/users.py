"""Placeholder until the users pages land."""

from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/users")


@bp.route("/")
def index():
    return "users"
