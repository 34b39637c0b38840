"""Fixtures for the browser tests: the real app served over http, and headless chromium.

The app is the one of tests/conftest.py (same `app` and `session` fixtures, so the builders
work), with CSRF on and the development cookie settings, since the browser talks plain http.
Each test module runs on SQLite only: `pytestmark = SQLITE_ONLY`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ..conftest import IN_CI, PASSWORD, app_settings

CHROMIUM = Path("/usr/bin/chromium")

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def app_config(database_url, tmp_path, monkeypatch) -> dict:
    # The development settings drop the __Host- prefix and Secure flag of the session
    # cookie, which a browser would refuse to keep over http://127.0.0.1.
    monkeypatch.setenv("HEADSET_ENV", "development")
    return app_settings(database_url, tmp_path, WTF_CSRF_ENABLED=True)


@pytest.fixture
def live_server(app) -> Iterator[str]:
    """The app served on a free port of 127.0.0.1 in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium for the whole worker; Playwright's own download is not used."""
    if not CHROMIUM.exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} must exist when CI=true")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.call_failed = report.failed
    return report


@pytest.fixture
def open_page(browser, request, tmp_path) -> Iterator[Callable]:
    """Open a page in a fresh browser context (its own cookies), in the given locale.

    When the test fails, every page it opened is saved as a screenshot under tmp_path.
    """
    contexts = []

    def open_one(locale: str = "en-US"):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_one
    for number, context in enumerate(contexts):
        if getattr(request.node, "call_failed", False):
            for index, page in enumerate(context.pages):
                page.screenshot(path=tmp_path / f"failure-{number}-{index}.png", full_page=True)
        context.close()
    if getattr(request.node, "call_failed", False):
        print(f"Screenshots of the failed test: {tmp_path}")


@pytest.fixture
def page(open_page):
    """A page in a fresh English browser context."""
    return open_page()


@pytest.fixture
def sign_in(live_server) -> Callable:
    """Sign in through the real form on page; waits until the dashboard shows."""
    from playwright.sync_api import expect

    def sign_in_as(page, email: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server}/sign-in")
        # Ids, not labels: the form reads the same in every locale.
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{live_server}/")

    return sign_in_as
