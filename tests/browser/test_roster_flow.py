"""In a real browser: sign in as `office`, switch language and back, add a staff member to the roster.

Drives Debian's /usr/bin/chromium with Playwright's Python package (never `playwright install`).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.roster.factories import user_with_role
from tests.services import require_chromium

pytestmark = pytest.mark.browser

PASSWORD = "office-pass-2026"
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
def office_department_id(transactional_db) -> int:
    """The `office` account, created before the browser starts.

    While Playwright's sync API runs, an ORM call in the test would trip Django's async-safety
    check and get a database connection of its own (Playwright's greenlets have their own
    context) that nothing closes, so PostgreSQL could not drop the test database. The test
    body therefore makes none; the live server's threads are not affected.
    """
    office = user_with_role("office")
    office.username = "office"
    office.set_password(PASSWORD)
    office.save()
    return office.staff_profile.department_id


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


def _lang(page) -> str:
    return page.locator("html").get_attribute("lang")


def test_office_signs_in_switches_language_and_adds_a_staff_member(office_department_id, live_server, page):
    # Sign in.
    page.goto(live_server.url + reverse("login"))
    assert _lang(page) == "zh-hans"
    page.fill("#id_username", "office")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("#login-form button[type=submit]")
    assert page.url == live_server.url + reverse("dashboard:home")

    # Switch to English from the navbar (portal.js submits the form on change) and back.
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "en")
    assert _lang(page) == "en"
    assert page.url == live_server.url + reverse("dashboard:home")
    with page.expect_navigation():
        page.select_option("#language-form select[name=language]", "zh-hans")
    assert _lang(page) == "zh-hans"

    # Open the roster and add a staff member.
    page.goto(live_server.url + reverse("roster:staff_list"))
    assert page.locator("main").is_visible()
    page.goto(live_server.url + reverse("roster:staff_create"))
    page.fill("#id_employee_number", "E9001")
    page.fill("#id_name", "陈思远")
    page.fill("#id_position", "收费员")
    page.select_option("#id_department", str(office_department_id))
    page.fill("#id_phone", "13912345678")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.locator(".alert-success").count() == 1, page.content()

    # It is listed.
    page.goto(live_server.url + reverse("roster:staff_list") + "?q=E9001")
    row = page.locator("main table tbody tr", has_text="E9001")
    assert row.count() == 1
    assert "陈思远" in row.inner_text()
    assert _lang(page) == "zh-hans"

    assert page.csp_violations == []
