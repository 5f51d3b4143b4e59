"""Issue 9: every penalties list reads its page through an index in its order — page 1, a page
after and before a row, the last page — on SQLite and PostgreSQL (tests/list_plans.py)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from penalties.models import Circular, EligibilityRevocation, Penalty, TalkRecord, WaiverRequest
from tests.list_plans import assert_list_pages_indexed
from tests.query_plan import assert_indexed, selects
from tests.roster.factories import TeamFactory

pytestmark = pytest.mark.django_db

A_DAY = datetime.date(2026, 5, 1)
A_MOMENT = timezone.make_aware(datetime.datetime(2026, 5, 1, 9, 30))
NEWEST_INCIDENT_FIRST = Penalty.objects.order_by("-incident_date", "-pk")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.parametrize(
    ("who", "url_name", "params"),
    [
        ("office", "penalties:penalty_list", {}),
        ("office", "penalties:penalty_list", {"status": "approved", "rule": "service_code"}),
        ("office", "penalties:penalty_list", {"status": "proposed"}),
        ("office", "penalties:penalty_list", {"rule": "complaint"}),
        ("team_leader", "penalties:penalty_list", {}),
        ("staff_user", "penalties:penalty_list", {}),
        ("staff_user", "penalties:my_penalties", {}),
        ("office", "penalties:my_penalties", {}),
    ],
)
def test_the_penalty_lists_read_their_pages_through_an_index(people, signed_in, who, url_name, params):
    user = people.team_leader.user if who == "team_leader" else getattr(people, who)
    assert_list_pages_indexed(
        signed_in(user),
        reverse(url_name),
        ordering=NEWEST_INCIDENT_FIRST,
        boundary=[A_DAY, 1000],
        tables=[Penalty],
        params=params,
    )


def test_the_approval_queue_reads_its_pages_through_an_index(people, signed_in):
    assert_list_pages_indexed(
        signed_in(people.leader),
        reverse("penalties:approval_queue"),
        ordering=Penalty.objects.order_by("decided_at", "pk"),
        boundary=[A_MOMENT, 1000],
        tables=[Penalty],
    )


@pytest.mark.parametrize(
    ("who", "params", "ordering"),
    [
        ("finance", {"show": "all"}, ("-created_at", "-pk")),
        ("finance", {"show": "all", "status": "pending"}, ("-created_at", "-pk")),
        ("leader", {}, ("created_at", "pk")),  # the queue of what waits for this leader
    ],
)
def test_the_waiver_lists_read_their_pages_through_an_index(people, signed_in, who, params, ordering):
    assert_list_pages_indexed(
        signed_in(getattr(people, who)),
        reverse("penalties:waiver_list"),
        ordering=WaiverRequest.objects.order_by(*ordering),
        boundary=[A_MOMENT, 1000],
        tables=[WaiverRequest, Penalty],
        params=params,
    )


@pytest.mark.parametrize(
    ("url_name", "model", "boundary", "params"),
    [
        ("penalties:circular_list", Circular, [A_MOMENT, 1000], {}),
        ("penalties:circular_list", Circular, [A_MOMENT, 1000], {"status": "published"}),
        ("penalties:talk_list", TalkRecord, [A_MOMENT, 1000], {}),
        ("penalties:eligibility_revocation_list", EligibilityRevocation, [2026, A_MOMENT, 1000], {}),
    ],
)
def test_the_record_lists_read_their_pages_through_an_index(people, signed_in, url_name, model, boundary, params):
    assert_list_pages_indexed(
        signed_in(people.office),
        reverse(url_name),
        ordering=model.objects.all(),  # their Meta.ordering
        boundary=boundary,
        tables=[model],
        params=params,
    )


def test_a_leader_of_two_teams_reads_each_part_of_the_list_through_an_index(people, signed_in):
    # "Team A or team B" has no single index in the list's order: each team is read through its
    # own (tollservice.core.pagination.in_branches), and the parts merged.
    TeamFactory(department=people.team_leader.department, leader=people.team_leader, name="收费二班")
    assert_list_pages_indexed(
        signed_in(people.team_leader.user),
        reverse("penalties:penalty_list"),
        ordering=NEWEST_INCIDENT_FIRST,
        boundary=[A_DAY, 1000],
        tables=[Penalty],
    )


def test_a_team_leader_s_count_reads_the_team_index_alone(people, signed_in):
    """Issue 9: a team leader's list counts the team's fines in force or revoked; with the status
    in the team's list index the count reads no row of the table (15 ms to 1 ms for a team of
    5,683 fines at 200,000)."""
    with CaptureQueriesContext(connection) as captured:
        signed_in(people.team_leader.user).get(reverse("penalties:penalty_list"))
    (count,) = [sql for sql in selects(captured) if "COUNT(*)" in sql and '"penalties_penalty"' in sql]
    plan = assert_indexed(count, [Penalty])
    if connection.vendor == "sqlite":
        assert "USING COVERING INDEX penalty_list_team" in str(plan), plan
