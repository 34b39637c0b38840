"""Translations: _ and _l, and the choice of locale."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, request, session
from flask_babel import (
    Babel,
    force_locale,
    gettext,
    lazy_gettext,
    lazy_pgettext,
    ngettext,
    pgettext,
)
from flask_login import current_user

LOCALES = ("en", "de")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

_ = gettext
_l = lazy_gettext
# pgettext and lazy_pgettext tell apart one English word with two meanings in German
# (a rotation is "abgesagt", a planning run "abgebrochen").
__all__ = ["_", "_l", "in_locale", "lazy_pgettext", "ngettext", "pgettext"]


def select_locale() -> str | None:
    """The locale chosen in this session, else the user's, else the browser's."""
    if not has_request_context():
        return None  # a command line run: the default locale
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LOCALES:
        return user_locale
    # Werkzeug's best_match prefers an exact "de;q=0.3" over "en-US" at q=1, so the
    # browser's order is honoured here, a regional tag falling back to its language.
    preferred = [language.lower() for language, _quality in request.accept_languages]
    return negotiate_locale(preferred, LOCALES, sep="-") or "en"


@contextmanager
def in_locale(locale: str | None) -> Iterator[None]:
    """Translate in another locale for a while, like a mail in its recipient's language.

    A locale we have no catalog for keeps the current one.
    """
    if locale not in LOCALES:
        yield
        return
    with force_locale(locale):
        yield


def select_timezone() -> str | None:
    """The user's own zone for instants; None falls back to BABEL_DEFAULT_TIMEZONE."""
    return getattr(current_user, "timezone", None) if current_user else None


def compile_catalogs(folder: Path = TRANSLATIONS) -> None:
    """Compile each messages.po whose messages.mo is missing or older.

    Compiled catalogs are build output and not kept in the repository, so a fresh checkout
    compiles them on first start.
    """
    for po_path in folder.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        # Test workers start together on a fresh checkout: each writes its own temp file.
        tmp_path = mo_path.with_suffix(f".mo.{os.getpid()}.tmp")
        with tmp_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        tmp_path.replace(mo_path)


def init_app(app: Flask) -> None:
    compile_catalogs()
    Babel(
        app,
        locale_selector=select_locale,
        timezone_selector=select_timezone,
        default_translation_directories=str(TRANSLATIONS),
    )
