"""In a real browser on a phone-sized screen (390 × 844): a driver opens a lane's QR link, sends a
complaint with a photo, later looks it up with the tracking number and access code; the office
finds it in its list and opens it (the issue's browser test). Screenshots go to
``COMPLAINT_SHOTS`` when set (the handoff note's evidence)."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import TIMEOUT_MS, sign_in
from tests.complaints.factories import LaneFactory
from tests.penalties.factories import ensure_policy
from tests.roster.factories import DepartmentFactory, StationFactory, user_with_role

pytestmark = pytest.mark.browser

PASSWORD = "complaint-flow-2026"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def station(transactional_db, settings, tmp_path) -> SimpleNamespace:
    """What the flow needs, made before the browser starts (see tests/browser/conftest.py)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    ensure_policy()
    station = StationFactory(hotline="0791-83751235")
    lane = LaneFactory(station=station, number="12", heading="南昌方向来车")
    LaneFactory(station=station, number="13")
    office = user_with_role("office", department=DepartmentFactory(station=station))
    office.username = "office"
    office.set_password(PASSWORD)
    office.save()
    photo = tmp_path / "booth.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 160)).save(buffer, format="JPEG")
    photo.write_bytes(buffer.getvalue())
    return SimpleNamespace(lane_id=lane.pk, photo=str(photo), private=settings.PRIVATE_MEDIA_ROOT)


def _shot(page, name: str) -> None:
    folder = os.environ.get("COMPLAINT_SHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"complaints-{name}.png"), full_page=True)


def _fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_a_driver_complains_from_a_lanes_qr_link_and_looks_it_up_and_the_office_sees_it(station, live_server, page):
    # CMP-9, CMP-7, CMP-10, PIPL art. 17
    phone = page.context.browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.set_default_timeout(TIMEOUT_MS)
    driver = phone.new_page()
    violations = []
    driver.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))

    driver.goto(f"{live_server.url}{reverse('complaints:public_form')}?lane={station.lane_id}")
    expect(driver.locator("#id_lane")).to_have_value(str(station.lane_id))
    expect(driver.locator("#privacy-notice")).to_contain_text("365")
    expect(driver.locator("#complaint-contacts")).to_contain_text("0791-83751235")
    _fits_the_screen(driver)
    _shot(driver, "form")
    driver.check("input[name=category][value=attitude]")
    driver.fill("#id_description", "收费员态度生硬，我问收费标准时不耐烦，还大声呵斥。")
    driver.evaluate(  # an hour ago, in the browser's own clock and zone
        "() => { const d = new Date(Date.now() - 3600e3); const p = n => String(n).padStart(2, '0');"
        " document.getElementById('id_incident_at').value ="
        " `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }"
    )
    driver.fill("#id_plate", "赣A12345")
    driver.fill("#id_phone", "13912345678")
    driver.set_input_files("#id_photos", station.photo)
    with driver.expect_navigation():
        driver.click("#complaint-form button[type=submit]")
    expect(driver.locator("#complaint-submitted")).to_be_visible()
    number = driver.locator("#tracking-number").inner_text().strip()
    code = driver.locator("#access-code").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}", number) and len(code.replace("-", "")) == 28
    _fits_the_screen(driver)
    _shot(driver, "submitted")

    # Later: the look-up, by POST (nothing in the address).
    driver.goto(live_server.url + reverse("complaints:lookup"))
    driver.fill("#id_number", number)
    driver.fill("#id_code", code.lower())  # as a driver might type it
    with driver.expect_navigation():
        driver.click("#lookup-form button[type=submit]")
    expect(driver.locator("#driver-status")).to_contain_text(number)
    expect(driver.locator("#driver-status")).to_contain_text("139****5678")
    assert code not in driver.url and number not in driver.url
    _fits_the_screen(driver)
    _shot(driver, "lookup")
    assert violations == []

    # The office, on a phone too, finds it in the list and opens it with its photo.
    office = phone.new_page()
    sign_in(office, live_server, "office", PASSWORD)
    office.goto(live_server.url + reverse("complaints:list"))
    expect(office.locator("#complaint-list")).to_contain_text(number)
    _shot(office, "office-list")
    office.click(f"#complaint-list a:text('{number}')")
    expect(office.locator("#complaint-facts")).to_contain_text("收费员态度生硬")
    expect(office.locator("#complaint-photos img")).to_have_count(1)
    expect(office.locator("#complaint-photos img")).to_have_js_property("naturalWidth", 800)  # served
    expect(office.locator("#action-take-up")).to_be_visible()
    _fits_the_screen(office)
    _shot(office, "office-detail")
    phone.close()
