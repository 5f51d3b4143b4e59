"""Every list reads well on a 390 px phone: no table runs past the screen's edge, no name is
squeezed to one character per line, and the tab bars stay on one line that scrolls.

The demo station (seed_demo: the roster, the penalties' and the awards' demo) gives every list real rows.
A list is a ``table-stack`` table (static/css/portal.css): stacked rows on a phone.
"""

from __future__ import annotations

import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# What the page says about its tables, measured in the browser. A cell with two characters or
# more must be at least about two characters wide (a name wrapped one character per line is
# one wide); cells hidden on a phone (the stacked table's header row) are skipped.
MEASURE = """() => {
  const width = window.innerWidth;
  const problems = [];
  if (document.documentElement.scrollWidth > width + 1) {
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide`);
  }
  document.querySelectorAll("main table").forEach((table, index) => {
    const name = table.id || `table ${index + 1}`;
    const box = table.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      problems.push(`${name} runs from ${Math.round(box.left)} to ${Math.round(box.right)}px`);
    }
    table.querySelectorAll("td, th").forEach((cell) => {
      const text = cell.innerText.trim();
      if (text.length < 2 || !cell.getClientRects().length) return;
      const style = getComputedStyle(cell);
      const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      if (inner < 1.8 * parseFloat(style.fontSize)) {
        problems.push(`${name}: “${text.slice(0, 12)}” is ${Math.round(inner)}px wide`);
      }
    });
  });
  document.querySelectorAll(".portal-tabs").forEach((bar) => {
    const tabs = [...bar.querySelectorAll(".nav-link")];
    const tops = new Set(tabs.map((tab) => Math.round(tab.getBoundingClientRect().top)));
    if (tops.size > 1) problems.push(`the tab bar ${bar.id} takes ${tops.size} lines`);
  });
  return {problems: problems.slice(0, 8), tables: document.querySelectorAll("main table").length};
}"""


@pytest.fixture
def demo(transactional_db) -> SimpleNamespace:
    """The demo station, loaded before the browser starts (tests/browser/conftest.py). The
    service code the penalties cite and the inspections' default checklist (which the awards' demo inspections use too)
    come from data migrations, which an earlier transactional test's flush may have removed: their seeding
    (which creates only what is missing) is run again first."""
    from django.apps import apps

    from complaints.models import Complaint
    from inspections.models import ChecklistVersion, Inspection, RectificationOrder
    from tests.penalties.factories import ensure_policy
    from tollservice.roster.demo import DEMO_PASSWORD
    from tollservice.roster.models import Department, Staff, Team

    importlib.import_module("inspections.migrations.0002_seed_standard").seed(apps, None)
    importlib.import_module("inspections.migrations.0004_default_checklist").seed(apps, None)
    ensure_policy()
    call_command("seed_demo", stdout=io.StringIO())
    staff = Staff.objects.get(user__username="teamleader")
    return SimpleNamespace(
        password=DEMO_PASSWORD,
        department=Department.objects.get(name="征费室").pk,
        team=Team.objects.order_by("display_order").first().pk,
        staff=staff.pk,
        checklist=ChecklistVersion.objects.get(is_default=True).pk,
        inspection=Inspection.objects.filter(results__verdict="breached").order_by("-occurred_at").first().pk,
        order=RectificationOrder.objects.order_by("-deadline").first().pk,
        complaint=Complaint.objects.filter(status="closed").order_by("pk").first().pk,
        year=timezone.localdate().year,
    )


