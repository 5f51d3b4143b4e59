"""Phone numbers are phone numbers, every text has a limit, and Django's own messages read as
proper Chinese."""

from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from tests.roster.factories import DepartmentFactory, StaffFactory, user_with_role
from tollservice.core.exports import XLSX_CONTENT_TYPE
from tollservice.core.validators import validate_phone
from tollservice.roster.forms import DepartmentForm, StaffForm, StationForm, SupervisorForm

pytestmark = pytest.mark.django_db

PHONE_MESSAGE = "请输入电话号码"


@pytest.mark.parametrize(
    "number",
    ["13800000000", "0791-83751234", "+86 138 0000 0000", "0791-83751234 转 8001", "(0791) 8375-1234", "12345"],
)
def test_real_phone_numbers_are_accepted(number):
    validate_phone(number)


@pytest.mark.parametrize("number", ["abc", "1380000abcd", "138-", "0791--8375", "call me", "1234", "+"])
def test_letters_and_stray_signs_are_not_a_phone_number(number):
    with pytest.raises(ValidationError):
        validate_phone(number)


@pytest.mark.parametrize(
    ("form_class", "field"),
    [(StaffForm, "phone"), (SupervisorForm, "phone"), (DepartmentForm, "hotline"), (StationForm, "hotline")],
)
def test_every_phone_field_of_the_roster_refuses_letters_in_chinese(form_class, field):
    form = form_class({field: "0791-8375abcd"})
    assert not form.is_valid()
    assert PHONE_MESSAGE in form.errors[field][0] and "。" in form.errors[field][0]


def test_the_staff_form_refuses_a_phone_with_letters_and_keeps_what_was_typed(client):
    client.force_login(user_with_role("office"))
    department = DepartmentFactory()
    response = client.post(
        reverse("roster:staff_create"),
        {"employee_number": "CT0500", "name": "王五", "department": department.pk, "phone": "138abcd0000"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert PHONE_MESSAGE in page and 'value="138abcd0000"' in page


def test_the_import_refuses_a_phone_with_letters(client):
    client.force_login(user_with_role("office"))
    DepartmentFactory(name="征费室")
    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "部门", "电话"])
    workbook.active.append(["CT0600", "赵六", "征费室", "call me"])
    output = BytesIO()
    workbook.save(output)
    upload = SimpleUploadedFile("roster.xlsx", output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response = client.post(reverse("roster:import"), {"file": upload})
    assert response.status_code == 200
    assert [(p.row, p.column) for p in response.context["problems"]] == [(2, "phone")]


def test_a_too_long_name_is_refused_with_a_chinese_message_not_cut(client):
    client.force_login(user_with_role("office"))
    department = DepartmentFactory()
    name = "名" * 60
    response = client.post(
        reverse("roster:staff_create"), {"employee_number": "CT0700", "name": name, "department": department.pk}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "最多只能填写50个字（现在有60个）。" in page
    assert f'value="{name}"' in page and ' maxlength="' not in page


def test_the_staff_search_box_has_a_limit(client):
    client.force_login(user_with_role("office"))
    StaffFactory()
    response = client.get(reverse("roster:staff_list"), {"q": "x" * 500})
    assert response.context["filter"].form.errors["q"] == ["最多只能填写100个字（现在有500个）。"]


def test_sign_in_and_password_messages_read_as_chinese(client):
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong-pass"})
    assert "请输入正确的用户名和密码。注意两者都区分大小写。" in response.content.decode()
    client.force_login(user_with_role("office"))
    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "12345678", "new_password2": "87654321"},
    )
    page = response.content.decode()
    assert "原密码输入错误，请重新输入。" in page
    assert "两次输入的密码不一致。" in page
