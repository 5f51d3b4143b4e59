"""Role × URL rows for the roster: the office manages it, the leadership group reads it.

Form pages are posted empty: an allowed role gets the form back with its errors (200), so the
table checks who may act without changing the roster between roles.
"""

from tests.permission_matrix import Case
from tests.roster.factories import ShiftLeaderAssignmentFactory, StaffFactory, UserFactory

VIEW = frozenset({"admin", "leadership", "office"})
MANAGE = frozenset({"admin", "office"})
ADMIN = frozenset({"admin"})  # resetting a password: the system administrator only


def _department(scene):
    return {"pk": scene.team.department_id}


def _team(scene):
    return {"pk": scene.team.pk}


def _staff(scene):
    return {"pk": scene.staff.pk}


def _staff_with_account(scene):
    return {"pk": StaffFactory(team=scene.team, department=scene.team.department, user=UserFactory()).pk}


def _supervisor(scene):
    return {"pk": scene.supervisor.pk}


def _leadership_seat(scene):
    return {"pk": scene.users["leadership"].staff_profile.leadership_memberships.get().pk}


def _office_seat(scene):
    return {"pk": scene.users["office"].staff_profile.office_memberships.get().pk}


def _shift(scene):
    return {"pk": ShiftLeaderAssignmentFactory(staff=scene.staff).pk}


def _empty(scene):
    return {}


def _page_and_form(url_name: str, allowed: frozenset, kwargs=None) -> list[Case]:
    return [
        Case(url_name, allowed, kwargs=kwargs),
        Case(url_name, allowed, kwargs=kwargs, method="post", data=_empty),
    ]


CASES = [
    Case("roster:index", VIEW),
    *_page_and_form("roster:station_edit", MANAGE),
    Case("roster:department_list", VIEW),
    Case("roster:department_detail", VIEW, kwargs=_department),
    *_page_and_form("roster:department_create", MANAGE),
    *_page_and_form("roster:department_update", MANAGE, kwargs=_department),
    Case("roster:team_list", VIEW),
    Case("roster:team_detail", VIEW, kwargs=_team),
    *_page_and_form("roster:team_create", MANAGE),
    *_page_and_form("roster:team_update", MANAGE, kwargs=_team),
    Case("roster:staff_list", VIEW),
    Case("roster:staff_detail", VIEW, kwargs=_staff),
    *_page_and_form("roster:staff_create", MANAGE),
    *_page_and_form("roster:staff_update", MANAGE, kwargs=_staff),
    *_page_and_form("roster:staff_deactivate", MANAGE, kwargs=_staff),
    # The staff member is active, so the service refuses and the page redirects with a message.
    Case("roster:staff_reactivate", MANAGE, kwargs=_staff, method="post", ok_status=302),
    *_page_and_form("roster:staff_account", MANAGE, kwargs=_staff),
    *_page_and_form("roster:staff_password", ADMIN, kwargs=_staff_with_account),
    Case("roster:leadership", VIEW),
    *_page_and_form("roster:leadership_add", MANAGE),
    *_page_and_form("roster:leadership_end", MANAGE, kwargs=_leadership_seat),
    Case("roster:office", VIEW),
    *_page_and_form("roster:office_add", MANAGE),
    *_page_and_form("roster:office_end", MANAGE, kwargs=_office_seat),
    Case("roster:supervisor_list", VIEW),
    Case("roster:supervisor_detail", VIEW, kwargs=_supervisor),
    *_page_and_form("roster:supervisor_create", MANAGE),
    *_page_and_form("roster:supervisor_update", MANAGE, kwargs=_supervisor),
    *_page_and_form("roster:supervisor_deactivate", MANAGE, kwargs=_supervisor),
    *_page_and_form("roster:supervisor_account", MANAGE, kwargs=_supervisor),
    *_page_and_form("roster:supervisor_password", ADMIN, kwargs=_supervisor),
    Case("roster:shift_list", VIEW),
    *_page_and_form("roster:shift_create", MANAGE),
    *_page_and_form("roster:shift_update", MANAGE, kwargs=_shift),
    *_page_and_form("roster:import", MANAGE),
    Case("roster:import_template", MANAGE),
    Case("roster:export", VIEW),
]
