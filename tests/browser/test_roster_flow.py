"""In a real browser: sign in as `office`, switch language and back, add a staff member to the roster."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.roster.factories import user_with_role

pytestmark = pytest.mark.browser

PASSWORD = "office-pass-2026"


@pytest.fixture
def office_department_id(transactional_db) -> int:
    """The `office` account, created before the browser starts (tests/browser/conftest.py)."""
    office = user_with_role("office")
    office.username = "office"
    office.set_password(PASSWORD)
    office.save()
    return office.staff_profile.department_id


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
