"""Translations: _ and _l, and the choice of locale."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, request, session
from flask_babel import Babel, gettext, lazy_gettext
from flask_login import current_user

LOCALES = ("en", "de")
TRANSLATIONS = Path(__file__).resolve().parent / "translations"

_ = gettext
_l = lazy_gettext


def select_locale() -> str:
    """The locale chosen in this session, else the user's, else the browser's."""
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    user_locale = getattr(current_user, "locale", None) if current_user else None
    if user_locale in LOCALES:
        return user_locale
    return request.accept_languages.best_match(LOCALES) or "en"


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
        tmp_path = mo_path.with_suffix(".mo.tmp")
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
