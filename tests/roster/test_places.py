"""Lanes (车道) and booths (收费亭): the office adds, edits and closes them in the roster section
and in the roster's Excel file; inspections and complaints name them."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.roster.factories import DepartmentFactory, StationFactory, user_with_role
from tollservice.audit.selectors import history_for
from tollservice.core.errors import DomainError
from tollservice.core.exports import XLSX_CONTENT_TYPE
from tollservice.roster import services
from tollservice.roster.models import Booth, Lane

pytestmark = pytest.mark.django_db


@pytest.fixture
def station(db):
    station = StationFactory()
    DepartmentFactory(station=station, name="征费室")
    return station


@pytest.fixture
def office(client):
    user = user_with_role("office")
    client.force_login(user)
    return user


def test_lanes_are_numbered_once_per_station_and_a_booth_serves_an_open_lane(station, office):
    lane = services.lane_create(actor=office, station=station, number="3", direction="entry", kind="manual")
    assert str(lane) == "3 · 入口" and history_for(lane).exists()
    with pytest.raises(DomainError, match="3号车道已存在"):
        services.lane_create(actor=office, station=station, number=" 3 ", direction="exit")
    with pytest.raises(DomainError):
        services.lane_create(actor=office, station=station, number="4", direction="sideways")
    booth = services.booth_create(actor=office, station=station, number="3号亭", lane=lane)
    services.lane_update(
        actor=office, lane=lane, number="3", direction="entry", kind="manual", heading="", order=0, active=False
    )
    lane.refresh_from_db()
    with pytest.raises(DomainError, match="已停用"):
        services.booth_create(actor=office, station=station, number="3A号亭", lane=lane)
    booth.refresh_from_db()
    assert booth.lane == lane  # a booth keeps its (now closed) lane


def test_the_office_adds_and_closes_lanes_and_booths_in_the_roster(client, station, office):
    page = client.get(reverse("roster:lane_list"))
    assert page.status_code == 200 and "车道和收费亭" in page.content.decode()
    response = client.post(
        reverse("roster:lane_create"), {"number": "7", "direction": "exit", "kind": "mixed", "order": 70}
    )
    assert response.status_code == 302
    lane = Lane.objects.get(number="7")
    client.post(reverse("roster:booth_create"), {"number": "7号亭", "lane": lane.pk})
    booth = Booth.objects.get(number="7号亭")
    listed = client.get(reverse("roster:lane_list")).content.decode()
    assert "7号亭" in listed and "出口" in listed
    response = client.post(
        reverse("roster:lane_update", args=[lane.pk]),
        {"number": "7", "direction": "exit", "kind": "mixed", "order": 70, "active": ""},
    )
    assert response.status_code == 302
    lane.refresh_from_db()
    assert not lane.active
    assert lane not in client.get(reverse("roster:lane_list")).context["page_obj"]  # open ones by default
    assert lane in client.get(reverse("roster:lane_list"), {"status": "former"}).context["page_obj"]
    assert booth in client.get(reverse("roster:lane_list"), {"status": "all"}).context["page_obj"][0].booths.all()
    # A duplicate number comes back as an error on the field, with what was typed.
    again = client.post(reverse("roster:lane_create"), {"number": "7", "direction": "entry", "kind": "etc", "order": 0})
    assert again.status_code == 200 and "7号车道已存在" in again.content.decode()


def _export(client) -> Workbook:
    return load_workbook(BytesIO(b"".join(client.get(reverse("roster:export")).streaming_content)))


def _upload(workbook: Workbook) -> SimpleUploadedFile:
    output = BytesIO()
    workbook.save(output)
    return SimpleUploadedFile("roster.xlsx", output.getvalue(), content_type=XLSX_CONTENT_TYPE)


def test_the_roster_export_lists_lanes_and_booths_and_an_edited_file_imports_them(client, station, office):
    lane = services.lane_create(actor=office, station=station, number="1", direction="entry", kind="etc")
    services.booth_create(actor=office, station=station, number="1号亭", lane=lane)
    workbook = _export(client)
    lanes, booths = workbook["车道"], workbook["收费亭"]
    assert list(lanes.iter_rows(values_only=True))[:2] == [
        ("车道号", "出入口", "类型", "行驶方向", "显示顺序", "启用"),
        ("1", "入口", "ETC", None, 0, "是"),
    ]
    assert list(booths.iter_rows(values_only=True))[1] == ("1号亭", "1", "是")

    # Edited: lane 1 closed, lane 2 added (as an exit, written in Chinese), a booth at lane 2.
    workbook.active.append(["CT0001", "王伟", "收费员", "征费室", "", "", "", "是"])
    for row in lanes.iter_rows(min_row=2):
        row[5].value = "否"
    lanes.append(["2", "出口", "人工", "", 20, "是"])
    booths.append(["2号亭", "2", ""])
    response = client.post(reverse("roster:import"), {"file": _upload(workbook)})
    assert response.status_code == 302, response.context and [str(p) for p in response.context["problems"]]
    assert not Lane.objects.get(number="1").active
    lane2 = Lane.objects.get(number="2")
    assert (lane2.direction, lane2.kind, lane2.order) == ("exit", "manual", 20)
    assert Booth.objects.get(number="2号亭").lane == lane2


def test_a_lanes_sheet_with_mistakes_imports_nothing_and_says_where(client, station, office):
    workbook = Workbook()
    workbook.active.append(["工号", "姓名", "部门"])
    workbook.active.append(["CT0002", "王五", "征费室"])
    lanes = workbook.create_sheet("车道")
    lanes.append(["车道号", "出入口"])
    lanes.append(["5", "上面"])
    booths = workbook.create_sheet("收费亭")
    booths.append(["收费亭编号", "车道"])
    booths.append(["9号亭", "9"])
    response = client.post(reverse("roster:import"), {"file": _upload(workbook)})
    assert response.status_code == 200
    problems = [str(p) for p in response.context["problems"]]
    assert any("工作表“车道”第2行" in p and "入口或出口" in p for p in problems), problems
    assert not Lane.objects.exists()

    lanes["B2"] = "入口"
    response = client.post(reverse("roster:import"), {"file": _upload(workbook)})
    assert any("9号车道不存在" in str(p) for p in response.context["problems"])
    assert not Lane.objects.exists() and not Booth.objects.exists()  # all or nothing
