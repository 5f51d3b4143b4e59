"""On a 390 px phone, a supervisor files a covert visit: every item starts compliant, a breach is
recorded with its occurrences and the staff member concerned (chosen by typing), a photo is taken,
and the draft — kept on the device — survives the server being out of reach and a reload, then is
synced and filed as a separate step (INS-6)."""

from __future__ import annotations

import importlib
import io
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
PASSWORD = "supervisor-pass-2026"
SHOTS = "/work/notes/shots"


@pytest.fixture
def visit_world(transactional_db) -> SimpleNamespace:
    """A team with its collectors and a supervisor with an account, made before the browser starts
    (tests/browser/conftest.py). The checklist comes from data migrations that an earlier
    transactional test's flush may have removed: their seeding is run again first."""
    from django.apps import apps

    from tests.penalties.factories import ensure_policy
    from tests.roster.factories import StaffFactory, TeamFactory, UserFactory, user_with_role

    importlib.import_module("inspections.migrations.0002_seed_standard").seed(apps, None)
    importlib.import_module("inspections.migrations.0004_default_checklist").seed(apps, None)
    ensure_policy()
    leader = StaffFactory(name="邹婷", user=UserFactory())
    team = TeamFactory(name="收费一班", leader=leader, department=leader.department)
    for name in ("陈晨", "蒋华敏"):
        StaffFactory(name=name, team=team, department=team.department)
    supervisor = user_with_role("supervisor")
    supervisor.set_password(PASSWORD)
    supervisor.save()
    return SimpleNamespace(username=supervisor.username, team=team.pk)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def _card(page, code: str):
    return page.locator(".item-card", has_text=code)


def _wait_saved(page):
    page.wait_for_function(
        """() => {
          const status = document.getElementById("sync-status");
          return status && status.className.includes("sync-saved") && !document.querySelector("[data-remove-photo]");
        }"""
    )


def test_a_covert_visit_filled_on_a_phone_with_a_photo_survives_a_reload_and_is_filed(visit_world, live_server, page):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, visit_world.username, PASSWORD)
    page.goto(live_server.url + reverse("inspections:inspection_start"))
    page.check("input[name=kind][value=supervisor_covert]")
    page.select_option("#id_team", str(visit_world.team))
    with page.expect_navigation():
        page.click("#service-form button[type=submit]")
    assert "/fill/" in page.url
    _wait_saved(page)
    assert page.locator("#live-total [data-score]").inner_text() == "100.00"  # every item starts compliant

    # A breach: two vehicles without civil language, by 陈晨, chosen by typing her name.
    card = _card(page, "JC-02")
    card.locator("label", has_text="不符合").click()
    card.locator("[data-step='1']").click()
    assert card.locator("input[data-field=occurrences]").input_value() == "2"
    card.locator("input[data-field=staff]").fill("陈")
    card.locator(".chooser-results button", has_text="陈晨").click()
    _wait_saved(page)
    assert page.locator("#live-total [data-score]").inner_text() == "99.00"  # the server's scoring

    # A photo of it, made smaller on the phone, kept on the device and sent once the line is saved.
    card.locator("input[data-photo-input]").set_input_files(
        {"name": "IMG_0001.png", "mimeType": "image/png", "buffer": _png()}
    )
    card.locator("[data-photos] img").wait_for()
    _wait_saved(page)  # and no photo left waiting to be sent
    assert card.locator("[data-photos] img").count() == 1
    page.screenshot(path=f"{SHOTS}/inspections-browser-breach.png")

    # The server out of reach: a second breach is kept on the device only …
    page.route("**/draft/", lambda route: route.abort())
    smoking = _card(page, "JC-07")
    smoking.locator("label", has_text="不符合").click()
    page.wait_for_function("() => document.getElementById('sync-status').className.includes('sync-offline')")
    page.screenshot(path=f"{SHOTS}/inspections-browser-offline.png")
    # … and survives a reload (the page comes from the server, which does not have it yet).
    page.reload()
    smoking = _card(page, "JC-07")
    # The page puts the device's copy back once it has loaded: wait for it, don't sample it.
    expect(smoking.locator("input[data-field=verdict][value=breached]")).to_be_checked()
    expect(_card(page, "JC-02").locator("input[data-field=staff]")).to_have_value(re.compile("^陈晨"))
    page.screenshot(path=f"{SHOTS}/inspections-browser-after-reload.png", full_page=True)
    # Back in reach: synced, and the total follows.
    page.unroute("**/draft/")
    page.evaluate("window.dispatchEvent(new Event('online'))")
    _wait_saved(page)
    assert page.locator("#live-total [data-score]").inner_text() == "94.00"

    # Filing is its own step.
    page.click("#review-and-file")
    page.wait_for_url("**/file/")
    assert page.locator("#file-score").inner_text() == "94.00"
    page.screenshot(path=f"{SHOTS}/inspections-browser-file.png", full_page=True)
    with page.expect_navigation():
        page.click("#file-inspection")
    content = page.locator("main").inner_text()
    assert "待办公室审核" in content and "陈晨" in content
    assert page.locator("#evidence img").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=f"{SHOTS}/inspections-browser-filed.png", full_page=True)
    assert page.csp_violations == []
