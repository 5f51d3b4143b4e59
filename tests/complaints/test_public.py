"""The drivers' pages (CMP-9, no account): the form a lane's poster opens, photos, the honeypot,
the rate limits, the PIPL notice and CMP-10 contacts, the look-up by number and code, adding
information and rating the outcome."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import access_codes, services
from complaints.models import Complaint, ComplaintMessage, ComplaintPhoto, ComplaintSettings, ReturnVisit
from complaints.views import public
from tests.complaints.conftest import png_upload
from tests.complaints.factories import answered, submit_online
from tollservice.roster.models import Department

FORM = reverse("complaints:public_form")
LOOKUP = reverse("complaints:lookup")


def _data(people, **overrides):
    data = {
        "category": "attitude",
        "description": "收费员态度很差，对我大声呵斥。",
        "incident_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "lane": str(people.lane.pk),
        "plate": "赣A12345",
        "phone": "13812345678",
        "complainant_name": "张三",
        "email": "",
        "remedy": "希望道歉",
        "website": "",
    }
    data.update(overrides)
    return data


def _code_on(response) -> tuple[str, str]:
    html = response.content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', html).group(1).strip()
    code = re.search(r'id="access-code">([^<]+)<', html).group(1).strip()
    return number, code


# --- The form ----------------------------------------------------------------------------------------


def test_a_lanes_qr_link_opens_the_form_with_the_lane_filled_in(client, people):
    # CMP-9
    response = client.get(FORM, {"lane": people.lane.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{people.lane.pk}" selected>' in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html


def test_the_form_says_why_the_phone_and_plate_are_asked_for_how_long_they_are_kept_and_whom_to_ask(client, people):
    # PIPL art. 17
    settings_row = ComplaintSettings.load()
    settings_row.retention_days = 400
    settings_row.save()
    html = client.get(FORM).content.decode()
    notice = html[html.index('id="privacy-notice"') :]
    assert "400" in notice[:2000]
    assert "电话" in notice[:2000] and "车牌" in notice[:2000]


def test_the_form_shows_the_hotline_and_each_departments_published_method(client, people):
    # CMP-10
    services.department_method_set(
        actor=people.office,
        department=people.toll_office,
        method="当班处理，24小时内回复。",
        hotline="0791-1234567",
        published=True,
    )
    hidden = Department.objects.create(station=people.station, name="综合办")
    services.department_method_set(
        actor=people.office, department=hidden, method="不公开", hotline="0791-7", published=False
    )
    html = client.get(FORM).content.decode()
    assert "0791-1234567" in html and "当班处理" in html
    assert "不公开" not in html


def test_a_driver_submits_with_a_photo_and_gets_a_number_and_code_to_keep(client, people, private_media):
    # CMP-9, CMP-7: registered at once, gapless number; the code opens it, the photo is kept privately.
    response = client.post(FORM, {**_data(people), "photos": [png_upload()]})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    number, code = _code_on(response)
    complaint = Complaint.objects.get(number=number)
    assert complaint.channel == Complaint.Channel.WEB and complaint.lane == people.lane and complaint.owner is None
    assert access_codes.normalise_code(code) and code not in str(Complaint.objects.values().get(pk=complaint.pk))
    photo = ComplaintPhoto.objects.get(complaint=complaint)
    assert photo.content_type == "image/png" and (private_media / photo.file.name).exists()
    assert "photo.png" not in photo.file.name  # a generated name, never the driver's
    view = client.post(LOOKUP, {"number": number, "code": code})
    assert view.status_code == 200 and 'id="driver-status"' in view.content.decode()


def test_up_to_three_photos_and_only_real_images(client, people, private_media):
    too_many = client.post(FORM, {**_data(people), "photos": [png_upload(f"{i}.png") for i in range(4)]})
    assert too_many.status_code == 200 and not Complaint.objects.exists()
    fake = client.post(FORM, {**_data(people), "photos": [png_upload(), _not_an_image()]})
    assert fake.status_code == 200 and not Complaint.objects.exists()
    assert 'id="photos-lost"' in fake.content.decode()
    assert not private_media.exists() or not list(private_media.rglob("*.*"))  # nothing left behind


def _not_an_image():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("evil.png", b"<script>alert(1)</script>", content_type="image/png")


def test_a_refused_submission_keeps_everything_typed_except_the_photos(client, people, private_media):
    response = client.post(FORM, {**_data(people, phone="12345"), "photos": [png_upload()]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "收费员态度很差" in html and "赣A12345" in html and "张三" in html and "希望道歉" in html
    assert 'id="photos-lost"' in html
    assert not Complaint.objects.exists() and not ComplaintPhoto.objects.exists()


def test_the_honeypot_gets_the_same_page_stores_nothing_and_counts_against_the_limit(client, people):
    robot = client.post(FORM, _data(people, website="http://spam.example"))
    person = Client().post(FORM, _data(people, phone="13900001111"))
    assert robot.status_code == person.status_code == 200
    assert [t.name for t in robot.templates][0] == [t.name for t in person.templates][0]
    assert Complaint.objects.count() == 1  # the person's only
    robot_number, robot_code = _code_on(robot)
    assert client.post(LOOKUP, {"number": robot_number, "code": robot_code}).context["form"].errors
    # It counted: five more from the same phone and the limit is reached.
    for _ in range(public.SUBMIT_PER_PHONE.rate - 1):
        client.post(FORM, _data(people, website="x"))
    assert client.post(FORM, _data(people)).status_code == 429


# --- Rate limits ---------------------------------------------------------------------------------------


def test_too_many_submissions_from_one_phone_get_429_in_the_users_language_and_store_nothing(client, people):
    for _ in range(public.SUBMIT_PER_PHONE.rate):
        assert client.post(FORM, _data(people)).status_code == 200
    count = Complaint.objects.count()
    refused = client.post(FORM, _data(people, description="第六次"))
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    html = refused.content.decode()
    assert "第六次" in html and 'id="too-many-requests"' in html and "请稍候" in html
    assert Complaint.objects.count() == count
    # Another phone (another driver behind the same carrier address) still gets through.
    assert client.post(FORM, _data(people, phone="13700002222")).status_code == 200


def test_the_per_address_cap_is_generous_but_holds(client, people, monkeypatch):
    monkeypatch.setattr(public, "SUBMIT_PER_ADDRESS", public.Limit("complaints.submit.address", rate=3, period=3600))
    for n in range(3):
        assert client.post(FORM, _data(people, phone=f"1370000{n:04d}")).status_code == 200
    assert client.post(FORM, _data(people, phone="13600009999")).status_code == 429
    assert Complaint.objects.count() == 3
    assert public.SUBMIT_PER_ADDRESS.rate >= 3  # the real cap (30 an hour) is far above one phone's (5)


def test_look_ups_are_limited_per_tracking_number(client, people):
    registration = submit_online(people)
    for _ in range(public.LOOKUP_PER_NUMBER.rate):
        client.post(LOOKUP, {"number": registration.tracking_number, "code": "WRONG"})
    refused = client.post(LOOKUP, {"number": registration.tracking_number, "code": registration.access_code})
    assert refused.status_code == 429


def test_the_pages_are_csrf_protected(people):
    client = Client(enforce_csrf_checks=True)
    assert client.post(FORM, _data(people)).status_code == 403
    assert client.post(LOOKUP, {"number": "2026-0001", "code": "X"}).status_code == 403
    assert not Complaint.objects.exists()


# --- Look-up -----------------------------------------------------------------------------------------


def test_the_look_up_shows_status_and_replies_with_phone_and_plate_masked_and_nothing_internal(client, people):
    registration = submit_online(people, plate="赣A12345", phone="13912345678")
    complaint = registration.complaint
    services.complaint_take_up(complaint=complaint, by=people.office)
    complaint = answered(people, complaint)
    html = client.post(
        LOOKUP, {"number": registration.tracking_number, "code": registration.access_code}
    ).content.decode()
    assert "139****5678" in html and "13912345678" not in html
    assert "赣A12345" not in html
    assert "经调查，您反映的情况属实" in html  # the station's reply
    assert "调阅监控" not in html and "CAM-03" not in html  # the verdict's evidence
    assert people.collector.name not in html and "当时车流量大" not in html  # staff and their accounts
    assert registration.access_code not in LOOKUP


def test_a_wrong_code_gets_the_same_answer_as_an_unknown_number(client, people):
    registration = submit_online(people)
    wrong = client.post(LOOKUP, {"number": registration.tracking_number, "code": "AAAA-BBBB"})
    unknown = client.post(LOOKUP, {"number": "1999-0001", "code": "AAAA-BBBB"})
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors
    assert "driver-status" not in wrong.content.decode()


def test_the_driver_adds_information_and_rates_the_outcome(client, people):
    registration = submit_online(people)
    complaint = registration.complaint
    services.complaint_take_up(complaint=complaint, by=people.office)
    credentials = {"number": registration.tracking_number, "code": registration.access_code}
    added = client.post(reverse("complaints:lookup_add"), {**credentials, "text": "补充：当时是下午三点左右。"})
    assert added.status_code == 200 and 'id="driver-notice"' in added.content.decode()
    assert ComplaintMessage.objects.filter(complaint=complaint, direction="from_driver").count() == 1
    answered(people, complaint)
    rated = client.post(reverse("complaints:lookup_rate"), {**credentials, "result": "satisfied", "comment": "满意"})
    assert rated.status_code == 200
    complaint.refresh_from_db()
    assert complaint.return_visit_result == ReturnVisit.Result.SATISFIED


def test_adding_information_with_a_wrong_code_shows_the_look_up_form(client, people):
    registration = submit_online(people)
    response = client.post(
        reverse("complaints:lookup_add"), {"number": registration.tracking_number, "code": "NOPE", "text": "x"}
    )
    assert response.status_code == 200 and 'id="lookup-form"' in response.content.decode()
    assert not ComplaintMessage.objects.filter(direction="from_driver").exists()


@pytest.mark.parametrize("url_name", ["complaints:public_form", "complaints:lookup"])
def test_the_public_pages_need_no_account_and_work_in_english(client, people, url_name):
    response = client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
