"""A real browser for the tests in this folder: Debian's /usr/bin/chromium driven by Playwright's
Python package (never `playwright install`), set to Chinese as at the station.

While Playwright's sync API runs, an ORM call in the test body would trip Django's async-safety
check and get a database connection of its own (Playwright's greenlets have their own context)
that nothing closes, so PostgreSQL could not drop the test database. Tests therefore create what
they need in fixtures, before the browser starts, and pass plain values (ids, names) to the body.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.services import require_chromium

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def page():
    executable = require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            # A browser set to Chinese, as at the station; a wide window so the navbar is expanded.
            context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            page.csp_violations = []
            page.on(
                "console",
                lambda message: "Content Security Policy" in message.text and page.csp_violations.append(message.text),
            )
            yield page
        finally:
            browser.close()


def sign_in(page, live_server, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    assert page.url == live_server.url + reverse("dashboard:home"), page.content()
