"""German and English stay complete: every marked message has a German translation with the
same placeholders, the catalogs compile at startup, and the pages follow the chosen language."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations
from sqlmodel import select

from rotation.i18n import TRANSLATIONS, compile_catalogs
from rotation.models import OutboxMessage, Role, User
from rotation.services import availability

ROOT = Path(__file__).resolve().parent.parent
# The same keywords as bin/translations: Babel's defaults plus _l and lazy_pgettext.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_pgettext": ((1, "c"), 2)}
# %(name)s and %(num)d for gettext, {name} for the strings handed to the page scripts.
# Babel skips folders starting with "_" by default, which would miss templates/_macros.
SKIPPED_DIRS = {"__pycache__", "tests", "bench", "migrations", "node_modules"}
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]|\{\w+\}")


def source_messages() -> dict[tuple[str | None, str], tuple[str, ...]]:
    """Every marked message in the source, as (context, msgid) -> (msgid, msgid_plural?)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    messages = {}
    for _filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        directory_filter=lambda path: (
            Path(path).name not in SKIPPED_DIRS and not Path(path).name.startswith(".")
        ),
    ):
        forms = (message,) if isinstance(message, str) else tuple(message)
        if forms[0]:
            messages[(context, forms[0])] = forms
    return messages


def catalog(language: str):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po)


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_source_has_messages_to_translate():
    assert len(source_messages()) > 300


def test_every_message_has_a_german_translation():
    german = catalog("de")
    missing = []
    for (context, msgid), forms in source_messages().items():
        entry = german.get(msgid, context=context)
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else tuple(strings)
        if entry is None or entry.fuzzy or len(strings) < len(forms) or not all(strings):
            missing.append(msgid)
    assert missing == [], "Run bin/translations and translate: " + " | ".join(missing)


def test_german_translations_keep_the_placeholders_of_the_source():
    wrong = []
    for message in catalog("de"):
        if not message.id or not message.string:
            continue
        sources = (message.id,) if isinstance(message.id, str) else message.id
        strings = (message.string,) if isinstance(message.string, str) else message.string
        # German has two plural forms, like English: each keeps its own source's placeholders.
        for source, translated in zip(sources, strings, strict=True):
            if translated and placeholders(source) != placeholders(translated):
                wrong.append(f"{source!r} -> {translated!r}")
    assert wrong == [], "Placeholders differ: " + " | ".join(wrong)


def test_the_english_catalog_knows_every_message_too():
    english = catalog("en")
    unknown = [
        msgid for context, msgid in source_messages() if english.get(msgid, context=context) is None
    ]
    assert unknown == [], "Run bin/translations: " + " | ".join(unknown)


def test_catalogs_are_compiled_from_the_po_files_at_startup(tmp_path):
    folder = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, folder, ignore=shutil.ignore_patterns("*.mo"))
    compile_catalogs(folder)
    german = Translations.load(str(folder), ["de"])
    assert (folder / "de" / "LC_MESSAGES" / "messages.mo").is_file()
    assert german.gettext("Sign in") == "Anmelden"
    assert german.ngettext("%(num)d entry", "%(num)d entries", 2) == "%(num)d Einträge"


def sign_in_page(client, language: str) -> str:
    response = client.get("/sign-in", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_sign_in_page_speaks_german_to_a_german_browser(client):
    page = sign_in_page(client, "de-DE,de;q=0.9,en;q=0.5")
    assert '<html lang="de">' in page
    assert "<h1>Anmelden</h1>" in page
    assert "Passwort" in page and "Password" not in page


def test_the_sign_in_page_speaks_english_to_an_english_browser(client):
    page = sign_in_page(client, "en-GB,en;q=0.9")
    assert '<html lang="en">' in page
    assert "<h1>Sign in</h1>" in page
    assert "Passwort" not in page


@pytest.mark.parametrize(
    ("accepted", "heading"),
    [
        ("de-AT,de;q=0.9", "<h1>Anmelden</h1>"),
        ("fr-CH,fr;q=0.9,de;q=0.7,en;q=0.5", "<h1>Anmelden</h1>"),
        ("en-US,en;q=0.9,de;q=0.3", "<h1>Sign in</h1>"),
        ("fr,it;q=0.5", "<h1>Sign in</h1>"),
    ],
)
def test_the_browsers_first_language_we_offer_wins(client, accepted, heading):
    assert heading in sign_in_page(client, accepted)


def test_the_language_switch_overrides_the_browser(client):
    response = client.post(
        "/language",
        data={"locale": "de", "next": "/sign-in"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/sign-in")
    assert "<h1>Anmelden</h1>" in sign_in_page(client, "en")


def test_the_language_switch_goes_back_to_english(client):
    client.post("/language", data={"locale": "de", "next": "/sign-in"})
    client.post("/language", data={"locale": "en", "next": "/sign-in"})
    assert "<h1>Sign in</h1>" in sign_in_page(client, "de")


def test_the_language_switch_ignores_a_language_we_do_not_offer(client):
    client.post("/language", data={"locale": "fr", "next": "/sign-in"})
    assert "<h1>Sign in</h1>" in sign_in_page(client, "en")


def test_a_signed_in_users_choice_follows_them_to_their_next_session(
    app, client, session, login, make_user
):
    user = make_user(roles={Role.PROGRAM_MANAGER})
    login(user)
    client.post("/language", data={"locale": "de", "next": "/"})
    assert session.exec(select(User.locale).where(User.id == user.id)).one() == "de"
    other_browser = app.test_client()
    other_browser.post("/sign-in", data={"email": user.email, "password": "correct horse battery"})
    page = other_browser.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Übersicht" in page and "Abmelden" in page


def test_the_dashboard_of_a_program_manager_is_german_throughout(client, login, make_user):
    login(make_user(roles={Role.PROGRAM_MANAGER}, name="Petra"))
    client.post("/language", data={"locale": "de", "next": "/"})
    page = client.get("/").get_data(as_text=True)
    assert "Hallo, Petra" in page
    assert "Noch keine Standorte" in page
    assert "Sign out" not in page and "Overview" not in page


@pytest.mark.parametrize(
    ("locale", "greeting"), [("de", "Guten Tag"), ("en", "Dear"), (None, "Dear")]
)
def test_a_reminder_is_written_in_its_recipients_language(
    app, session, make_user, make_executive, locale, greeting
):
    manager = make_user(roles={Role.PROGRAM_MANAGER})
    executive = make_executive(rotations_required=2)
    executive.user.locale = locale
    session.commit()
    with app.app_context():
        availability.send_reminder(session=session, actor=manager, executive_id=executive.id)
    message = session.exec(select(OutboxMessage)).one()
    assert message.body.startswith(greeting)
    assert ("2 Einsätze" in message.body) == (locale == "de")
