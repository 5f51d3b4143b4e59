"""Role × URL → expected status for every view (see tests/permission_matrix.py)."""

import pytest
from django.urls import reverse

from tests.permission_matrix import ROLES, Case, Scene, all_cases
from tests.roster.factories import StaffFactory, user_with_role


@pytest.fixture
def scene(db) -> Scene:
    users = {role: user_with_role(role) for role in ROLES}
    leader_staff = users["team_leader"].staff_profile
    team = leader_staff.led_teams.get()
    return Scene(
        users=users,
        team=team,
        staff=StaffFactory(team=team, department=team.department),
        supervisor=users["supervisor"].supervisor_profile,
    )


@pytest.mark.parametrize("case", all_cases(), ids=str)
def test_each_role_gets_the_expected_status(client, scene, case: Case):
    url = reverse(case.url_name, kwargs=case.kwargs(scene) if case.kwargs else None)
    data = case.data(scene) if case.data else {}
    for role in ROLES:
        client.force_login(scene.users[role])
        response = getattr(client, case.method)(url, data)
        assert response.status_code == case.expected(role), f"{case} as {role}: {response.status_code}"
