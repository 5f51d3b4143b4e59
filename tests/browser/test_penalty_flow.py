"""In a real browser: the office proposes a service-code violation, sees the fine the rule computes
before anything is saved (the live preview of static/js/penalties.js), decides it; the finance
office collects it and finds it in the month's reconciliation."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.penalties.factories import ensure_policy, provisions
from tests.roster.factories import DepartmentFactory, StaffFactory, TeamFactory, UserFactory, user_with_role

pytestmark = pytest.mark.browser

PASSWORD = "penalty-flow-2026"


def _account(role: str, username: str):
    user = user_with_role(role)
    user.username = username
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def station(transactional_db) -> SimpleNamespace:
    """What the flow needs, made before the browser starts (see tests/browser/conftest.py)."""
    ensure_policy()
    toll_office = DepartmentFactory()
    leader = StaffFactory(department=toll_office, name="班长", user=UserFactory())
    team = TeamFactory(department=toll_office, leader=leader)
    collector = StaffFactory(department=toll_office, team=team, name="收费员丙", user=UserFactory())
    StaffFactory(department=toll_office, name="收费员丁")  # a second match for "收费员"
    _account("office", "office")
    _account("finance", "finance")
    return SimpleNamespace(collector_id=collector.pk, provision_ids=[p.pk for p in provisions(2)])


def test_a_violation_from_proposal_to_collection_and_reconciliation(station, live_server, page):
    # PEN-1 / PEN-5
    sign_in(page, live_server, "office", PASSWORD)
    page.goto(f"{live_server.url}{reverse('penalties:penalty_propose')}?staff={station.collector_id}")
    # The person comes from the link into the search box (a chooser, never a list of everyone).
    expect(page.locator("#id_staff")).to_have_value(re.compile("^收费员丙 "))
    assert page.locator("select[name=staff]").count() == 0
    page.check("input[name=rule][value=service_code]")
    page.fill("#id_description", "督查暗访发现该员工未唱收唱付、未使用文明用语。")
    for provision_id in station.provision_ids:
        page.check(f"input[name=provisions][value='{provision_id}']")

    # PEN-1: two provisions → 400 yuan, shown as the user ticks them, before anything is saved.
    expect(page.locator("#proposal-preview")).to_contain_text("¥400.00")
    assert page.locator("#propose-button").count() == 0

    with page.expect_navigation():
        page.click("#preview-button")
    with page.expect_navigation():
        page.click("#propose-button")
    match = re.search(r"/(\d+)/$", page.url)
    assert match, page.url
    penalty_id = int(match.group(1))
    assert page.locator(".alert-success").count() == 1, page.content()

    # PEN-5: the office decides.
    page.goto(live_server.url + reverse("penalties:penalty_decide", args=[penalty_id]))
    page.fill("#id_reasons", "经查看录像属实。")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.url == live_server.url + reverse("penalties:penalty_detail", args=[penalty_id])
    assert page.locator(".alert-success").count() == 1, page.content()

    # PEN-5: the finance office collects it with a receipt …
    sign_in(page, live_server, "finance", PASSWORD)
    page.goto(live_server.url + reverse("penalties:fine_collect", args=[penalty_id]))
    expect(page.locator("#id_amount")).to_have_value("400.00")
    page.fill("#id_receipt_number", "CW-2026-0101")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.locator(".alert-success").count() == 1, page.content()

    # … and finds it in this month's reconciliation, balanced to the fen.
    page.goto(live_server.url + reverse("penalties:reconciliation"))
    main = page.locator("main")
    expect(main).to_contain_text("CW-2026-0101")
    expect(main).to_contain_text("账目平衡（精确到分）")

    assert page.csp_violations == []


def test_choosing_the_person_in_the_search_box_refreshes_the_preview(station, live_server, page):
    # PEN-1: a name typed that fits two people previews nothing; choosing one of the matches does.
    sign_in(page, live_server, "office", PASSWORD)
    page.goto(live_server.url + reverse("penalties:penalty_propose"))
    page.check("input[name=rule][value=service_code]")
    page.check(f"input[name=provisions][value='{station.provision_ids[0]}']")
    page.fill("#id_staff", "收费员")
    results = page.locator(".chooser-results button")
    expect(results).to_have_count(2)
    expect(page.locator("#proposal-preview")).not_to_contain_text("¥200.00")
    results.filter(has_text="收费员丙").click()
    expect(page.locator("#id_staff")).to_have_value(re.compile("^收费员丙 "))
    expect(page.locator("#proposal-preview")).to_contain_text("¥200.00")
    assert page.csp_violations == []
