"""Every day typed on a complaint's forms is refused outside the portal's calendar, kept on the
form, and nothing is recorded (``tests.date_bounds``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplaintEvent
from tests.complaints.factories import answered, register, submit_online
from tests.complaints.test_public import _data as _public_form
from tests.complaints.test_views import _register_form
from tests.date_bounds import EXTREME_DAYS, assert_refused, typed
from tollservice.audit.models import AuditEntry

REGISTER_FIELDS = [
    ("incident_at", {}, True),
    ("received_at", {"channel": "letter"}, True),
    ("media_date", {"channel": "media", "media_outlet": "江西日报"}, False),
    ("work_order_deadline", {"channel": "hotline", "work_order_centre": "12328", "work_order_number": "GD-1"}, True),
]


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(("field", "extra", "moment"), REGISTER_FIELDS)
def test_the_office_registering_a_complaint_types_a_day_in_the_calendar(client, people, day, field, extra, moment):
    client.force_login(people.office)
    value = typed(day, moment=moment)
    response = client.post(reverse("complaints:register"), _register_form(people, **extra, **{field: value}))
    assert_refused(response, value, audit_entries=0)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_driver_types_the_incident_in_the_calendar(client, people, day):
    value = typed(day, moment=True)
    response = client.post(reverse("complaints:public_form"), _public_form(people, incident_at=value))
    assert_refused(response, value, audit_entries=0)
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_duplicate_suggestions_for_a_moment_outside_the_calendar_ignore_it(client, people, day):
    earlier = submit_online(people, plate="赣A12345").complaint
    client.force_login(people.office)
    response = client.get(
        reverse("complaints:duplicate_suggestions"), {"plate": "赣A12345", "incident_at": typed(day, moment=True)}
    )
    assert response.status_code == 200 and earlier.number in response.json()["html"]


def _registered(people):
    return register(people).complaint


def _answered_hotline(people):
    return answered(people, register(people, channel=Complaint.Channel.HOTLINE).complaint)


STEPS = [
    ("complaints:contact", _registered, "at", {"method": "phone", "note": ""}, True),
    ("complaints:extension_request", _registered, "new_due", {"reason": "需要调取更多监控。"}, False),
    (
        "complaints:verdict",
        _registered,
        "shift_date",
        {"outcome": "upheld", "fault": "station", "findings": "调阅监控，属实。", "shift": "day"},
        False,
    ),
    ("complaints:apology", _registered, "apologised_at", {"role": "person_concerned", "method": "phone"}, True),
    ("complaints:work_order_return", _answered_hotline, "new_deadline", {"reason": "中心认为答复不完整。"}, True),
]


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(("url_name", "build", "field", "data", "moment"), STEPS)
def test_a_step_of_the_handling_types_a_day_in_the_calendar(client, people, day, url_name, build, field, data, moment):
    complaint = build(people)
    if url_name == "complaints:apology":
        data = {**data, "apologised_by_pk": people.collector.pk}
    entries, events = AuditEntry.objects.count(), ComplaintEvent.objects.count()
    client.force_login(people.office)
    value = typed(day, moment=moment)
    response = client.post(reverse(url_name, args=[complaint.pk]), {**data, field: value})
    assert_refused(response, value, audit_entries=entries)
    assert ComplaintEvent.objects.count() == events
