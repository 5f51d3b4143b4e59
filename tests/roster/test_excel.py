from io import BytesIO

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.roster.factories import (
    DepartmentFactory,
    StaffFactory,
    StationFactory,
    TeamFactory,
    UserFactory,
    user_with_role,
)
from tollservice.audit.selectors import history_for
from tollservice.core.exports import XLSX_CONTENT_TYPE
from tollservice.roster import excel
from tollservice.roster.models import Department, Staff

pytestmark = pytest.mark.django_db

ENGLISH_HEADER = ["Employee number", "Name", "Position", "Department", "Team", "Phone", "Email", "Active"]
CHINESE_HEADER = ["工号", "姓名", "职位", "部门", "班组", "电话", "邮箱", "在职"]


@pytest.fixture
def roster(db):
    station = StationFactory()
    toll = DepartmentFactory(station=station, name="征费室", kind=Department.Kind.TOLL_OFFICE)
    DepartmentFactory(station=station, name="财务室", kind=Department.Kind.FINANCE)
    team = TeamFactory(station=station, department=toll, name="收费一班")
    return {"station": station, "toll": toll, "team": team}


@pytest.fixture
def office_client(client):
    client.force_login(user_with_role("office"))
    return client


def xlsx(rows, *, header=CHINESE_HEADER, name="roster.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    output = BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type=XLSX_CONTENT_TYPE)


def imported():
    """Staff from the files (the signed-in office user has a roster entry too)."""
    return Staff.objects.filter(employee_number__startswith="CT")


def upload(client, file):
    return client.post(reverse("roster:import"), {"file": file})


def problems(response) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, str(p)) for p in response.context["problems"]]


GOOD_ROWS = [
    ["CT0001", "王伟", "收费员", "征费室", "收费一班", 13800000001, "", "是"],
    ["CT0002", "李娜", "会计", "财务室", "", "13800000002", "lina@station.invalid", ""],
    ["CT0003", "张敏", "收费员", "征费室", "收费一班", "", "", "是"],
]


