"""In a real browser, on the demo station: the office opens this year's selection, sees the teams
ranked with the reason for every exclusion, nominates; the leader approves; the certificate
prints on one A4 landscape page, in Chinese (AWD-1, AWD-2, INS-5)."""

from __future__ import annotations

import importlib
import io
import re
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db) -> SimpleNamespace:
    from django.apps import apps

    from tests.penalties.factories import ensure_policy
    from tollservice.roster.demo import DEMO_PASSWORD

    importlib.import_module("inspections.migrations.0002_seed_standard").seed(apps, None)
    importlib.import_module("inspections.migrations.0004_default_checklist").seed(apps, None)
    ensure_policy()
    call_command("seed_demo", stdout=io.StringIO())
    return SimpleNamespace(password=DEMO_PASSWORD, year=timezone.localdate().year)


def test_office_nominates_leader_approves_the_certificate_prints(demo, live_server, page):
    sign_in(page, live_server, "office", demo.password)
    page.goto(live_server.url + reverse("awards:ranking", args=[demo.year, "gold_team"]))
    table = page.locator("#ranking-table")
    expect(table).to_contain_text("收费")
    # INS-5: the team that lost its eligibility is listed with the reason, without a rank.
    expect(page.locator(".exclusion-reasons").first).to_contain_text("取消评先评优资格")
    expect(page.locator("#ranking-formula")).to_contain_text("综合得分")
    first = page.locator("#ranking-table tbody tr").first
    with page.expect_navigation():
        first.get_by_role("link", name="推荐").click()
    page.fill("#id_citation", "全年检查平均得分第一，无属实投诉。")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    expect(page.locator("#nomination-status")).to_contain_text("待领导小组")
    # Four eyes: the office's director, also in the leadership group, is not offered the approval.
    assert page.locator("#approve-button").count() == 0
    expect(page.locator("#four-eyes-note")).to_be_visible()
    nomination_url = page.url

    sign_in(page, live_server, "leader", demo.password)
    page.goto(nomination_url)
    with page.expect_navigation():
        page.click("#approve-button")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    with page.expect_navigation():
        page.click("#certificate-link")
    sheet = page.locator("#certificate-sheet")
    expect(sheet).to_contain_text("荣誉证书")
    expect(sheet).to_contain_text("金牌服务班组")
    expect(sheet).to_contain_text(f"证书编号：{demo.year}JP")
    page.emulate_media(media="print")
    assert not page.locator("nav.navbar").is_visible()
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1  # one A4 landscape page
    assert page.csp_violations == []
