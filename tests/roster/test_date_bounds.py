"""Every day typed on the roster's forms and filters (seats, terms, shifts, leaving) and on the
work calendar is refused outside the portal's calendar, kept on the form, and nothing is recorded
(``tests.date_bounds``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.date_bounds import EXTREME_DAYS, MESSAGES, assert_refused
from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    StaffFactory,
    StationFactory,
    SupervisorFactory,
    user_with_role,
)
from tollservice.audit.models import AuditEntry
from tollservice.core.calendar.models import CalendarDay
from tollservice.roster.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    toll_office = DepartmentFactory(station=StationFactory(), name="征费室", kind=Department.Kind.TOLL_OFFICE)
    return StaffFactory(department=toll_office, name="员工甲")


# (page, its object, the field, the rest of the form)
FORMS = [
    ("roster:staff_deactivate", lambda staff: staff, "left_on", lambda staff: {}),
    ("roster:leadership_add", None, "start_date", lambda staff: {"staff_pk": staff.pk, "role": "leader"}),
    ("roster:leadership_end", lambda staff: LeadershipMembershipFactory(staff=staff), "end_date", lambda staff: {}),
    ("roster:office_add", None, "start_date", lambda staff: {"staff_pk": staff.pk, "role": "director"}),
    ("roster:office_end", lambda staff: OfficeMembershipFactory(staff=staff), "end_date", lambda staff: {}),
    (
        "roster:supervisor_create",
        None,
        "term_start",
        lambda staff: {"name": "吴明", "organisation": "交通广播", "pass_number": "JD-9"},
    ),
    (
        "roster:supervisor_create",
        None,
        "term_end",
        lambda staff: {"name": "吴明", "organisation": "交通广播", "pass_number": "JD-9", "term_start": "2024-01-01"},
    ),
    ("roster:supervisor_deactivate", lambda staff: SupervisorFactory(), "term_end", lambda staff: {}),
    ("roster:shift_create", None, "date", lambda staff: {"shift": "day", "staff_pk": staff.pk}),
]


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize(("url_name", "build", "field", "data"), FORMS)
def test_a_day_typed_on_a_roster_form_is_in_the_calendar(client, staff, day, url_name, build, field, data):
    args = [build(staff).pk] if build else []
    entries = AuditEntry.objects.count()
    client.force_login(user_with_role("office"))
    response = client.post(reverse(url_name, args=args), {**data(staff), field: day})
    assert_refused(response, day, audit_entries=entries)


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_shift_list_filter_is_in_the_calendar(client, day, field):
    client.force_login(user_with_role("office"))
    response = client.get(reverse("roster:shift_list"), {field: day})
    html = response.content.decode()
    assert response.status_code == 200 and any(message in html for message in MESSAGES)
    assert f'value="{day}"' in html


@pytest.mark.parametrize("day", EXTREME_DAYS)
def test_a_work_calendar_day_is_in_the_calendar(client, day):
    days = CalendarDay.objects.count()  # the holidays the portal ships with
    client.force_login(user_with_role("office"))
    response = client.post(reverse("calendar:index"), {"date": day, "kind": "holiday", "name": "春节"})
    assert_refused(response, day, audit_entries=0)
    assert CalendarDay.objects.count() == days


@pytest.mark.parametrize("day", EXTREME_DAYS)
@pytest.mark.parametrize("url_name", ["roster:leadership", "roster:office"])
def test_a_seat_list_on_a_day_at_the_ends_of_the_calendar_is_shown(client, staff, day, url_name):
    LeadershipMembershipFactory(staff=staff)
    client.force_login(user_with_role("office"))
    assert client.get(reverse(url_name), {"on": day}).status_code == 200
