"""Teams are listed in the station's order (一班, 二班, 三班 …), not by their names' character
codes (一班, 三班, 二班 …); shifts as a day runs (night, day, middle)."""

import datetime
import importlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.roster.factories import (
    DepartmentFactory,
    ShiftLeaderAssignmentFactory,
    StaffFactory,
    StationFactory,
    TeamFactory,
    user_with_role,
)
from tollservice.core.exports import XLSX_CONTENT_TYPE
from tollservice.roster import selectors, services
from tollservice.roster.models import Department, ShiftLeaderAssignment, Team

pytestmark = pytest.mark.django_db

NAMES_IN_ORDER = ["收费一班", "收费二班", "收费三班"]


@pytest.fixture
def toll(db):
    return DepartmentFactory(station=StationFactory(), name="征费室", kind=Department.Kind.TOLL_OFFICE)


@pytest.fixture
def teams(toll):
    # Created in character-code order, which is not the station's.
    return {
        name: TeamFactory(station=toll.station, department=toll, name=name, display_order=order)
        for name, order in (("收费一班", 10), ("收费三班", 30), ("收费二班", 20))
    }


@pytest.fixture
def office_client(client):
    client.force_login(user_with_role("office"))
    return client


def _positions(page: str, names) -> list[str]:
    return sorted(names, key=page.index)


def test_the_team_list_and_choices_follow_the_display_order(office_client, teams, toll):
    assert sorted(NAMES_IN_ORDER) == ["收费一班", "收费三班", "收费二班"]  # what the names alone give
    page = office_client.get(reverse("roster:team_list")).content.decode()
    assert _positions(page, NAMES_IN_ORDER) == NAMES_IN_ORDER
    page = office_client.get(toll.get_absolute_url()).content.decode()
    assert _positions(page, NAMES_IN_ORDER) == NAMES_IN_ORDER
    staff_form = office_client.get(reverse("roster:staff_create")).context["form"]
    assert [team.name for team in staff_form.fields["team"].queryset] == NAMES_IN_ORDER
    staff_filter = office_client.get(reverse("roster:staff_list")).context["filter"]
    assert [team.name for team in staff_filter.form.fields["team"].queryset] == NAMES_IN_ORDER
    assert [team.name for team in Team.objects.all()] == NAMES_IN_ORDER


def test_the_other_modules_team_choices_follow_the_display_order(teams):
    # Found walking issue 8: the talk form listed 收费一班, 收费三班, 收费二班 (and the complaints'
    # intake form and filter did the same); every choice of a team follows the display order.
    from complaints.filters import _teams as complaint_filter_teams
    from complaints.forms.staff import RegisterForm
    from penalties.forms import EligibilityRevokeForm, TalkForm

    for form in (TalkForm(), EligibilityRevokeForm(), RegisterForm()):
        assert [team.name for team in form.fields["team"].queryset] == NAMES_IN_ORDER, form
    assert [team.name for team in complaint_filter_teams()] == NAMES_IN_ORDER


def test_booths_are_listed_by_their_numbers_as_numbers(toll):
    # Found walking issue 10: the inspection form listed 10号亭 before 2号亭.
    from inspections.forms.inspections import InspectionStartForm
    from tollservice.roster.models import Booth

    for number in ("10号亭", "2号亭", "3号亭"):
        Booth.objects.create(station=toll.station, number=number)
    in_order = ["2号亭", "3号亭", "10号亭"]
    assert [booth.number for booth in selectors.booth_list()] == in_order
    form = InspectionStartForm(user=user_with_role("office"))
    assert [booth.number for booth in form.fields["booth"].queryset] == in_order


def test_the_office_sets_the_display_order(office_client, teams, toll):
    team = teams["收费三班"]
    response = office_client.post(
        reverse("roster:team_update", args=[team.pk]),
        {"name": team.name, "department": toll.pk, "display_order": 5, "active": "on"},
    )
    assert response.status_code == 302
    assert [t.name for t in selectors.active_teams()] == ["收费三班", "收费一班", "收费二班"]


def test_a_new_team_goes_after_the_others_unless_told(office_client, teams, toll):
    assert services.team_create(actor=None, name="收费四班", department=toll).display_order == 40
    office_client.post(reverse("roster:team_create"), {"name": "收费五班", "department": toll.pk, "display_order": ""})
    assert Team.objects.get(name="收费五班").display_order == 50
    office_client.post(reverse("roster:team_create"), {"name": "机动班", "department": toll.pk, "display_order": 1})
    assert Team.objects.first().name == "机动班"


def test_existing_teams_are_numbered_by_the_number_in_their_name():
    migration = importlib.import_module("tollservice.roster.migrations.0003_team_display_order")
    names = ["收费十二班", "机动班", "收费三班", "收费十班", "收费一班", "收费2班", "收费二十一班"]
    ordered = sorted(names, key=lambda n: (migration._number_in(n) is None, migration._number_in(n) or 0, n))
    assert ordered == ["收费一班", "收费2班", "收费三班", "收费十班", "收费十二班", "收费二十一班", "机动班"]


def test_the_export_lists_the_teams_and_an_import_sets_their_order(office_client, teams):
    StaffFactory(employee_number="CT0001", department=teams["收费一班"].department, team=teams["收费一班"])
    workbook = load_workbook(BytesIO(b"".join(office_client.get(reverse("roster:export")).streaming_content)))
    team_sheet = workbook["班组"]
    rows = list(team_sheet.iter_rows(values_only=True))
    assert rows[0] == ("班组", "部门", "显示顺序")
    assert [row[0] for row in rows[1:]] == NAMES_IN_ORDER and [row[2] for row in rows[1:]] == [10, 20, 30]

    # Edited and imported again: 三班 first.
    for row in team_sheet.iter_rows(min_row=2):
        if row[0].value == "收费三班":
            row[2].value = 1
    output = BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("roster.xlsx", output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response = office_client.post(reverse("roster:import"), {"file": upload})
    assert response.status_code == 302, response.context and response.context.get("problems")
    assert [t.name for t in Team.objects.all()] == ["收费三班", "收费一班", "收费二班"]


def test_a_teams_sheet_with_an_unknown_team_or_a_bad_order_imports_nothing(office_client, teams):
    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "部门"])
    workbook.active.append(["CT0002", "王五", "征费室"])
    team_sheet = workbook.create_sheet("班组")
    team_sheet.append(["班组", "显示顺序"])
    team_sheet.append(["收费九班", 5])
    team_sheet.append(["收费一班", "第一"])
    output = BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("roster.xlsx", output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response = office_client.post(reverse("roster:import"), {"file": upload})
    assert response.status_code == 200
    assert "显示顺序必须是" in response.content.decode()
    assert Team.objects.get(name="收费一班").display_order == 10


def test_shifts_are_listed_as_the_day_runs(office_client):
    day = datetime.date(2024, 5, 1)
    Shift = ShiftLeaderAssignment.Shift
    for shift in (Shift.DAY, Shift.MIDDLE, Shift.NIGHT):
        ShiftLeaderAssignmentFactory(date=day, shift=shift)
    response = office_client.get(reverse("roster:shift_list"), {"date_from": "2024-05-01", "date_to": "2024-05-01"})
    assert [a.shift for a in response.context["page_obj"]] == [Shift.NIGHT, Shift.DAY, Shift.MIDDLE]
