"""Every day typed on the penalties' forms and list filters is refused outside the portal's
calendar, kept on the form, and nothing is recorded (``tests.date_bounds``). The incident date
of a proposal has its own, more telling refusal (``test_findings``, ``test_views``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from penalties.models import LedgerEntry, PenaltyPolicy, TalkRecord
from tests.date_bounds import EXTREME_DAYS, MESSAGES, assert_refused, typed
from tests.penalties.factories import decided_service_code
from tests.penalties.test_views import signed_in_client
from tollservice.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def _talk(people) -> dict:
    return {
        "kind": "admonishment",
        "staff_pk": people.collector.pk,
        "held_at": "2026-11-05T09:30",
        "conducted_by_pk": people.head.pk,
        "reason": "两次违规后整改不积极",
        "summary": "指出问题，提出要求",
        "follow_up": "一个月后复查",
        "follow_up_due": "2026-12-05",
    }


def _policy(people) -> dict:
    return {
        "base_fine": "200.00",
        "complaint_fine_min": "100.00",
        "complaint_fine_max": "500.00",
        "repeat_fine_max": "1000.00",
        "year_start_month": "1",
        "note": "复核",
    }


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(
    ("url_name", "who", "field", "data", "moment"),
    [
        ("penalties:talk_create", "office", "held_at", _talk, True),
        ("penalties:talk_create", "office", "follow_up_due", _talk, False),
        ("penalties:policy_change", "leader", "effective_from", _policy, True),
    ],
)
def test_a_day_typed_on_a_penalties_form_is_in_the_calendar(people, day, url_name, who, field, data, moment):
    entries, talks, policies = AuditEntry.objects.count(), TalkRecord.objects.count(), PenaltyPolicy.objects.count()
    value = typed(day, moment=moment)
    response = signed_in_client(getattr(people, who)).post(reverse(url_name), {**data(people), field: value})
    assert_refused(response, value, audit_entries=entries)
    assert (TalkRecord.objects.count(), PenaltyPolicy.objects.count()) == (talks, policies)


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_fine_collected_on_a_day_outside_the_calendar_is_refused(people, day):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    entries, ledger = AuditEntry.objects.count(), LedgerEntry.objects.count()
    response = signed_in_client(people.finance).post(
        reverse("penalties:fine_collect", args=[penalty.pk]),
        {"receipt_number": "CW-0001", "collected_on": day, "amount": "200.00"},
    )
    assert_refused(response, day, audit_entries=entries)
    assert LedgerEntry.objects.count() == ledger


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_receipts_filter_is_in_the_calendar(people, day, field):
    response = signed_in_client(people.finance).get(reverse("penalties:receipt_list"), {field: day})
    html = response.content.decode()
    assert response.status_code == 200 and any(message in html for message in MESSAGES)
    assert f'value="{day}"' in html
