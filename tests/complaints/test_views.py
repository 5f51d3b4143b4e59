"""The staff's complaint pages: the issue's "Done when" path through the screens (a driver's
web complaint, the same incident registered by phone, suggested and linked as a duplicate,
escalated, an upheld verdict with an apology, the PEN-3 proposal found on the penalties pages),
intake from every channel, the slip, buttons from the same checks as the services, the lists,
exports and the registration ledger in its column order, and their query budgets."""

from __future__ import annotations

import datetime
import io
import re

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import exports, panels, selectors, services
from complaints.models import Complaint, ComplaintEvent, PersonalDataAccess
from penalties.models import Penalty
from tests.complaints.conftest import png_upload
from tests.complaints.factories import answered, investigated, register, submit_online
from tests.query_budget import assert_constant_queries, get_rows, panel_rows


def _moment(delta_hours=2) -> str:
    return (timezone.localtime() - datetime.timedelta(hours=delta_hours)).strftime("%Y-%m-%dT%H:%M")


def _register_form(people, **overrides):
    data = {
        "channel": "phone",
        "received_at": "",
        "urgency": "normal",
        "category": "attitude",
        "description": "电话投诉：收费员态度恶劣，大声呵斥。",
        "remedy": "要求道歉",
        "incident_at": _moment(1),
        "lane": str(people.lane.pk),
        "team": "",
        "phone": "13912345678",
        "complainant_name": "李四",
        "plate": "赣A12345",
        "email": "",
        "duty_leader": "",
        "media_outlet": "",
        "media_date": "",
        "work_order_centre": "",
        "work_order_number": "",
        "work_order_deadline": "",
    }
    data.update(overrides)
    return data


