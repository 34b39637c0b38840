"""Headset: the app factory. Run with `flask --app app run`."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from rotation import auth, config, db, i18n
from rotation.errors import DomainError
from rotation.limits import limiter
from rotation.services import accounts

csrf = CSRFProtect()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(config.instance_dir()))
    app.config.update(config.load())
    app.config.update(overrides or {})
    register_extensions(app)
    register_blueprints(app)
    register_cli(app)
    register_error_pages(app)
    register_security_headers(app)
    register_template_helpers(app)
    return app


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    i18n.init_app(app)
    csrf.init_app(app)
    auth.init_app(app)
    app.config.setdefault("RATELIMIT_ENABLED", True)
    limiter.init_app(app)
    accounts.configure_hashing(
        time_cost=int(app.config.get("ARGON2_TIME_COST", 3)),
        memory_kib=int(app.config.get("ARGON2_MEMORY_KIB", 65536)),
    )
    # Form values (passwords included) never reach the log.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def register_blueprints(app: Flask) -> None:
    from rotation.views import (
        agents,
        availability,
        capacity,
        executives,
        main,
        planning,
        sites,
        teams,
        users,
    )
    from rotation.views import auth as auth_views

    for module in (
        auth_views,
        main,
        sites,
        teams,
        agents,
        executives,
        users,
        capacity,
        availability,
        planning,
    ):
        app.register_blueprint(module.bp)


def register_cli(app: Flask) -> None:
    from rotation import cli

    cli.register(app)


def register_error_pages(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(err: DomainError):
        # A service refused; nothing of the request's changes may stay.
        db.get_session().rollback()
        return _error_page(err.status, err.message)

    @app.errorhandler(CSRFError)
    def csrf_failed(err: CSRFError):
        return _error_page(
            400, i18n._("The form had expired or came from elsewhere. Please try again.")
        )

    @app.errorhandler(429)
    def too_many(err):
        return _error_page(
            429, i18n._("Too many attempts. Please wait a minute before you try again.")
        )

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        messages = {
            400: i18n._("The request was not understood. Please try again."),
            403: i18n._("You are not allowed to see this page."),
            404: i18n._("This page does not exist."),
            405: i18n._("This action is not available this way."),
            413: i18n._("The upload is too large."),
            500: i18n._("Something went wrong on our side. Please try again later."),
        }
        return _error_page(err.code or 500, messages.get(err.code, err.name))


def _error_page(status: int, message: str):
    if request.accept_mimetypes.best == "application/json" or request.path.startswith("/api/"):
        return jsonify(error=message), status
    return render_template("errors/error.html", status=status, message=message), status


def register_security_headers(app: Flask) -> None:
    @app.after_request
    def headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if not app.config["DEVELOPMENT"]:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if "text/html" in response.content_type:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_template_helpers(app: Flask) -> None:
    from rotation import filters

    filters.register(app)
