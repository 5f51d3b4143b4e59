"""The complaints list and the registration ledger read their page through an index in the page's
order (issue 9), filtered or not: the plan of the main query is read on SQLite and, with a
PostgreSQL ``DATABASE_URL``, on PostgreSQL (tests/query_plan.py)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from complaints import selectors
from complaints.models import Complaint
from tests.complaints.factories import register
from tests.query_plan import assert_indexed

pytestmark = pytest.mark.django_db

PAGE = 25


@pytest.fixture
def registered(people):
    for _ in range(3):
        register(people)
    return people


def test_the_staff_list_is_read_in_its_order_through_an_index(registered):
    office = registered.office
    assert_indexed(selectors.complaint_list(user=office)[:PAGE], [Complaint])
    for filters in ({"status": Complaint.Status.REGISTERED}, {"channel": Complaint.Channel.PHONE}):
        assert_indexed(selectors.complaint_list(user=office, **filters)[:PAGE], [Complaint])


def test_the_ledger_is_read_in_number_order_through_an_index(registered):
    year = timezone.localdate().year
    assert_indexed(selectors.complaint_ledger(user=registered.office, year=year)[:50], [Complaint])
