"""Small helpers the views share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, flash, request

from ..errors import DomainError


def safe_next(target: str | None) -> str | None:
    """Only local paths are followed after sign-in, never another host."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def show_error(form, err: DomainError) -> None:
    """Put a service error on its form field, else on the form."""
    if form is not None and err.field and err.field in form:
        form[err.field].errors = [*form[err.field].errors, err.message]
    elif form is not None:
        form.form_errors.append(err.message)
    else:
        flash(err.message, "error")


def page_arg() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def per_page() -> int:
    return int(current_app.config["PAGE_SIZE"])
