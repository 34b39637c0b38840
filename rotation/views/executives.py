"""Placeholder until the executives pages land."""

from flask import Blueprint

bp = Blueprint("executives", __name__, url_prefix="/executives")


@bp.route("/")
def index():
    return "executives"
