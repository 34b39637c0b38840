"""Placeholder until the teams pages land."""

from flask import Blueprint

bp = Blueprint("teams", __name__, url_prefix="/teams")


@bp.route("/")
def index():
    return "teams"


@bp.route("/<int:team_id>")
def detail(team_id):
    return "team"


@bp.route("/new")
def new():
    return "new"