def _lists(demo) -> dict[str, list[str]]:
    """The list pages, by the demo account that sees them."""
    return {
        "office": [
            reverse("roster:index"),
            reverse("roster:department_list"),
            reverse("roster:department_detail", args=[demo.department]),
            reverse("roster:team_list"),
            reverse("roster:team_detail", args=[demo.team]),
            reverse("roster:staff_list"),
            reverse("roster:staff_detail", args=[demo.staff]),  # with its history
            reverse("roster:leadership"),
            reverse("roster:office"),
            reverse("roster:supervisor_list"),
            reverse("roster:shift_list"),
            reverse("penalties:penalty_list"),
            reverse("penalties:outstanding"),
            reverse("penalties:receipt_list"),
            reverse("penalties:waiver_list") + "?show=all",
            reverse("penalties:balances"),
            reverse("penalties:balances") + "?by=team",
            reverse("penalties:reconciliation") + "?start=2000-01-01&end=2999-12-31",
            reverse("penalties:talk_list"),
            reverse("penalties:circular_list"),
            reverse("penalties:eligibility_revocation_list"),
            reverse("penalties:policy"),
            reverse("notifications:inbox"),
            reverse("dashboard:home"),
            reverse("roster:lane_list"),
            reverse("inspections:inspection_list"),
            reverse("inspections:finding_list"),
            reverse("inspections:order_list"),
            reverse("inspections:review_queue"),
            reverse("inspections:appeal_list") + "?all=1",
            reverse("inspections:report_list"),
            reverse("inspections:overdue_list") + "?all=1",
            reverse("inspections:circular_list"),
            reverse("inspections:version_list"),
            reverse("inspections:version_detail", args=[demo.checklist]),
            reverse("inspections:inspection_detail", args=[demo.inspection]),
            reverse("inspections:order_detail", args=[demo.order]),
            reverse("complaints:list"),
            reverse("complaints:ledger"),
            reverse("complaints:detail", args=[demo.complaint]),
            reverse("complaints:figures"),
            reverse("complaints:settings"),
            reverse("complaints:methods"),
            reverse("calendar:index"),
            reverse("awards:campaign_list"),
            reverse("awards:campaign_detail", args=[demo.year]),
            reverse("awards:ranking", args=[demo.year, "gold_team"]),
            reverse("awards:ranking", args=[demo.year, "service_star"]),
            reverse("awards:candidate", args=[demo.year, "gold_team", demo.team]),
            reverse("awards:study_list", args=[demo.year]),
            reverse("awards:award_list"),
            reverse("awards:plaque_register"),
        ],
        "leader": [
            reverse("penalties:approval_queue"),
            reverse("notifications:inbox"),
            reverse("complaints:list"),
            reverse("awards:approval_queue"),
        ],
        "teamleader": [
            reverse("penalties:penalty_list"),
            reverse("dashboard:home"),
            reverse("inspections:inspection_list"),
            reverse("inspections:order_list"),
            reverse("complaints:list"),
            reverse("awards:standing"),
            reverse("awards:study_list", args=[demo.year]),
        ],
        "supervisor": [reverse("inspections:inspection_list"), reverse("inspections:report_list")],
        "staff1": [
            reverse("penalties:my_penalties"),
            reverse("dashboard:home"),
            reverse("complaints:list"),
            reverse("awards:standing"),
        ],
    }


def test_every_list_reads_well_on_a_phone(demo, live_server, page):
    page.set_viewport_size(PHONE)
    failures, tables = {}, 0
    for username, urls in _lists(demo).items():
        sign_in(page, live_server, username, demo.password)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (username, url, response.status)
            result = page.evaluate(MEASURE)
            tables += result["tables"]
            if result["problems"]:
                failures[f"{username} {url}"] = result["problems"]
    assert not failures, failures
    assert tables >= 20  # the pages did show their lists


def test_the_check_catches_a_squeezed_list(demo, live_server, page):
    """The measurement fails on what users saw before the fix: an ordinary table whose cells
    wrap, squeezed into a phone, and a table wider than the screen."""
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, "office", demo.password)
    page.goto(live_server.url + reverse("roster:staff_list"))
    page.evaluate(
        """() => {
          const table = document.querySelector("#staff-table");
          table.classList.remove("table-stack");
          table.parentElement.classList.remove("table-responsive");
          table.querySelectorAll("td, th").forEach((cell) => { cell.style.whiteSpace = "normal"; });
        }"""
    )
    problems = page.evaluate(MEASURE)["problems"]
    assert any("px wide" in problem for problem in problems), problems
