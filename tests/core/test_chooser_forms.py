"""Every form that names a member of staff out of everyone (penalties, roster) is a search box
(``tollservice.core.choosers``), never a ``<select>`` of the whole station: the page lists nobody,
costs the same queries with 200 more staff on the roster, and a ``?staff=<pk>`` link or a model
form's foreign key still shows the person chosen."""

import pytest
from django.urls import reverse

from tests.penalties.factories import ensure_policy, proposed_complaint
from tests.query_budget import assert_constant_queries, get_rows
from tests.roster.factories import (
    DepartmentFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    TeamFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

# Nobody on a page is called this, unless the page lists everyone.
CROWD = "候选人"


@pytest.fixture
def station(db):
    ensure_policy()
    department = DepartmentFactory(name="征费室")
    head = StaffFactory(department=department, name="征费室主任", employee_number="H0001")
    department.head = head
    department.save()
    leader = StaffFactory(department=department, name="班长甲", employee_number="L0001")
    team = TeamFactory(department=department, leader=leader)
    collector = StaffFactory(department=department, team=team, name="收费员甲", employee_number="C0001")
    office = user_with_role("office", department=department)
    return {
        "department": department,
        "head": head,
        "leader": leader,
        "team": team,
        "collector": collector,
        "office": office,
        "penalty": proposed_complaint(office=office, staff=collector),
        "shift": ShiftLeaderAssignmentFactory(staff=leader),
    }


def _pages(station) -> dict[str, tuple[str, dict, str | None]]:
    """Page → (url, query, the person it shows chosen)."""
    collector = station["collector"]
    return {
        "propose": (reverse("penalties:penalty_propose"), {"staff": collector.pk}, collector.name),
        "decide": (reverse("penalties:penalty_decide", args=[station["penalty"].pk]), {}, None),
        "talk": (reverse("penalties:talk_create"), {"staff": collector.pk}, collector.name),
        "revoke": (reverse("penalties:eligibility_revoke"), {"staff": collector.pk}, collector.name),
        "lookup": (reverse("penalties:eligibility_lookup"), {"staff_pk": collector.pk}, collector.name),
        "department new": (reverse("roster:department_create"), {}, None),
        "department edit": (
            reverse("roster:department_update", args=[station["department"].pk]),
            {},
            station["head"].name,
        ),
        "team new": (reverse("roster:team_create"), {}, None),
        "team edit": (reverse("roster:team_update", args=[station["team"].pk]), {}, station["leader"].name),
        "leadership": (reverse("roster:leadership_add"), {}, None),
        "office": (reverse("roster:office_add"), {}, None),
        "shift new": (reverse("roster:shift_create"), {}, None),
        "shift edit": (reverse("roster:shift_update", args=[station["shift"].pk]), {}, station["leader"].name),
    }


def test_no_form_lists_every_staff_member_and_200_more_cost_no_query(client, station):
    client.force_login(station["office"])
    crowd = StaffFactory.create_batch(3, department=station["department"], name=CROWD)
    pages = _pages(station)
    for name, (url, query, chosen) in pages.items():
        page = client.get(url, query).content.decode()
        assert CROWD not in page, f"{name} lists every staff member"
        assert '<select name="staff"' not in page and 'class="chooser"' in page, name
        if chosen:
            assert f'value="{chosen}' in page, f"{name} does not show {chosen} chosen"

    def grow():
        crowd.extend(StaffFactory.create_batch(200, department=station["department"], name=CROWD))

    def staff_there(response) -> int:
        return len(crowd)

    assert_constant_queries(
        {name: get_rows(client, url, query, rows=staff_there) for name, (url, query, _) in pages.items()}, grow=grow
    )