def test_a_good_file_is_imported_and_the_message_counts_created_and_updated(office_client, roster):
    existing = StaffFactory(employee_number="CT0003", name="张敏", position="见习", department=roster["toll"])
    response = upload(office_client, xlsx(GOOD_ROWS))
    assert response.status_code == 302
    assert imported().count() == 3
    wang = Staff.objects.get(employee_number="CT0001")
    assert (wang.department, wang.team, wang.phone) == (roster["toll"], roster["team"], "13800000001")
    existing.refresh_from_db()
    assert existing.position == "收费员" and existing.team == roster["team"]
    assert history_for(existing).get().changes["position"] == ["见习", "收费员"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("2" in m and "1" in m for m in messages)


def test_the_success_message_in_english(office_client, roster):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    StaffFactory(
        employee_number="CT0003",
        name="张敏",
        position="收费员",
        department=roster["toll"],
        team=roster["team"],
        phone="",
    )
    response = upload(office_client, xlsx(GOOD_ROWS, header=ENGLISH_HEADER))
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Roster imported: 2 created, 0 updated, 1 unchanged."]


def test_one_bad_row_imports_nothing_and_names_the_row_column_and_reason(office_client, roster):
    rows = [*GOOD_ROWS[:2], ["CT0004", "赵雪", "收费员", "XX", "", "", "", "是"], GOOD_ROWS[2]]
    response = upload(office_client, xlsx(rows))
    assert response.status_code == 200
    assert imported().count() == 0  # all or nothing
    # Chinese is the default language: the row (4: the header is row 1) and the column are marked up.
    [(row, column, _text)] = problems(response)
    assert (row, column) == (4, "department")
    page = response.content.decode()
    assert 'data-row="4" data-column="department"' in page and "XX" in page


def test_the_problem_reads_in_english_when_the_user_reads_english(office_client, roster):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [GOOD_ROWS[0], ["CT0004", "赵雪", "收费员", "XX", "", "", "", "是"]]
    response = upload(office_client, xlsx(rows))
    assert problems(response) == [(3, "department", "Row 3, “Department”: department “XX” does not exist.")]
    assert "Row 3, “Department”: department “XX” does not exist." in response.content.decode()
    assert not imported().exists()


def test_every_bad_row_is_reported(office_client, roster):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    StaffFactory(employee_number="CT0009", department=roster["toll"])
    rows = [
        ["CT0001", "", "收费员", "征费室", "", "", "", ""],  # no name
        ["CT0002", "李娜", "", "财务室", "收费一班", "", "not-an-email", "maybe"],  # team of another department
        ["CT0001", "重复", "", "征费室", "", "", "", ""],  # same employee number as row 2
    ]
    response = upload(office_client, xlsx(rows))
    assert [(row, column) for row, column, _ in problems(response)] == [
        (2, "name"),
        (3, "email"),
        (3, "team"),
        (3, "active"),
        (4, "employee_number"),
    ]
    assert "already in row 2" in problems(response)[-1][2]


def test_a_service_rule_refusal_is_reported_by_row(office_client, roster):
    # The services check the rules a file cannot see, e.g. a team leader stays in their team (ORG-5).
    leader = StaffFactory(employee_number="CT0001", department=roster["toll"], team=roster["team"])
    roster["team"].leader = leader
    roster["team"].save()
    other = TeamFactory(station=roster["station"], department=roster["toll"], name="收费二班")
    response = upload(
        office_client, xlsx([["CT0001", leader.name, "", "征费室", other.name, "", "", ""], GOOD_ROWS[1]])
    )
    assert [(row, column) for row, column, _ in problems(response)] == [(2, "team")]
    assert imported().count() == 1


def test_non_xlsx_and_oversized_files_are_refused(office_client, roster, monkeypatch):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(office_client, SimpleUploadedFile("roster.csv", b"a,b\n1,2\n"))
    assert "Only Excel workbooks (.xlsx)" in problems(response)[0][2]
    response = upload(office_client, SimpleUploadedFile("roster.xlsx", b"not really a workbook"))
    assert "could not be read" in problems(response)[0][2]
    monkeypatch.setattr(excel, "MAX_IMPORT_BYTES", 100)
    response = upload(office_client, xlsx(GOOD_ROWS))
    assert "files up to 100" in problems(response)[0][2]
    assert not imported().exists()


def test_header_problems_are_reported(office_client, roster):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(office_client, xlsx([["CT0001", "王伟"]], header=["工号", "姓名", "备注"]))
    reported = problems(response)
    assert (1, None) in [(row, column) for row, column, _ in reported]  # 备注 is not a known column
    assert (1, "department") in [(row, column) for row, column, _ in reported]  # a required column is missing


def test_headers_in_either_language_and_partial_columns(roster):
    # Columns left out are not changed; headers may mix languages and carry a required marker.
    rows = excel._read_rows(iter([(" 工号* ", "Name", "部门"), ("CT0001", "王伟", "征费室"), (None, None, None)]))
    assert [(r.number, r.values) for r in rows] == [
        (2, {"employee_number": "CT0001", "name": "王伟", "department": "征费室"})
    ]


def test_deactivating_through_the_file_disables_the_account(office_client, roster):
    user = UserFactory()
    person = StaffFactory(employee_number="CT0001", name="王伟", department=roster["toll"], user=user)
    response = upload(office_client, xlsx([["CT0001", "王伟", person.position, "征费室", "", person.phone, "", "否"]]))
    assert response.status_code == 302
    person.refresh_from_db()
    user.refresh_from_db()
    assert not person.active and person.left_on == timezone.localdate()
    assert not user.is_active


def test_the_template_has_the_header_instructions_and_lists(office_client, roster):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = office_client.get(reverse("roster:import_template"))
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    workbook = load_workbook(BytesIO(response.content))
    data, lists, instructions = workbook.worksheets
    assert [cell.value for cell in data[1]] == ENGLISH_HEADER
    assert data.max_row == 1  # no example row that could be imported by mistake
    assert {lists.cell(row=r, column=1).value for r in (2, 3)} == {"征费室", "财务室"}
    texts = [row[0] for row in instructions.iter_rows(values_only=True)]
    assert any("employee number" in (text or "") for text in texts)


def test_the_export_reimports_unchanged(office_client, roster):
    # Its query budget is measured with the lists' (tests/roster/test_views.py).
    for index in range(40):
        StaffFactory(
            employee_number=f"CT{index:04d}", department=roster["toll"], team=roster["team"] if index % 2 else None
        )
    response = office_client.get(reverse("roster:export"), {"status": "all"})
    content = b"".join(response.streaming_content)
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert sheet.max_row == 42  # the header, the 40 and the signed-in office user
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    again = upload(office_client, SimpleUploadedFile("export.xlsx", content))
    assert again.status_code == 302
    assert [str(m) for m in again.wsgi_request._messages] == ["Roster imported: 0 created, 0 updated, 41 unchanged."]
    assert imported().count() == 40


def test_the_export_follows_the_staff_list_filter(office_client, roster):
    StaffFactory(department=roster["toll"], name="在职者")
    StaffFactory(department=roster["toll"], name="离职者", active=False)
    content = b"".join(office_client.get(reverse("roster:export"), {"q": "职者"}).streaming_content)
    names = [row[1] for row in load_workbook(BytesIO(content)).worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert names == ["在职者"]


# Texts a spreadsheet would run as formulas (OWASP "CSV injection").
FORMULA_NAME = '=HYPERLINK("http://evil.invalid","点击")'


def test_the_export_writes_formula_like_texts_as_text_and_reimports_them_unchanged(office_client, roster):
    department = DepartmentFactory(station=roster["station"], name="@SUM(A1)", kind=Department.Kind.OTHER)
    team = TeamFactory(station=roster["station"], department=department, name="-收费九班")
    StaffFactory(
        employee_number="CT0100",
        name=FORMULA_NAME,
        position="+1",
        department=department,
        team=team,
        phone="+8613800000000",
        email="",
    )
    content = b"".join(office_client.get(reverse("roster:export"), {"status": "all"}).streaming_content)
    rows = {row[0]: row for row in load_workbook(BytesIO(content)).worksheets[0].iter_rows(min_row=2, values_only=True)}
    assert rows["CT0100"][1:6] == (FORMULA_NAME, "+1", "@SUM(A1)", "-收费九班", "+8613800000000")
    # The cells are text with Excel's quote prefix, not formulas.
    sheet = load_workbook(BytesIO(content)).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    person_row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "CT0100")
    assert all(cell.quotePrefix and cell.data_type == "s" for cell in person_row[1:6])

    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    again = upload(office_client, SimpleUploadedFile("export.xlsx", content))
    assert [str(m) for m in again.wsgi_request._messages] == ["Roster imported: 0 created, 0 updated, 2 unchanged."]
    person = Staff.objects.get(employee_number="CT0100")
    assert (person.name, person.phone, person.department, person.team) == (
        FORMULA_NAME,
        "+8613800000000",
        department,
        team,
    )


def test_the_templates_lists_write_formula_like_names_as_text(office_client, roster):
    DepartmentFactory(station=roster["station"], name="=1+1", kind=Department.Kind.OTHER)
    response = office_client.get(reverse("roster:import_template"))
    lists = load_workbook(BytesIO(response.content)).worksheets[1]
    cell = next(row[0] for row in lists.iter_rows(min_row=2) if row[0].value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix  # shown, and picked from the drop-down, as written
