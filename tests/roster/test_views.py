import datetime

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.urls import reverse
from django.utils import timezone

from tests.query_budget import assert_constant_queries, get_rows, panel_rows
from tests.roster.factories import (
    DepartmentFactory,
    LeadershipMembershipFactory,
    OfficeMembershipFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    StationFactory,
    SupervisorFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.access.roles import Role, roles_for
from tollservice.audit.selectors import history_for
from tollservice.audit.services import audit_record
from tollservice.roster import panels
from tollservice.roster.models import (
    Department,
    LeadershipMembership,
    OfficeMembership,
    ShiftLeaderAssignment,
    Staff,
    Supervisor,
)

pytestmark = pytest.mark.django_db

SHIFTS = [ShiftLeaderAssignment.Shift.NIGHT, ShiftLeaderAssignment.Shift.DAY, ShiftLeaderAssignment.Shift.MIDDLE]


@pytest.fixture
def office_client(client):
    client.force_login(user_with_role("office"))
    return client


@pytest.fixture
def toll_office(db):
    return DepartmentFactory(station=StationFactory(), name="征费室", kind=Department.Kind.TOLL_OFFICE)


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _a_busy_roster(toll_office, *, people=6, call=0):
    """Rows of every kind, so that a query per row would show in the budgets: a department, three
    teams, ``people`` staff (two of them in the leadership group, two in the office), shift leaders
    in the week ahead and two supervisors. Call it again with the next ``call`` to grow every list."""
    today = timezone.localdate()
    station = toll_office.station
    DepartmentFactory(station=station, name=f"监控室{call}", kind=Department.Kind.OTHER)
    teams = TeamFactory.create_batch(3, department=toll_office, station=station)
    for index in range(people):
        staff = StaffFactory(department=toll_office, team=teams[index % 3], user=UserFactory())
        if index < 2:
            LeadershipMembershipFactory(staff=staff)
        elif index < 4:
            OfficeMembershipFactory(staff=staff)
        if call == 0 and index < 3:  # today's three shifts
            ShiftLeaderAssignmentFactory(staff=staff, team=teams[index], date=today, shift=SHIFTS[index])
        if index < 7:  # the shift list shows a week either side of today: one more shift a day per call
            day = today + datetime.timedelta(days=index + 1)
            ShiftLeaderAssignmentFactory(staff=staff, date=day, shift=SHIFTS[call])
    for team in teams:
        # No seat in the group or office: just a team leader.
        team.leader = StaffFactory(department=toll_office, team=team, user=UserFactory())
        team.save()
    SupervisorFactory.create_batch(2)
    return teams


# Query budgets: a page's cost must not grow with its rows ------------------------------------------


OVERVIEW = ("departments", "teams", "leadership", "office", "supervisors")


def _counted(*keys):
    """How many rows a page lists under ``keys`` of its context."""
    return lambda response: _sizes(response.context, keys)


def _sizes(context, keys) -> int:
    return sum(len(context[key]) for key in keys)


def test_lists_have_a_query_budget(office_client, toll_office):
    _a_busy_roster(toll_office)
    everything = {"status": "all"}
    pages = {
        "index": get_rows(office_client, reverse("roster:index"), rows=_counted(*OVERVIEW)),
        "departments": get_rows(office_client, reverse("roster:department_list"), everything),
        "teams": get_rows(office_client, reverse("roster:team_list"), everything),
        "staff": get_rows(office_client, reverse("roster:staff_list"), everything),
        "leadership": get_rows(office_client, reverse("roster:leadership")),
        "office": get_rows(office_client, reverse("roster:office")),
        "supervisors": get_rows(office_client, reverse("roster:supervisor_list"), everything),
        "shifts": get_rows(office_client, reverse("roster:shift_list")),
        "export": get_rows(office_client, reverse("roster:export"), everything),
    }
    assert_constant_queries(pages, grow=lambda: _a_busy_roster(toll_office, people=12, call=1), max_queries=16)


def test_detail_pages_have_a_query_budget(office_client, toll_office):
    teams = _a_busy_roster(toll_office)
    staff, supervisor = teams[0].members.first(), Supervisor.objects.first()

    def grow():
        for index in range(10):  # a long history must not cost a query per entry
            for instance in (staff, supervisor):
                audit_record(
                    actor=UserFactory(),
                    instance=instance,
                    action="update",
                    before={"position": "a"},
                    after={"position": str(index)},
                )
        StaffFactory.create_batch(3, department=toll_office, team=teams[0])
        TeamFactory(department=toll_office, station=toll_office.station)

    pages = {
        "staff": get_rows(office_client, staff.get_absolute_url(), rows=_counted("history")),
        "team": get_rows(office_client, teams[0].get_absolute_url(), rows=_counted("members", "history")),
        "department": get_rows(office_client, toll_office.get_absolute_url(), rows=_counted("teams", "staff")),
        "supervisor": get_rows(office_client, supervisor.get_absolute_url(), rows=_counted("history")),
    }
    assert_constant_queries(pages, grow=grow, max_queries=17)


def test_the_dashboard_panels_have_a_query_budget(rf, client, toll_office):
    teams = _a_busy_roster(toll_office)
    office, leader = user_with_role("office"), teams[0].leader.user

    def grow():
        _a_busy_roster(toll_office, people=12, call=1)
        StaffFactory.create_batch(3, department=toll_office, team=teams[0])

    assert_constant_queries(
        {
            "overview": panel_rows(rf, office, panels.roster_overview, lambda panel: _sizes(panel, OVERVIEW)),
            "my team": panel_rows(rf, leader, panels.my_team, lambda panel: len(panel["teams"][0].active_members)),
        },
        grow=grow,
        max_queries=8,
    )

    client.force_login(office)
    assert 'id="panel-roster"' in client.get(reverse("dashboard:home")).content.decode()
    client.force_login(leader)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="panel-my-team"' in page and 'id="panel-roster"' not in page
    assert all(member.name in page for member in teams[0].members.all())
    assert teams[1].members.exclude(pk=teams[1].leader_id).first().name not in page


# Staff ---------------------------------------------------------------------------------------


def test_office_adds_a_staff_member_and_sees_them_listed(office_client, toll_office):
    team = TeamFactory(department=toll_office)
    response = office_client.post(
        reverse("roster:staff_create"),
        {
            "employee_number": "CT0500",
            "name": "赵雪",
            "position": "收费员",
            "department": toll_office.pk,
            "team": team.pk,
            "phone": "13912345678",
            "email": "",
        },
    )
    staff = Staff.objects.get(employee_number="CT0500")
    assert response.status_code == 302 and response["Location"] == staff.get_absolute_url()
    assert "赵雪" in office_client.get(reverse("roster:staff_list")).content.decode()
    assert history_for(staff).get().actor is not None


def test_a_refused_form_keeps_what_the_user_typed(office_client, toll_office, station):
    finance = DepartmentFactory(station=station, name="财务室", kind=Department.Kind.FINANCE)
    team = TeamFactory(department=toll_office)
    response = office_client.post(
        reverse("roster:staff_create"),
        {"employee_number": "CT0501", "name": "钱多多", "department": finance.pk, "team": team.pk},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="钱多多"' in page and 'value="CT0501"' in page
    assert response.context["form"].errors["team"]
    assert not Staff.objects.filter(employee_number="CT0501").exists()


def test_deactivating_a_staff_member_stops_their_sign_in(office_client, toll_office):
    user = UserFactory()
    staff = StaffFactory(department=toll_office, user=user)
    response = office_client.post(reverse("roster:staff_deactivate", args=[staff.pk]), {"left_on": "2024-05-31"})
    assert response.status_code == 302
    staff.refresh_from_db()
    user.refresh_from_db()
    assert not staff.active and not user.is_active
    assert ModelBackend().authenticate(None, username=user.username, password="test-pass-2026") is None
    page = office_client.get(staff.get_absolute_url()).content.decode()
    assert "2024-05-31" in page and reverse("roster:staff_reactivate", args=[staff.pk]) in page
    response = office_client.post(reverse("roster:staff_reactivate", args=[staff.pk]))
    staff.refresh_from_db()
    assert response.status_code == 302 and staff.active


def test_the_staff_list_shows_current_staff_unless_asked(office_client, toll_office):
    StaffFactory(department=toll_office, name="在职者")
    StaffFactory(department=toll_office, name="离职者", active=False, left_on=datetime.date(2024, 1, 1))
    current = office_client.get(reverse("roster:staff_list")).content.decode()
    former = office_client.get(reverse("roster:staff_list"), {"status": "former"}).content.decode()
    assert "在职者" in current and "离职者" not in current
    assert "离职者" in former and "在职者" not in former
    assert "在职者" in office_client.get(reverse("roster:staff_list"), {"q": "在职"}).content.decode()


def test_staff_history_shows_before_and_after_in_the_readers_language(office_client, toll_office):
    staff = StaffFactory(department=toll_office, position="收费员")
    office_client.post(
        reverse("roster:staff_update", args=[staff.pk]),
        {
            "employee_number": staff.employee_number,
            "name": staff.name,
            "position": "副班长",
            "department": toll_office.pk,
        },
    )
    page = english(office_client).get(staff.get_absolute_url()).content.decode()
    assert 'id="history"' in page
    assert "Position" in page and "收费员" in page and "副班长" in page


def test_leadership_can_read_but_not_change_the_roster(client, toll_office):
    staff = StaffFactory(department=toll_office)
    client.force_login(user_with_role("leadership"))
    page = client.get(staff.get_absolute_url()).content.decode()
    assert reverse("roster:staff_update", args=[staff.pk]) not in page
    assert client.get(reverse("roster:staff_update", args=[staff.pk])).status_code == 403


# Accounts ------------------------------------------------------------------------------------


def test_office_creates_an_account_and_the_person_chooses_the_password(
    office_client, toll_office, mailoutbox, django_capture_on_commit_callbacks
):
    staff = StaffFactory(department=toll_office, email="newbie@station.invalid")
    url = reverse("roster:staff_account", args=[staff.pk])
    form = office_client.get(url).context["form"]
    assert set(form.fields) == {"username"}  # the office chooses no password
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(
            url, {"username": "newbie", "password1": "toll-booth-2026", "password2": "toll-booth-2026"}
        )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.user.username == "newbie" and not staff.user.has_usable_password()
    (email,) = mailoutbox
    assert email.to == ["newbie@station.invalid"] and "newbie" in email.body

    # Now that it exists, the office is shown no way to reset its password.
    page = office_client.get(staff.get_absolute_url()).content.decode()
    assert reverse("roster:staff_password", args=[staff.pk]) not in page


def test_a_supervisor_account_gives_the_supervisor_role(office_client):
    supervisor = SupervisorFactory(term_start=datetime.date(2020, 1, 1), email="jd01@station.invalid")
    office_client.post(
        reverse("roster:supervisor_account", args=[supervisor.pk]),
        {"username": "jd01", "password1": "open-visit-2026", "password2": "open-visit-2026"},
    )
    supervisor.refresh_from_db()
    assert Role.SUPERVISOR in roles_for(supervisor.user)


# Teams, groups, supervisors, shifts ------------------------------------------------------------


def test_office_edits_a_team(office_client, toll_office):
    team = TeamFactory(department=toll_office, name="收费一班")
    leader = StaffFactory(department=toll_office)
    response = office_client.post(
        reverse("roster:team_update", args=[team.pk]),
        {"name": "收费一班", "department": toll_office.pk, "leader_pk": leader.pk, "active": "on"},
    )
    assert response.status_code == 302
    team.refresh_from_db()
    leader.refresh_from_db()
    assert team.leader == leader and leader.team == team
    page = office_client.get(team.get_absolute_url()).content.decode()
    assert leader.name in page and 'id="history"' in page


def test_leadership_page_shows_the_current_group_and_its_history(office_client, toll_office):
    # ORG-1
    old = StaffFactory(department=toll_office, name="老组长")
    new = StaffFactory(department=toll_office, name="新组长")
    LeadershipMembershipFactory(staff=old, role=LeadershipMembership.Role.LEADER, end_date=datetime.date(2023, 12, 31))
    response = office_client.post(
        reverse("roster:leadership_add"), {"staff_pk": new.pk, "role": "leader", "start_date": "2024-01-01"}
    )
    assert response.status_code == 302
    response = office_client.get(reverse("roster:leadership"))
    current = [seat.staff for seat in response.context["current"]]
    assert current == [new]
    assert {seat.staff for seat in response.context["page_obj"]} == {old, new}
    on_old_date = office_client.get(reverse("roster:leadership"), {"on": "2023-06-01"}).context["current"]
    assert [seat.staff for seat in on_old_date] == [old]


def test_ending_a_seat_through_the_page(office_client, toll_office):
    seat = LeadershipMembershipFactory(staff=StaffFactory(department=toll_office))
    office_client.post(reverse("roster:leadership_end", args=[seat.pk]), {"end_date": "2024-06-30"})
    seat.refresh_from_db()
    assert seat.end_date == datetime.date(2024, 6, 30)


def test_the_office_page_shows_where_it_is_seated_and_the_concurrent_director(office_client, toll_office):
    # ORG-2
    director = StaffFactory(department=toll_office, name="征费室主任甲")
    office_client.post(
        reverse("roster:office_add"),
        {"staff_pk": director.pk, "role": "director", "concurrent": "on", "start_date": "2023-08-01"},
    )
    assert OfficeMembership.objects.get(staff=director).concurrent
    page = english(office_client).get(reverse("roster:office")).content.decode()
    assert "Seated in 征费室" in page
    assert "征费室主任甲" in page and "concurrent" in page


def test_supervisor_pages(office_client):
    # ORG-6
    response = office_client.post(
        reverse("roster:supervisor_create"),
        {
            "name": "吴明",
            "organisation": "交通广播",
            "pass_number": "JD-9",
            "term_start": "2024-01-01",
            "term_end": "2023-01-01",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors["term_end"]
    response = office_client.post(
        reverse("roster:supervisor_create"),
        {"name": "吴明", "organisation": "交通广播", "pass_number": "JD-9", "term_start": "2024-01-01"},
    )
    supervisor = Supervisor.objects.get(pass_number="JD-9")
    assert response["Location"] == supervisor.get_absolute_url()
    office_client.post(reverse("roster:supervisor_deactivate", args=[supervisor.pk]), {"term_end": "2024-12-31"})
    supervisor.refresh_from_db()
    assert not supervisor.active
    assert "吴明" in office_client.get(reverse("roster:supervisor_list"), {"status": "former"}).content.decode()


def test_a_taken_shift_gives_a_clear_error(office_client, toll_office):
    # ORG-5: one shift leader per date and shift.
    holder = StaffFactory(department=toll_office, name="当班甲")
    other = StaffFactory(department=toll_office)
    ShiftLeaderAssignmentFactory(staff=holder, date=datetime.date(2024, 5, 1), shift="day")
    response = english(office_client).post(
        reverse("roster:shift_create"), {"date": "2024-05-01", "shift": "day", "staff_pk": other.pk}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["shift"]
    assert errors == ["当班甲 is already shift leader for the Day shift on 2024-05-01."]
    assert (
        office_client.post(
            reverse("roster:shift_create"), {"date": "2024-05-01", "shift": "night", "staff_pk": other.pk}
        ).status_code
        == 302
    )
    assert ShiftLeaderAssignment.objects.count() == 2


def test_the_shift_list_filters_by_date_range(office_client, toll_office):
    staff = StaffFactory(department=toll_office)
    ShiftLeaderAssignmentFactory(staff=staff, date=datetime.date(2024, 5, 1))
    ShiftLeaderAssignmentFactory(staff=staff, date=datetime.date(2024, 6, 1))
    response = office_client.get(reverse("roster:shift_list"), {"date_from": "2024-04-01", "date_to": "2024-05-15"})
    assert [a.date for a in response.context["page_obj"]] == [datetime.date(2024, 5, 1)]


def test_station_and_departments_are_edited_in_the_browser(office_client, toll_office):
    station = toll_office.station
    office_client.post(reverse("roster:station_edit"), {"name": station.name, "address": "南昌", "hotline": "12122"})
    station.refresh_from_db()
    assert station.hotline == "12122"
    response = office_client.post(reverse("roster:department_create"), {"name": "财务室", "kind": "finance"})
    assert response.status_code == 302
    clash = office_client.post(reverse("roster:department_create"), {"name": "征费室", "kind": "other"})
    assert clash.status_code == 200 and clash.context["form"].errors["name"]


def test_the_navigation_offers_the_roster_to_roles_that_read_it(client, toll_office):
    client.force_login(user_with_role("leadership"))
    assert reverse("roster:index") in client.get(reverse("dashboard:home")).content.decode()
    client.force_login(user_with_role("staff"))
    assert reverse("roster:index") not in client.get(reverse("dashboard:home")).content.decode()


def test_the_shift_list_shows_the_shifts_nobody_leads_with_a_link_to_assign_one(office_client, toll_office):
    # ORG-5 / CMP-3
    staff = StaffFactory(department=toll_office)
    day = datetime.date(2026, 12, 1)
    for shift in (ShiftLeaderAssignment.Shift.NIGHT, ShiftLeaderAssignment.Shift.DAY):
        ShiftLeaderAssignmentFactory(staff=staff, date=day, shift=shift)
    response = office_client.get(reverse("roster:shift_list"), {"date_from": "2026-12-01", "date_to": "2026-12-01"})
    assert [(date, shift) for date, shift, _ in response.context["gaps"]] == [(day, ShiftLeaderAssignment.Shift.MIDDLE)]
    page = response.content.decode()
    assert 'id="shift-gaps"' in page
    assert f"{reverse('roster:shift_create')}?date=2026-12-01&amp;shift=middle" in page
    form = office_client.get(reverse("roster:shift_create"), {"date": "2026-12-01", "shift": "middle"}).context["form"]
    assert (form.initial["date"], form.initial["shift"]) == ("2026-12-01", "middle")
    # A team filter shows that team's shifts, and no station-wide gaps.
    team = TeamFactory(department=toll_office)
    filtered = office_client.get(
        reverse("roster:shift_list"), {"date_from": "2026-12-01", "date_to": "2026-12-01", "team": team.pk}
    )
    assert filtered.status_code == 200 and filtered.context["gaps"] == []