def _follow(client, response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"])


def test_done_when_the_office_links_the_same_incident_escalates_upholds_and_proposes_pen3(
    client, people, private_media
):
    # CMP-1, CMP-3, CMP-4, CMP-8, CMP-9, PEN-3 — the "Done when", through the pages.
    web = Client().post(
        reverse("complaints:public_form"),
        {
            "category": "attitude",
            "description": "收费员态度恶劣，对我大声呵斥。",
            "incident_at": _moment(1),
            "lane": str(people.lane.pk),
            "plate": "赣A12345",
            "phone": "13912345678",
            "photos": [png_upload()],
        },
    )
    assert web.status_code == 200
    web_complaint = Complaint.objects.get()
    client.force_login(people.office)

    # The phone complaint about the same incident: the slip suggests the web one.
    slip = client.post(reverse("complaints:register"), _register_form(people, phone="13700001111"))
    assert slip.status_code == 200 and slip["Cache-Control"] == "no-store"
    html = slip.content.decode()
    assert 'id="access-code"' in html and 'id="duplicate-candidates"' in html and web_complaint.number in html
    phone_complaint = Complaint.objects.exclude(pk=web_complaint.pk).get()
    assert phone_complaint.first_responder == people.office  # CMP-8
    link_url = reverse("complaints:link", args=[phone_complaint.pk])
    assert f"{link_url}?primary={web_complaint.number}" in html

    page = _follow(client, client.post(link_url, {"primary": web_complaint.number, "reason": "同一事件"}))
    assert page.status_code == 200 and 'id="duplicate-of"' in page.content.decode()
    phone_complaint.refresh_from_db()
    assert phone_complaint.primary == web_complaint

    # The primary is escalated to the shift leader on duty at the incident's time (CMP-3).
    escalate = reverse("complaints:escalate", args=[web_complaint.pk])
    _follow(client, client.post(escalate, {"to_level": "", "reason": "司机仍不满意"}))
    web_complaint.refresh_from_db()
    assert web_complaint.escalated_to == people.shift_leader

    # The verdict (with the collector's own account first) and the apology (CMP-4).
    pk = web_complaint.pk
    _follow(client, client.post(reverse("complaints:subjects", args=[pk]), {"staff_pk": [people.collector.pk]}))
    _follow(
        client,
        client.post(
            reverse("complaints:statement", args=[pk]), {"staff_pk": people.collector.pk, "account": "语气急了"}
        ),
    )
    verdict = {
        "outcome": "upheld",
        "fault": "station",
        "findings": "调阅监控，属实。",
        "cctv_reference": "CAM-05",
        "lane": people.lane.pk,
        "shift_date": "",
        "shift": "",
        "staff_involved": [people.collector.pk],
        "staff_at_fault": [people.collector.pk],
    }
    _follow(client, client.post(reverse("complaints:verdict", args=[pk]), verdict))
    answer = client.post(reverse("complaints:answer", args=[pk]), {"reply": "已核实，向您致歉。"})
    assert answer.status_code == 200 and "致歉" in answer.content.decode()  # refused: the apology first
    apology = {
        "apologised_by_pk": people.collector.pk,
        "role": "person_concerned",
        "method": "phone",
        "apologised_at": "",
        "note": "",
    }
    _follow(client, client.post(reverse("complaints:apology", args=[pk]), apology))

    # PEN-3, found on the penalties pages, which link back to the complaint.
    proposal = client.post(
        reverse("complaints:penalty_propose", args=[pk]),
        {"staff": people.collector.pk, "fine": "200", "responsible_head": "", "description": ""},
    )
    penalty = Penalty.objects.get()
    assert proposal["Location"] == reverse("penalties:penalty_detail", args=[penalty.pk])
    assert penalty.rule == Penalty.Rule.COMPLAINT and penalty.source_object == web_complaint
    penalty_page = client.get(proposal["Location"]).content.decode()
    assert f'href="{web_complaint.get_absolute_url()}" id="penalty-source-complaint"' in penalty_page
    listed = client.get(reverse("penalties:penalty_list")).content.decode()
    assert people.collector.name in listed

    # The answer reaches both drivers.
    _follow(client, client.post(reverse("complaints:answer", args=[pk]), {"reply": "已核实，向您致歉。"}))
    phone_complaint.refresh_from_db()
    assert phone_complaint.status == Complaint.Status.ANSWERED
    assert phone_complaint.messages.filter(kind="answer").exists()


def test_the_penalty_page_shows_the_source_only_to_readers_who_may_see_the_complaint(client, people):
    # PEN-3: the link respects the complaint's scope.
    complaint = investigated(people, register(people).complaint)
    link = services.complaint_penalty_propose(
        complaint=complaint, proposed_by=people.office, staff=people.collector, fine_fen=20000
    )
    assert selectors.penalty_source_complaint(user=people.office, penalty=link.penalty) == complaint
    assert selectors.penalty_source_complaint(user=people.leader, penalty=link.penalty) is None  # a phone case
    client.force_login(people.leader)
    page = client.get(reverse("penalties:penalty_detail", args=[link.penalty.pk])).content.decode()
    assert "penalty-source-complaint" not in page and complaint.number in page


def test_the_penalty_form_says_when_the_verdict_names_nobody_at_fault(client, people):
    # PEN-3. Found walking issue 11: a verdict without anyone ticked as at fault left the form with an
    # empty list of people and no word of why.
    url = reverse(
        "complaints:penalty_propose", args=[investigated(people, register(people).complaint, at_fault=False).pk]
    )
    client.force_login(people.office)
    page = client.get(url)
    assert list(page.context["form"].fields["staff"].queryset) == []
    assert "核查结论未认定任何责任人" in page.content.decode()
    at_fault = investigated(people, register(people, phone="13900000001").complaint)
    page = client.get(reverse("complaints:penalty_propose", args=[at_fault.pk]))
    assert list(page.context["form"].fields["staff"].queryset) == [people.collector]
    assert "核查结论未认定任何责任人" not in page.content.decode()


def test_a_verdict_on_a_complaint_naming_nobody_types_the_staff_instead_of_ticking_everyone(client, people):
    # CMP-4. Before, a complaint without subjects offered a box to tick for every member of staff.
    complaint = register(people).complaint
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone", note="已联系司机")
    client.force_login(people.office)
    url = reverse("complaints:verdict", args=[complaint.pk])
    page = client.get(url).content.decode()
    assert people.other.name not in page and 'name="staff_involved"' in page and 'type="checkbox"' not in page
    verdict = {"outcome": "not_upheld", "fault": "driver", "findings": "调阅监控，不属实。", "cctv_reference": ""}
    verdict |= {"lane": people.lane.pk, "shift_date": "", "shift": "", "staff_at_fault": ""}
    response = client.post(url, verdict | {"staff_involved": people.other.employee_number})
    assert response.status_code == 302, response.context["form"].errors
    links = complaint.verdicts.get().staff_links.all()
    assert [(link.staff, link.at_fault) for link in links] == [(people.other, False)]


@pytest.mark.parametrize(
    "channel, extra",
    [
        ("letter", {"received_at": "EARLIER"}),
        ("in_person", {}),
        ("duty_leader", {"duty_leader_pk": "HEAD"}),  # a chooser: the id beside the search box
        ("media", {"media_outlet": "江西日报", "media_date": "TODAY"}),
        ("hotline", {"work_order_centre": "12328", "work_order_number": "GD-001", "work_order_deadline": "LATER"}),
    ],
)
def test_the_office_registers_from_every_channel(client, people, channel, extra):
    # CMP-9
    values = {
        "HEAD": str(people.head.pk),
        "EARLIER": _moment(0.5),
        "TODAY": timezone.localdate().isoformat(),
        "LATER": (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    }
    extra = {key: values.get(value, value) for key, value in extra.items()}
    client.force_login(people.office)
    response = client.post(reverse("complaints:register"), _register_form(people, channel=channel, **extra))
    assert response.status_code == 200 and 'id="complaint-slip"' in response.content.decode()
    assert Complaint.objects.get().channel == channel


def test_a_refused_registration_keeps_what_was_typed(client, people):
    client.force_login(people.office)
    response = client.post(reverse("complaints:register"), _register_form(people, channel="media"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "电话投诉：收费员态度恶劣" in html and "李四" in html
    assert not Complaint.objects.exists()


def test_check_for_duplicates_shows_suggestions_and_registers_nothing(client, people):
    # CMP-1
    earlier = submit_online(people, plate="赣A12345", phone="13912345678").complaint
    client.force_login(people.office)
    response = client.post(reverse("complaints:register"), {**_register_form(people), "check": "1"})
    assert earlier.number in response.content.decode()
    assert Complaint.objects.count() == 1
    live = client.get(reverse("complaints:duplicate_suggestions"), {"plate": "赣A12345", "incident_at": _moment(1)})
    assert earlier.number in live.json()["html"]


def test_the_slip_emails_the_code_when_an_address_is_given(
    client, people, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people.office)
    with_email = _register_form(people, email="driver@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("complaints:register"), with_email)
    code = re.search(r'id="access-code">([^<]+)<', response.content.decode()).group(1).strip()
    assert any(code in message.body for message in mailoutbox)


def test_buttons_follow_the_same_checks_as_the_services(client, people):
    complaint = register(people).complaint
    client.force_login(people.office)
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert 'id="action-answer"' in html and 'id="action-escalate"' in html and 'id="action-void"' in html
    client.force_login(people.team_leader.user)  # sees the team's complaint, does not handle it
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert 'id="action-answer"' not in html and 'id="action-escalate"' not in html
    assert client.get(reverse("complaints:answer", args=[complaint.pk])).status_code == 403


def test_a_person_complained_about_sees_no_driver_data_and_no_photo(client, people, private_media):
    complaint = submit_online(people, photos=[png_upload()]).complaint
    services.complaint_take_up(complaint=complaint, by=people.team_leader.user)
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.team_leader])
    photo = complaint.photos.get()
    photo_url = reverse("complaints:photo", args=[complaint.pk, photo.pk])
    client.force_login(people.office)
    served = client.get(photo_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    client.force_login(people.team_leader.user)
    html = client.get(complaint.get_absolute_url()).content.decode()
    assert 'id="about-you"' in html and "139****5678" not in html
    assert client.get(photo_url).status_code == 404


def test_revealing_the_full_number_is_logged(client, people):
    complaint = register(people).complaint
    client.force_login(people.office)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    response = client.post(
        reverse("complaints:reveal_contact", args=[complaint.pk]), {"field": "phone", "reason": "回访"}
    )
    assert "13812345678" in response.content.decode()
    access = PersonalDataAccess.objects.get()
    assert access.user == people.office and access.reason == "回访"
    assert complaint.events.filter(kind=ComplaintEvent.Kind.CONTACT_REVEALED).exists()


def test_take_up_hand_over_and_return_visit_through_the_pages(client, people):
    complaint = submit_online(people).complaint
    client.force_login(people.office)
    _follow(client, client.post(reverse("complaints:take_up", args=[complaint.pk])))
    complaint.refresh_from_db()
    assert complaint.owner == complaint.first_responder == people.office
    _follow(
        client,
        client.post(
            reverse("complaints:hand_over", args=[complaint.pk]),
            {"to_pk": people.office2.staff_profile.pk, "reason": "值班交接"},
        ),
    )
    complaint.refresh_from_db()
    assert complaint.owner == people.office2 and complaint.first_responder == people.office
    complaint = answered(people, complaint)
    client.force_login(people.office2)
    _follow(
        client,
        client.post(
            reverse("complaints:return_visit", args=[complaint.pk]),
            {"result": "dissatisfied", "method": "phone", "note": ""},
        ),
    )
    review = complaint.reviews.get()
    client.force_login(people.head.user)
    _follow(
        client,
        client.post(
            reverse("complaints:review_decide", args=[review.pk]), {"reopen_case": "yes", "reasons": "未调取监控"}
        ),
    )
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.INVESTIGATING and complaint.reopened_count == 1


def test_the_list_filters_and_downloads_the_same_rows(client, people):
    mine = register(people).complaint
    register(people, category="delay", lane=people.other_lane)
    web = submit_online(people).complaint
    client.force_login(people.office)
    url = reverse("complaints:list")
    assert _numbers(client.get(url, {"category": "delay"})) == 1
    assert _numbers(client.get(url, {"lane": people.lane.pk})) == 2
    assert _numbers(client.get(url, {"owner": "none"})) == 1
    assert _numbers(client.get(url, {"owner": "me"})) == 2
    assert _numbers(client.get(url, {"number": mine.number.replace("-", "")})) == 1
    assert _numbers(client.get(url, {"overdue": "no"})) == 3
    csv_text = b"".join(client.get(url, {"export": "csv", "owner": "none"}).streaming_content).decode("utf-8-sig")
    assert web.number in csv_text and mine.number not in csv_text and "139****5678" in csv_text


def _numbers(response) -> int:
    assert response.status_code == 200
    return len(response.context["rows"])


def test_a_complaint_nobody_has_taken_up_names_no_one_responsible_in_the_list_and_its_files(client, people):
    # Every name of an absent owner is NULL: the cell is empty, not "None None".
    web = submit_online(people).complaint
    client.force_login(people.office)
    url = reverse("complaints:list")
    (row,) = [row for row in client.get(url).context["rows"] if row.values[0] == web.number]
    assert row.values[7] == ""
    csv_text = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode("utf-8-sig")
    (line,) = [line for line in csv_text.splitlines() if line.startswith(web.number)]
    assert line.split(",")[7] == "" and "None" not in csv_text


def test_the_ledger_exports_in_the_ledgers_column_order_with_voided_entries(client, people):
    # CMP-7
    first = register(people).complaint
    services.complaint_void(complaint=first, by=people.office, reason="重复登记")
    register(people)
    client.force_login(people.office)
    response = client.get(reverse("complaints:ledger"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [str(column.label) for column in exports.LedgerReport.columns] == list(rows[0])
    assert list(rows[0][:4]) == ["编号", "收到时间", "受理时间", "投诉渠道"]
    assert [row[0] for row in rows[1:]] == [first.number, f"{first.year}-0002"]
    assert "重复登记" in rows[1][-1]
    assert "13812345678" not in str(rows)  # phones masked in the file too


def test_the_lists_exports_and_panel_have_a_query_budget(client, rf, people):
    def more(n, offset=0):
        for i in range(n):
            registration = register(people, phone=f"1380000{offset + i:04d}", category="delay")
            services.complaint_escalate(complaint=registration.complaint, by=people.office, reason="升级")
        submit_online(people, phone=f"1390000{offset:04d}")

    more(2)
    client.force_login(people.office)
    assert_constant_queries(
        {
            "list": get_rows(client, reverse("complaints:list")),
            "list-filtered": get_rows(client, reverse("complaints:list"), {"category": "delay", "overdue": "no"}),
            "xlsx": get_rows(client, reverse("complaints:list"), {"export": "xlsx"}),
            "csv": get_rows(client, reverse("complaints:list"), {"export": "csv"}),
            "ledger": get_rows(client, reverse("complaints:ledger")),
            "ledger-xlsx": get_rows(client, reverse("complaints:ledger"), {"export": "xlsx"}),
            "panel": panel_rows(rf, people.office, panels.my_complaints, lambda panel: len(panel["items"])),
        },
        grow=lambda: more(4, offset=10),
        max_queries=25,
    )


def test_the_posters_page_has_a_qr_code_per_lane_opening_the_form_with_the_lane(client, people, settings):
    settings.PORTAL_BASE_URL = "https://portal.example.com"
    client.force_login(people.office)
    html = client.get(reverse("complaints:posters")).content.decode()
    assert html.count("<svg") == 2
    assert f"https://portal.example.com/complaints/report/?lane={people.lane.pk}" in html


def test_the_figures_page_shows_the_indicators_with_their_definitions(client, people):
    answered(people, register(people).complaint)
    client.force_login(people.office)
    html = client.get(reverse("complaints:figures")).content.decode()
    assert 'id="figure-definitions"' in html and "回访满意率" in html and "限时办结" in html


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"date_from": "2026-13-01", "date_to": "2026-11-30"}, "请输入有效的日期。"),
        ({"date_from": "0001-01-01", "date_to": "2026-11-30"}, "请选择 2000-01-01 至 2999-12-31 之间的日期。"),
        ({"date_from": "2026-11-30", "date_to": "2026-11-01"}, "截止日期早于起始日期。"),
    ],
)
def test_a_period_typed_wrongly_is_said_so_and_kept(client, people, query, error):
    """Bad input: the error in the reader's language, what was typed still in the boxes, and
    this month's figures meanwhile (the caption names the period shown)."""
    client.force_login(people.office)
    response = client.get(reverse("complaints:figures"), query)
    html = response.content.decode()
    assert response.status_code == 200 and error in html
    assert f'value="{query["date_from"]}"' in html and f'value="{query["date_to"]}"' in html
    assert timezone.localdate().replace(day=1).isoformat() in html


def test_a_period_is_shown_as_chosen(client, people):
    client.force_login(people.office)
    html = client.get(reverse("complaints:figures"), {"date_from": "2026-01-01", "date_to": "2026-06-30"})
    assert "2026-01-01" in html.content.decode() and 'value="2026-06-30"' in html.content.decode()
    assert "invalid-feedback" not in html.content.decode()


def test_the_office_changes_the_limits_and_publishes_a_departments_method(client, people):
    client.force_login(people.office)
    settings_form = {
        "accept_hours": 12,
        "return_visit_days": 2,
        "review_working_days": 3,
        "retention_days": 200,
        "basically_satisfied_counts": "on",
    }
    _follow(client, client.post(reverse("complaints:settings_change"), settings_form))
    assert "200" in client.get(reverse("complaints:settings")).content.decode()
    limit = reverse("complaints:urgency_limit", args=["urgent"])
    _follow(client, client.post(limit, {"first_contact_hours": 6, "answer_working_days": 2}))
    method = reverse("complaints:method_edit", args=[people.toll_office.pk])
    _follow(client, client.post(method, {"method": "接诉即办", "hotline": "0791-8888888", "published": "on"}))
    assert "0791-8888888" in Client().get(reverse("complaints:public_form")).content.decode()


def test_the_dashboard_panel_lists_my_open_complaints_nearest_limit_first(client, people):
    register(people, urgency="urgent")
    register(people)
    submit_online(people)
    client.force_login(people.office)
    html = client.get(reverse("dashboard:home")).content.decode()
    assert 'id="panel-my-complaints"' in html and 'id="complaints-waiting"' in html
    panel = panels.my_complaints(type("Request", (), {"user": people.office})())
    dues = [complaint.next_due for complaint in panel["items"]]
    assert dues == sorted(dues) and len(dues) == 2


def test_a_missed_limit_is_named_in_the_readers_language(client, people):
    complaint = register(people).complaint
    late = timezone.now() - datetime.timedelta(hours=1)
    Complaint.objects.filter(pk=complaint.pk).update(first_contact_due=late, answer_due=late)
    client.force_login(people.office)
    html = client.get(complaint.get_absolute_url()).content.decode()
    missed = re.search(r'id="missed-limits">(.*?)</div>', html, re.S).group(1)
    assert "首次联系、答复" in missed and "first_contact" not in missed and "answer" not in missed


def test_a_verdict_with_nobody_named_yet_chooses_staff_by_searching_not_from_a_list_of_all(client, people):
    # On a phone, two tick-box lists of the whole staff were pages long.
    complaint = register(people).complaint
    services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
    client.force_login(people.office)
    url = reverse("complaints:verdict", args=[complaint.pk])
    html = client.get(url).content.decode()
    assert 'type="checkbox"' not in html
    assert re.search(r'data-chooser-multiple="1">.{0,200}<input type="search" name="staff_involved"', html)
    verdict = {
        "outcome": "not_upheld",
        "fault": "none",
        "findings": "调阅监控，收费员操作规范。",
        "lane": people.lane.pk,
        "staff_involved": "",
        "staff_involved_pk": [people.collector.pk],
        "staff_at_fault": "",
    }
    _follow(client, client.post(url, verdict))
    links = complaint.verdicts.get().staff_links.values_list("staff", "at_fault")
    assert list(links) == [(people.collector.pk, False)]
    # Once someone is named, the verdict offers them as tick boxes.
    services.complaint_statement_record(complaint=complaint, by=people.office, staff=people.collector, account="无")
    html = client.get(url).content.decode()
    assert re.search(r'<input[^>]*type="checkbox"[^>]*name="staff_at_fault"', html)


def test_a_team_leader_names_a_colleague_on_a_complaints_form_by_searching(client, people):
    # The roster's chooser is for those who see the roster: a team leader got 403 as they typed.
    client.force_login(people.team_leader.user)
    html = client.get(reverse("complaints:register")).content.decode()
    url = reverse("chooser", kwargs={"name": "complaint-staff"})
    assert f'data-chooser-url="{url}' in html
    found = client.get(url, {"q": people.collector.name, "format": "json"})
    assert found.status_code == 200
    assert [row["id"] for row in found.json()["results"]] == [people.collector.pk]
