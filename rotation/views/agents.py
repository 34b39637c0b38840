"""Placeholder until the agents pages land."""

from flask import Blueprint

bp = Blueprint("agents", __name__, url_prefix="/agents")


@bp.route("/")
def index():
    return "agents"
