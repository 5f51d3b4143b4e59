"""Issue 9: the roster's staff list reads its pages (current, former, all staff) through an index
in employee-number order, page and count alike (tests/list_plans.py)."""

import pytest
from django.urls import reverse

from tests.list_plans import assert_list_pages_indexed
from tests.roster.factories import user_with_role
from tollservice.roster.models import Staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["", "former", "all"])
def test_the_staff_list_reads_its_pages_through_an_index(client, status):
    client.force_login(user_with_role("office"))
    assert_list_pages_indexed(
        client,
        reverse("roster:staff_list"),
        ordering=Staff.objects.all(),
        boundary=["E5000"],
        tables=[Staff],
        params={"status": status} if status else {},
    )
