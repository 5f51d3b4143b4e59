"""CMP-7 under real concurrency, on PostgreSQL: registrations at the same moment, each in its
own thread and connection, get consecutive numbers — no gaps, no repeats — including the
first registrations of a year, when the year's counter row does not exist yet."""

import pytest
from django.utils import timezone

from complaints.models import Complaint, RegistrationCounter
from tests.complaints.factories import register, submit_online
from tests.penalties.concurrency import race
from tests.services import require_postgres

pytestmark = pytest.mark.postgres


@pytest.mark.django_db(transaction=True)
def test_cmp7_concurrent_registrations_are_numbered_without_gaps(people):  # CMP-7
    require_postgres()
    year = timezone.localdate().year
    assert not RegistrationCounter.objects.filter(year=year).exists()  # the year's first ones
    calls = [lambda: register(people).complaint.sequence for _ in range(4)]
    calls += [lambda: submit_online(people).complaint.sequence for _ in range(4)]
    outcomes = race(calls)
    assert [kind for kind, _ in outcomes] == ["ok"] * 8, outcomes
    assert sorted(value for _, value in outcomes) == list(range(1, 9))
    numbers = list(Complaint.objects.order_by("sequence").values_list("number", flat=True))
    assert numbers == [f"{year}-{n:04d}" for n in range(1, 9)]
    assert RegistrationCounter.objects.get(year=year).last_number == 8
    # And again with the counter row in place.
    outcomes = race([lambda: register(people).complaint.sequence for _ in range(4)])
    assert sorted(value for _, value in outcomes) == [9, 10, 11, 12]
