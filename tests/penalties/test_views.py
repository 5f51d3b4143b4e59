"""The penalties pages: the office's proposal → preview → decision, the finance office's
collection and reconciliation, the leadership group's approvals, waivers, revocation, talks,
eligibility, circulars, the policy, "my penalties" — and what each page costs in queries.

Where a test proves a rule of the plan through a screen, it names the rule (``# PEN-1``).
"""

import datetime
import re

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from inspections.models import Prohibition
from penalties import panels, services
from penalties.models import (
    AccountabilityRecord,
    Circular,
    EligibilityRevocation,
    LedgerEntry,
    Penalty,
    PenaltyPolicy,
    TalkRecord,
    WaiverRequest,
)
from penalties.selectors import penalty_balance
from tests.penalties.factories import (
    decided_service_code,
    proposed_complaint,
    proposed_service_code,
    provisions,
)
from tests.query_budget import assert_constant_queries, get_rows, panel_rows
from tests.roster.factories import StaffFactory, StationFactory, TeamFactory, UserFactory, user_with_role
from tollservice.audit.models import AuditEntry
from tollservice.audit.templatetags.audit_tags import audit_changes
from tollservice.notifications.models import Notification
from tollservice.roster.models import Staff

pytestmark = pytest.mark.django_db

Status = Penalty.Status
TODAY = timezone.localdate


@pytest.fixture
def login(client):
    """Sign ``user`` in on a fresh client that reads the English page."""

    def sign_in(user):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return sign_in


def signed_in_client(user) -> Client:
    """A client of its own for ``user``, reading the English page (for tests that keep several)."""
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def proposal_data(staff, *, n: int = 3, **extra) -> dict:
    data = {
        "rule": Penalty.Rule.SERVICE_CODE,
        "staff_pk": staff.pk,
        "source": Penalty.Source.INSPECTION_FINDING,
        "source_reference": "JC-2026-031",
        "incident_date": TODAY().isoformat(),
        "description": "督查发现该员工未起身迎候、未唱收唱付、未使用文明用语。",
        "provisions": [p.pk for p in provisions(n)],
    }
    data.update(extra)
    return data


def collect(client, penalty, **data):
    payload = {"receipt_number": "CW-0001", "collected_on": TODAY().isoformat(), "amount": "200.00"}
    payload.update(data)
    return client.post(reverse("penalties:fine_collect", args=[penalty.pk]), payload)


# --- The office's flow, to collection and reconciliation ------------------------------------------


def test_office_takes_a_violation_from_proposal_to_collection_and_reconciliation(people, login):
    office = login(people.office)
    url = reverse("penalties:penalty_propose")
    response = office.get(url, {"staff": people.collector.pk})
    assert response.status_code == 200
    assert response.context["form"].initial["staff"] == str(people.collector.pk)

    # PEN-1: "Preview" shows the fine the rule computes (3 provisions → 600.00), saving nothing.
    data = proposal_data(people.collector, n=3)
    response = office.post(url, {**data, "preview": "1"})
    assert response.status_code == 200
    assert Penalty.objects.count() == 0
    preview = response.context["previews"][0]
    assert preview.fine_fen == 60000
    assert "¥600.00" in page(response)
    assert not preview.preview.is_repeat
    # AWD-2: the preview says what the decision costs the person.
    assert f"loses award eligibility for {TODAY().year}" in page(response)
    assert 'name="propose"' in page(response)

    response = office.post(url, {**data, "propose": "1"})
    penalty = Penalty.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "penalties:penalty_detail", args=[penalty.pk]
    )
    assert (penalty.status, penalty.fine_fen, penalty.source_reference) == (Status.PROPOSED, 60000, "JC-2026-031")

    # PEN-5: the office decides; the person is notified; the fine is owed.
    decide_url = reverse("penalties:penalty_decide", args=[penalty.pk])
    assert "¥600.00" in page(office.get(decide_url))
    response = office.post(decide_url, {"reasons": "经查看录像属实。"})
    assert response.status_code == 302
    penalty.refresh_from_db()
    assert penalty.status == Status.DECIDED
    notice = Notification.objects.get(recipient=people.collector.user)
    assert notice.url == reverse("penalties:penalty_detail", args=[penalty.pk])

    detail = page(office.get(reverse("penalties:penalty_detail", args=[penalty.pk])))
    assert "Decided by the office" in detail and "Person notified" in detail and "经查看录像属实。" in detail

    # PEN-5: the finance office collects, with a receipt; booked as non-operating income.
    finance = login(people.finance)
    response = collect(finance, penalty, receipt_number="CW-2026-0101", amount="600.00")
    assert response.status_code == 302
    entry = LedgerEntry.objects.get(kind=LedgerEntry.Kind.COLLECTED)
    assert (entry.amount_fen, entry.receipt_number, entry.account) == (60000, "CW-2026-0101", "non_operating_income")
    assert penalty_balance(penalty=penalty).outstanding_fen == 0

    response = finance.get(reverse("penalties:reconciliation"))
    assert response.status_code == 200
    rec = response.context["rec"]
    assert rec.balanced and (rec.period.assessed_fen, rec.period.collected_fen) == (60000, 60000)
    collected_rows = [row for row in response.context["rows"] if row.values[7] == "CW-2026-0101"]
    assert len(collected_rows) == 1 and collected_rows[0].values[9] == 60000
    assert collected_rows[0].values[6] == "Non-operating income"
    assert "Balanced to the fen" in page(response)

    # The person reads it among their own penalties.
    mine = login(people.collector.user).get(reverse("penalties:my_penalties"))
    assert [row.values[0] for row in mine.context["rows"]] == [penalty.pk]


def test_pen5_finance_closes_a_reconciled_month_from_its_page(people, login):
    # PEN-5: last month's reconciliation offers the finance office to close it; a bad month is
    # refused on the form with what was typed kept; once closed the page says so.
    end = TODAY().replace(day=1) - datetime.timedelta(days=1)
    month = end.strftime("%Y-%m")
    url = reverse("penalties:reconciliation")
    finance = login(people.finance)
    close_url = reverse("penalties:ledger_period_close")
    assert f"{close_url}?month={month}" in page(finance.get(url, {"month": month}))
    assert close_url not in page(finance.get(url))  # this month has not ended
    assert close_url not in page(login(people.office).get(url, {"month": month}))

    finance = login(people.finance)
    assert finance.get(close_url, {"month": month}).context["form"].initial["month"] == month
    refused = finance.post(close_url, {"month": TODAY().strftime("%Y-%m"), "note": "月结"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["month"] == ["Only a month that has ended can be closed."]
    assert "月结</textarea>" in page(refused)  # the note typed is kept
    assert finance.post(close_url, {"month": month, "note": "月结"}).status_code == 302
    closed = page(finance.get(url, {"month": month}))
    assert 'id="period-closed"' in closed and "The figures are the same as at closing." in closed
    assert f"{close_url}?month={month}" not in closed


def test_the_live_preview_answers_with_the_same_fragment(people, login):
    office = login(people.office)
    data = proposal_data(people.collector, n=2)
    data.pop("description")  # the preview needs only the rule, the person and the date
    response = office.get(reverse("penalties:penalty_preview"), data)
    assert response.status_code == 200
    assert "¥400.00" in response.json()["html"]  # PEN-1: 2 × 200
    assert office.get(reverse("penalties:penalty_preview"), {"rule": "service_code"}).json() == {"html": ""}


def test_a_refused_proposal_keeps_what_the_user_typed(people, login):
    office = login(people.office)
    # PEN-3: a complaint fine outside 200–500 yuan is refused with a clear error.
    data = proposal_data(people.collector, rule=Penalty.Rule.COMPLAINT, fine="650.00", source="verified_complaint")
    data.pop("provisions")
    response = office.post(reverse("penalties:penalty_propose"), {**data, "propose": "1"})
    assert response.status_code == 200
    assert Penalty.objects.count() == 0
    assert "between 200.00 and 500.00 yuan" in str(response.context["form"].errors["fine"])
    html = page(response)
    assert 'value="650.00"' in html and data["description"] in html
    # PEN-1: no provision, no fine: the preview says so before anything is saved.
    response = office.post(
        reverse("penalties:penalty_propose"), {**proposal_data(people.collector, n=0), "preview": "1"}
    )
    assert "Name at least one provision" in page(response)
    assert 'name="propose"' not in page(response)


def test_pen4_pair_is_proposed_from_one_form(people, login):
    # PEN-4: the handler and the head of the handling department, each fined in the range.
    office = login(people.office)
    data = proposal_data(people.collector, rule="handling", handler_fine="300", head_fine="200")
    data.pop("provisions")
    response = office.post(reverse("penalties:penalty_propose"), {**data, "preview": "1"})
    assert [p.staff for p in response.context["previews"]] == [people.collector, people.head]
    response = office.post(reverse("penalties:penalty_propose"), {**data, "propose": "1"})
    assert response.status_code == 302
    handler, head = Penalty.objects.order_by("pk")
    assert (handler.staff, handler.rule, handler.fine_fen) == (people.collector, "handling_handler", 30000)
    assert (head.staff, head.rule, head.fine_fen, head.joint_with) == (people.head, "handling_head", 20000, handler)


# --- Collection: exactly once, and what the user typed --------------------------------------------


def test_double_collection_shows_a_clear_error_and_writes_nothing(people, login):
    # PEN-5: collection is exactly-once.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    finance = login(people.finance)
    assert collect(finance, penalty, receipt_number="CW-1").status_code == 302
    entries = LedgerEntry.objects.count()

    response = collect(finance, penalty, receipt_number="CW-2")
    assert response.status_code == 200
    assert "Nothing is outstanding on this fine" in page(response)
    assert LedgerEntry.objects.count() == entries
    # The page says so before anyone tries.
    assert "Nothing is outstanding on this fine" in page(
        finance.get(reverse("penalties:fine_collect", args=[penalty.pk]))
    )


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("12.345", "2 decimal places"),  # fractions of a fen
        ("abc", "Enter a number"),
        ("999.00", "between 0.01 and 200.00 yuan"),  # more than outstanding: refused by the service
    ],
)
def test_a_bad_amount_keeps_what_the_user_typed(people, login, amount, message):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    response = collect(login(people.finance), penalty, receipt_number="CW-7788", amount=amount)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors)
    html = page(response)
    assert f'value="{amount}"' in html and 'value="CW-7788"' in html
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COLLECTED).exists()


def test_a_part_payment_and_a_correction_by_reversal(people, login):
    penalty = decided_service_code(office=people.office, staff=people.collector, n=2)
    finance = login(people.finance)
    collect(finance, penalty, receipt_number="CW-1", amount="150.50")
    entry = LedgerEntry.objects.get(kind=LedgerEntry.Kind.COLLECTED)
    assert entry.amount_fen == 15050

    detail = page(finance.get(reverse("penalties:penalty_detail", args=[penalty.pk])))
    reverse_url = reverse("penalties:ledger_entry_reverse", args=[entry.pk])
    assert reverse_url in detail
    assert "field is required" in page(finance.post(reverse_url, {"reason": ""}))
    assert finance.post(reverse_url, {"reason": "收据号录错"}).status_code == 302
    assert penalty_balance(penalty=penalty).outstanding_fen == 40000
    assert reverse_url not in page(finance.get(reverse("penalties:penalty_detail", args=[penalty.pk])))


# --- PEN-2 / PEN-3: the leadership group -------------------------------------------------------


def test_second_violation_is_escalated_and_decided_from_the_approval_queue(people, login):
    decided_service_code(office=people.office, staff=people.collector)
    second = proposed_service_code(office=people.office, staff=people.collector)
    office = login(people.office)
    # PEN-2: the decision page warns before the office decides.
    decide_page = page(office.get(reverse("penalties:penalty_decide", args=[second.pk])))
    assert "already has a violation" in decide_page
    assert "waits for a decision of the leadership group." in decide_page
    assert "PEN-2" not in decide_page  # the rule ID is ours, not the staff's
    office.post(reverse("penalties:penalty_decide", args=[second.pk]), {"reasons": ""})
    second.refresh_from_db()
    assert second.status == Status.AWAITING_APPROVAL and second.escalated

    leader = login(people.leader)
    queue = leader.get(reverse("penalties:approval_queue"))
    assert [row.values[0] for row in queue.context["rows"]] == [second.pk]
    approve_url = reverse("penalties:penalty_approve", args=[second.pk])
    assert "Earlier violations" in page(leader.get(approve_url))

    # PEN-2: the decision needs its reasons and prohibitions; the fine stays within the range.
    response = leader.post(approve_url, {"fine": "500"})
    assert response.status_code == 200
    assert {"reasons", "prohibitions"} <= set(response.context["form"].errors)
    prohibition = Prohibition.objects.filter(active=True).first()
    response = leader.post(approve_url, {"reasons": "年内再次违规", "prohibitions": [prohibition.pk], "fine": "5000"})
    assert "The fine must be between" in str(response.context["form"].errors["fine"])
    assert 'value="5000"' in page(response) and "年内再次违规" in page(response)
    response = leader.post(
        approve_url,
        {"reasons": "年内再次违规", "prohibitions": [prohibition.pk], "fine": "500.00", "disciplinary_action": "on"},
    )
    assert response.status_code == 302 and response["Location"] == reverse("penalties:approval_queue")
    second.refresh_from_db()
    assert (second.status, second.fine_fen, second.disciplinary_action) == (Status.APPROVED, 50000, True)
    assert list(second.prohibition_links.values_list("number", flat=True)) == [prohibition.number]
    assert penalty_balance(penalty=second).assessed_fen == 50000
    assert leader.get(reverse("penalties:approval_queue")).context["rows"] == []


def test_leadership_rejects_a_dismissal_with_reasons(people, login):
    # PEN-3: dismissal waits for the leadership group, which may say no.
    penalty = proposed_complaint(office=people.office, staff=people.collector, dismissal=True)
    login(people.office).post(
        reverse("penalties:penalty_decide", args=[penalty.pk]), {"fine": "300.00", "dismissal": "on"}
    )
    penalty.refresh_from_db()
    assert penalty.status == Status.AWAITING_APPROVAL
    leader = login(people.leader)
    url = reverse("penalties:penalty_reject", args=[penalty.pk])
    assert leader.post(url, {"reasons": ""}).status_code == 200
    assert leader.post(url, {"reasons": "情节不足以解除劳动合同"}).status_code == 302
    penalty.refresh_from_db()
    assert penalty.status == Status.REJECTED
    assert not penalty.ledger_entries.exists()


def test_pen3_decision_holds_the_head_accountable_and_drafts_a_printable_circular(people, login):
    # PEN-3: the team leader is held accountable; a circulated criticism is drafted.
    StationFactory()
    penalty = proposed_complaint(office=people.office, staff=people.collector)
    office = login(people.office)
    decide_url = reverse("penalties:penalty_decide", args=[penalty.pk])
    form = office.get(decide_url).context["form"]
    assert form.fields["responsible_head"].initial == people.team_leader
    office.post(decide_url, {"fine": "300.00", "responsible_head_pk": people.team_leader.pk, "reasons": "属实"})
    penalty.refresh_from_db()
    assert AccountabilityRecord.objects.get(penalty=penalty).head == people.team_leader
    circular = penalty.circular
    assert circular.status == Circular.Status.DRAFT

    # A draft is the office's; the station reads the circular once it is published (INS-3).
    assert login(people.collector.user).get(reverse("penalties:circular_list")).context["rows"] == []
    office = login(people.office)
    edit_url = reverse("penalties:circular_update", args=[circular.pk])
    assert (
        office.post(edit_url, {"title": "关于收费员甲的通报批评", "body": "经核实……\n\n特此通报。"}).status_code == 302
    )
    publish_url = reverse("penalties:circular_publish", args=[circular.pk])
    assert office.get(publish_url).status_code == 405
    assert office.post(publish_url).status_code == 302
    circular.refresh_from_db()
    assert circular.status == Circular.Status.PUBLISHED and circular.title == "关于收费员甲的通报批评"
    assert office.post(edit_url, {"title": "x", "body": "y"}).status_code == 200  # published: final
    rows = login(people.collector.user).get(reverse("penalties:circular_list")).context["rows"]
    assert [row.values[0] for row in rows] == ["关于收费员甲的通报批评"]

    # The printable page: station, title, text, date; the navigation is not printed.
    printed = page(login(people.collector.user).get(reverse("penalties:circular_print", args=[circular.pk])))
    assert "昌泰高速公路收费所" in printed and "关于收费员甲的通报批评" in printed and "特此通报。" in printed
    assert timezone.localdate(circular.published_at).isoformat() in printed
    assert re.search(r'<nav class="navbar[^"]*d-print-none', printed)
    assert "css/penalties-print.css" in printed and "<script>" not in printed


def test_pen3_revoked_penalty_shows_its_circular_withdrawn_and_unpublishable(people, login):
    # PEN-3: after revocation the office sees why the draft was withdrawn and has no button to
    # publish it; a forged publish request changes nothing.
    penalty = services.penalty_decide(
        penalty=proposed_complaint(office=people.office, staff=people.collector), decided_by=people.office
    )
    services.penalty_revoke(penalty=penalty, revoked_by=people.office2, reasons="复核认定投诉不实")
    office = login(people.office)
    detail = office.get(reverse("penalties:circular_detail", args=[penalty.circular_id]))
    html = page(detail)
    assert 'id="circular-withdrawn"' in html and "复核认定投诉不实" in html
    assert reverse("penalties:circular_publish", args=[penalty.circular_id]) not in html
    assert not detail.context["page"].may_edit
    response = office.post(reverse("penalties:circular_publish", args=[penalty.circular_id]), follow=True)
    assert "withdrawn" in page(response)
    assert Circular.objects.get().status == Circular.Status.WITHDRAWN
    penalty_page = page(office.get(reverse("penalties:penalty_detail", args=[penalty.pk])))
    assert "no longer in force" in penalty_page


# --- Waivers (PEN-5) ------------------------------------------------------------------------------


def test_waiver_needs_two_approvers_one_from_the_leadership_group(people, login):
    # PEN-5: a fine is formally waived only with two approvers, one of the leadership group.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    finance = login(people.finance)
    response = finance.post(reverse("penalties:waiver_request", args=[penalty.pk]), {"amount": "200", "reason": "困难"})
    waiver = WaiverRequest.objects.get()
    assert response["Location"] == reverse("penalties:waiver_detail", args=[waiver.pk])
    assert "Approve the waiver" not in page(finance.get(response["Location"]))  # not the one who asked

    finance2 = login(people.finance2)
    assert [row.values[1] for row in finance2.get(reverse("penalties:waiver_list")).context["rows"]] == [
        people.collector.name
    ]
    finance2.post(reverse("penalties:waiver_approve", args=[waiver.pk]), {"note": "同意"})
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.PENDING and waiver.approvals.count() == 1

    leader = login(people.leader)
    assert leader.post(reverse("penalties:waiver_approve", args=[waiver.pk]), {"note": ""}).status_code == 302
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.APPROVED
    balance = penalty_balance(penalty=penalty)
    assert (balance.waived_fen, balance.outstanding_fen) == (20000, 0)
    # Once closed, another approval is refused with a message on the form.
    response = login(people.office2).post(reverse("penalties:waiver_approve", args=[waiver.pk]), {"note": ""})
    assert "This waiver request is closed." in page(response)


def test_a_waiver_without_a_leadership_approver_is_refused(people, login):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    waiver = services.waiver_request(penalty=penalty, requested_by=people.office, reason="困难")
    login(people.finance).post(reverse("penalties:waiver_approve", args=[waiver.pk]), {"note": ""})
    response = login(people.finance2).post(reverse("penalties:waiver_approve", args=[waiver.pk]), {"note": ""})
    assert "must be a member of the leadership group" in page(response)
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.WAIVED).exists()


# --- Withdraw and revoke: never an edit -------------------------------------------------------------


def test_withdraw_a_proposal_and_revoke_a_decided_penalty_with_reasons(people, login):
    office = login(people.office)
    proposal = proposed_service_code(office=people.office, staff=people.other)
    assert (
        office.post(reverse("penalties:penalty_withdraw", args=[proposal.pk]), {"reasons": "录像有误"}).status_code
        == 302
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.WITHDRAWN

    penalty = decided_service_code(office=people.office, staff=people.collector)
    url = reverse("penalties:penalty_revoke", args=[penalty.pk])
    assert "field is required" in page(office.post(url, {"reasons": ""}))
    assert office.post(url, {"reasons": "复核认定有误"}).status_code == 302
    penalty.refresh_from_db()
    assert penalty.status == Status.REVOKED
    assert penalty_balance(penalty=penalty).assessed_fen == 0  # reversed, never deleted
    assert penalty.ledger_entries.count() == 2
    # A decided penalty has no edit page at all; its page offers no "Decide" any more.
    detail = page(office.get(reverse("penalties:penalty_detail", args=[penalty.pk])))
    assert reverse("penalties:penalty_decide", args=[penalty.pk]) not in detail


def test_a_collected_fine_cannot_be_revoked_before_the_refund(people, login):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    services.fine_collect(penalty=penalty, collected_by=people.finance, receipt_number="CW-9")
    response = login(people.office).post(reverse("penalties:penalty_revoke", args=[penalty.pk]), {"reasons": "有误"})
    assert response.status_code == 200 and "must first refund" in page(response)
    penalty.refresh_from_db()
    assert penalty.status == Status.DECIDED


# --- Scope ------------------------------------------------------------------------------------------


def test_my_penalties_shows_only_my_own_decided_penalties(people, login):
    mine = decided_service_code(office=people.office, staff=people.collector)
    proposed_service_code(office=people.office, staff=people.collector)  # not decided: not told yet
    theirs = decided_service_code(office=people.office, staff=people.other)
    client = login(people.collector.user)
    response = client.get(reverse("penalties:my_penalties"))
    assert [row.values[0] for row in response.context["rows"]] == [mine.pk]
    assert client.get(reverse("penalties:penalty_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("penalties:penalty_detail", args=[theirs.pk])).status_code == 404
    # The list offers no filter by person, team or department to someone who sees only their own.
    listing = client.get(reverse("penalties:penalty_list"))
    assert not {"staff", "team", "department"} & set(listing.context["filter"].filters)
    assert [row.values[0] for row in listing.context["rows"]] == [mine.pk]


def test_team_leader_sees_the_team_and_nobody_else(people, login):
    member = decided_service_code(office=people.office, staff=people.collector)
    outsider = decided_service_code(office=people.office, staff=StaffFactory(user=UserFactory()))
    client = login(people.team_leader.user)
    rows = client.get(reverse("penalties:penalty_list")).context["rows"]
    assert [row.values[0] for row in rows] == [member.pk]
    assert client.get(reverse("penalties:penalty_detail", args=[outsider.pk])).status_code == 404


def test_penalty_list_filters(people, login):
    first = decided_service_code(office=people.office, staff=people.collector)
    second = decided_service_code(office=people.office, staff=people.other)
    services.fine_collect(penalty=second, collected_by=people.finance, receipt_number="CW-1")
    client = login(people.office)
    url = reverse("penalties:penalty_list")

    def numbers(**query):
        return [row.values[0] for row in client.get(url, query).context["rows"]]

    assert numbers(outstanding="yes") == [first.pk]
    assert numbers(outstanding="no") == [second.pk]
    assert numbers(staff_pk=people.other.pk) == [second.pk]  # the person chooser's id
    assert numbers(team=people.team.pk, year=TODAY().year) == [second.pk, first.pk]
    assert numbers(status="proposed") == []
    assert numbers(rule="complaint") == []


# --- Talks, eligibility, policy --------------------------------------------------------------------


def test_ins4_record_a_talk_and_confirm_its_follow_up(people, login):
    office = login(people.office)
    held_at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "kind": "admonishment",
        "staff_pk": people.collector.pk,
        "held_at": held_at,
        "conducted_by_pk": people.head.pk,
        "reason": "两次违规后整改不积极",
        "summary": "指出问题，提出要求",
        "follow_up": "一个月后复查",
        "follow_up_due": (TODAY() + datetime.timedelta(days=30)).isoformat(),
    }
    both = {**data, "team": people.team.pk}
    assert "Choose either a person or a team, not both." in page(office.post(reverse("penalties:talk_create"), both))
    response = office.post(reverse("penalties:talk_create"), data)
    talk = TalkRecord.objects.get()
    assert response["Location"] == reverse("penalties:talk_detail", args=[talk.pk])
    listing = office.get(reverse("penalties:talk_list"), {"follow_up": "open"})
    assert [row.values[2] for row in listing.context["rows"]] == [people.collector.name]
    office.post(reverse("penalties:talk_follow_up", args=[talk.pk]), {"note": "已复查，整改到位"})
    talk.refresh_from_db()
    assert not talk.follow_up_open and talk.follow_up_note == "已复查，整改到位"
    assert office.get(reverse("penalties:talk_list"), {"follow_up": "open"}).context["rows"] == []


def test_ins5_and_awd2_eligibility_is_looked_up_with_its_reasons(people, login):
    office = login(people.office)
    year = TODAY().year
    lookup = reverse("penalties:eligibility_lookup")
    assert office.get(lookup, {"team": people.team.pk, "year": year}).context["lookup"].result.eligible

    # INS-5: the team loses eligibility; the lookup links to the decision.
    office.post(reverse("penalties:eligibility_revoke"), {"team": people.team.pk, "year": year, "reason": "消极应付"})
    revocation = EligibilityRevocation.objects.get()
    response = office.get(lookup, {"team": people.team.pk, "year": year})
    assert not response.context["lookup"].result.eligible
    assert reverse("penalties:eligibility_revocation_detail", args=[revocation.pk]) in page(response)

    # AWD-2: a violation removes the person's eligibility, with a link to the penalty.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    response = office.get(lookup, {"staff_pk": people.collector.pk, "year": year})
    assert not response.context["lookup"].result.eligible
    assert reverse("penalties:penalty_detail", args=[penalty.pk]) in page(response)
    members = dict(office.get(lookup, {"team": people.team.pk, "year": year}).context["lookup"].members)
    assert not members[people.collector].eligible and members[people.other].eligible

    # A withdrawal restores it and stays on record.
    url = reverse("penalties:eligibility_revocation_withdraw", args=[revocation.pk])
    office.post(url, {"reason": "认定有误"})
    assert office.get(lookup, {"team": people.team.pk, "year": year}).context["lookup"].result.eligible
    states = office.get(reverse("penalties:eligibility_revocation_list"), {"state": "withdrawn"}).context["rows"]
    assert len(states) == 1


def test_policy_change_is_a_new_version_typed_in_yuan(people, login):
    leader = login(people.leader)
    url = reverse("penalties:policy_change")
    data = {
        "base_fine": "250.00",
        "complaint_fine_min": "300",
        "complaint_fine_max": "200",
        "repeat_fine_max": "1000",
        "year_start_month": "1",
        "note": "领导小组会议决定",
    }
    response = leader.post(url, data)
    assert response.status_code == 200 and "below the lowest" in page(response)
    assert 'value="250.00"' in page(response)
    response = leader.post(url, {**data, "complaint_fine_max": "600"})
    assert response.status_code == 302
    latest = PenaltyPolicy.objects.latest()
    assert (latest.base_fine_fen, latest.complaint_fine_min_fen, latest.complaint_fine_max_fen) == (25000, 30000, 60000)
    history = login(people.office).get(reverse("penalties:policy"))
    assert len(history.context["history"]) == PenaltyPolicy.objects.count() >= 2
    assert history.context["current"] == latest
    assert reverse("penalties:policy_change") not in page(history)  # the office reads it only


# --- Query budgets: the cost of a page does not grow with its rows ---------------------------------


def _busy(people, count: int):
    """``count`` people (every other one in a team of their own), each with a verified complaint
    (PEN-3: circular, accountability) collected in part, half with a pending waiver; a second
    violation awaiting the leadership (PEN-2); a talk with a follow-up; a loss of award
    eligibility; a proposal awaiting the office. The signed-in staff member gets one more penalty
    in force each time, and the policy one more version per call."""
    year = TODAY().year
    for index in range(count):
        # Every other person in a team of their own, so that the balances by team grow as well.
        team = people.team
        if index % 2:
            team = TeamFactory(station=people.team.station, department=people.toll_office)
        staff = StaffFactory(team=team, department=people.toll_office, user=UserFactory())
        complaint = services.penalty_decide(
            penalty=proposed_complaint(office=people.office, staff=staff), decided_by=people.office
        )
        services.fine_collect(
            penalty=complaint, collected_by=people.finance, receipt_number=f"R-{complaint.pk}", amount_fen=10000
        )
        if index % 2 == 0:
            services.waiver_request(penalty=complaint, requested_by=people.office, reason="困难", amount_fen=5000)
        decided_service_code(office=people.office, staff=staff, n=2)  # PEN-2: awaits the leadership
        services.talk_record(
            recorded_by=people.office,
            kind="appointment",
            held_at=timezone.now(),
            conducted_by=people.head,
            reason="r",
            summary="s",
            staff=staff,
            follow_up="f",
        )
        services.eligibility_revoke(decided_by=people.office, year=year, reason="r", staff=staff)
        proposed_service_code(office=people.office, staff=staff)  # awaits the office's decision
        # "My penalties" grows too: one violation of the signed-in staff member each time, in
        # force either way (the first of the year decided by the office, every later one escalated
        # under PEN-2 and then approved by the leadership), so it is listed there.
        mine = decided_service_code(office=people.office, staff=people.collector)
        if mine.status == Status.AWAITING_APPROVAL:
            services.penalty_approve(
                penalty=mine, approved_by=people.leader, reasons="屡犯", prohibitions=Prohibition.objects.all()[:1]
            )
    # The policy page lists every version: one more, with the same amounts, per call.
    policy = PenaltyPolicy.objects.order_by("-effective_from").first()
    services.penalty_policy_change(
        changed_by=people.leader,
        base_fine_fen=policy.base_fine_fen,
        complaint_fine_min_fen=policy.complaint_fine_min_fen,
        complaint_fine_max_fen=policy.complaint_fine_max_fen,
        repeat_fine_max_fen=policy.repeat_fine_max_fen,
        year_start_month=policy.year_start_month,
        note=f"复核 {count}",
    )


LIST_PAGES = [
    ("staff", "penalties:my_penalties", {}),
    ("staff", "penalties:my_penalties", {"export": "xlsx"}),
    ("leader", "penalties:approval_queue", {"export": "xlsx"}),
    ("office", "penalties:penalty_list", {"export": "csv"}),
    ("finance", "penalties:waiver_list", {"show": "all", "export": "xlsx"}),
    ("finance", "penalties:reconciliation", {"export": "xlsx"}),
    ("finance", "penalties:reconciliation", {"export": "csv"}),
    ("office", "penalties:eligibility_revocation_list", {"export": "xlsx"}),
    ("office", "penalties:circular_list", {"export": "xlsx"}),
    ("office", "penalties:penalty_list", {}),
    ("office", "penalties:penalty_list", {"export": "xlsx"}),
    ("leader", "penalties:approval_queue", {}),
    ("finance", "penalties:outstanding", {}),
    ("finance", "penalties:outstanding", {"export": "xlsx"}),
    ("finance", "penalties:receipt_list", {}),
    ("finance", "penalties:receipt_list", {"export": "xlsx"}),
    ("finance", "penalties:waiver_list", {"show": "all"}),
    ("leader", "penalties:waiver_list", {}),
    ("finance", "penalties:balances", {}),
    ("finance", "penalties:balances", {"by": "team", "export": "xlsx"}),
    ("finance", "penalties:reconciliation", {}),
    ("office", "penalties:talk_list", {}),
    ("office", "penalties:talk_list", {"export": "xlsx"}),
    ("office", "penalties:eligibility_revocation_list", {}),
    ("office", "penalties:circular_list", {}),
    ("office", "penalties:policy", {}),
    ("office", "penalties:eligibility_lookup", {"team": "TEAM"}),
]


def test_lists_and_exports_have_a_query_budget(people):
    _busy(people, 3)
    users = {"office": people.office, "finance": people.finance, "leader": people.leader, "staff": people.staff_user}
    clients = {role: signed_in_client(user) for role, user in users.items()}
    cases = {}
    for role, name, query in LIST_PAGES:
        query = {key: people.team.pk if value == "TEAM" else value for key, value in query.items()}
        # A team's eligibility lists its members.
        rows = (lambda r: len(r.context["lookup"].members)) if name == "penalties:eligibility_lookup" else None
        cases[(role, name, tuple(query))] = get_rows(clients[role], reverse(name), query, rows=rows)
    # Every page and download lists several times the rows at the same number of queries.
    assert_constant_queries(cases, grow=lambda: _busy(people, 12), max_queries=25)


def test_detail_pages_have_a_query_budget(people, login, django_assert_max_num_queries):
    _busy(people, 4)
    penalty = Penalty.objects.filter(rule=Penalty.Rule.COMPLAINT).first()
    services.fine_collect(penalty=penalty, collected_by=people.finance, receipt_number="R-X", amount_fen=100)
    waiver = WaiverRequest.objects.first()
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    pages = [
        (people.office, reverse("penalties:penalty_detail", args=[penalty.pk])),
        (people.office, reverse("penalties:penalty_detail", args=[waiver.penalty_id])),
        (people.finance, reverse("penalties:waiver_detail", args=[waiver.pk])),
        (people.office, reverse("penalties:talk_detail", args=[TalkRecord.objects.first().pk])),
        (
            people.office,
            reverse("penalties:eligibility_revocation_detail", args=[EligibilityRevocation.objects.first().pk]),
        ),
        (people.office, reverse("penalties:circular_detail", args=[penalty.circular_id])),
        (people.office, reverse("penalties:circular_print", args=[penalty.circular_id])),
        (
            people.office,
            reverse(
                "penalties:penalty_decide", args=[proposed_service_code(office=people.office, staff=people.other).pk]
            ),
        ),
        (
            people.leader,
            reverse("penalties:penalty_approve", args=[Penalty.objects.filter(status="awaiting_approval").first().pk]),
        ),
        (people.finance, reverse("penalties:fine_collect", args=[penalty.pk])),
        (people.office, reverse("penalties:penalty_propose") + f"?staff={people.collector.pk}"),
    ]
    for user, url in pages:
        client = login(user)
        with django_assert_max_num_queries(30):
            assert client.get(url).status_code == 200


def test_dashboard_panels_have_a_query_budget(people, rf):
    _busy(people, 3)
    # Each panel with how much it shows: the finance panel counts, the others list (up to five).
    cases = [
        (people.office, panels.office_penalties, lambda panel: len(panel["proposals"])),
        (people.leader, panels.leadership_approvals, lambda panel: len(panel["queue"])),
        (people.finance, panels.finance_outstanding, lambda panel: panel["outstanding_count"]),
        (people.collector.user, panels.my_open_penalties, lambda panel: len(panel["items"])),
    ]

    assert_constant_queries(
        {case[1].__name__: panel_rows(rf, *case) for case in cases}, grow=lambda: _busy(people, 6), max_queries=8
    )


def test_the_dashboard_shows_each_role_its_panel(people, login):
    decided_service_code(office=people.office, staff=people.collector)
    decided_service_code(office=people.office, staff=people.collector)  # PEN-2: awaits the leadership
    proposed_service_code(office=people.office, staff=people.other)
    expectations = {
        people.office: "panel-penalties-office",
        people.leader: "panel-penalties-approvals",
        people.finance: "panel-penalties-finance",
        people.collector.user: "panel-my-penalties",
    }
    for user, panel_id in expectations.items():
        html = page(login(user).get(reverse("dashboard:home")))
        assert f'id="{panel_id}"' in html, panel_id
    staff_page = page(login(people.collector.user).get(reverse("dashboard:home")))
    assert "panel-penalties-office" not in staff_page and "¥200.00" in staff_page
    leader_page = page(login(people.leader).get(reverse("dashboard:home")))
    assert re.search(r'id="approval-count">1<', leader_page)
    supervisor_page = page(login(user_with_role("supervisor")).get(reverse("dashboard:home")))
    assert "panel-penalties" not in supervisor_page and "panel-my-penalties" not in supervisor_page


def test_a_persons_page_can_link_to_their_penalties(people, rf):
    # The include the roster's staff page can carry: propose from a person's page (?staff=).
    request = rf.get("/")
    request.user = people.office
    html = render_to_string("penalties/includes/staff_links.html", {"person": people.collector}, request=request)
    assert f"{reverse('penalties:penalty_propose')}?staff={people.collector.pk}" in html
    assert f"{reverse('penalties:penalty_list')}?staff_pk={people.collector.pk}" in html
    request.user = people.collector.user
    assert "staff-penalties" not in render_to_string(
        "penalties/includes/staff_links.html", {"person": people.collector}, request=request
    )


# --- Found in the browser review ------------------------------------------------------------------


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "1999-12", "3000-01", "9999-12"])
def test_a_month_outside_the_range_is_a_form_error_on_the_reconciliation(people, login, month):
    response = login(people.finance).get(reverse("penalties:reconciliation"), {"month": month})
    assert response.status_code == 200
    assert response.context["form"].errors["month"] == ["Choose a month between 2000-01 and 2999-12."]


def test_the_reconciliation_leaves_out_the_neighbour_past_the_end_of_the_range(people, login):
    finance = login(people.finance)
    first = page(finance.get(reverse("penalties:reconciliation"), {"month": "2000-01"}))
    assert "?month=2000-02" in first and "?month=1999-12" not in first and "Previous month" not in first
    last = page(finance.get(reverse("penalties:reconciliation"), {"month": "2999-12"}))
    assert "?month=2999-11" in last and "Next month" not in last
    # A custom range ending on the last day Python knows is no longer a 500 either.
    response = finance.get(reverse("penalties:reconciliation"), {"start": "9999-12-01", "end": "9999-12-31"})
    assert response.status_code == 200


@pytest.mark.parametrize("month", ["0000-01", "9999-12"])
def test_closing_a_month_outside_the_range_is_a_form_error(people, login, month):
    response = login(people.finance).post(reverse("penalties:ledger_period_close"), {"month": month, "note": "月结"})
    assert response.status_code == 200
    assert response.context["form"].errors["month"] == ["Choose a month between 2000-01 and 2999-12."]


@pytest.mark.parametrize(
    "incident_date",
    # Tomorrow is worked out when the test runs, not at collection (a run may cross midnight).
    [lambda: TODAY() + datetime.timedelta(days=1), lambda: datetime.date(9999, 12, 31)],
    ids=["tomorrow", "9999-12-31"],
)
def test_a_future_incident_is_refused_by_the_preview_as_by_the_proposal(people, login, incident_date):
    incident_date = incident_date()
    office = login(people.office)
    data = proposal_data(people.collector, incident_date=incident_date.isoformat())
    for button in ("preview", "propose"):
        response = office.post(reverse("penalties:penalty_propose"), {**data, button: "1"})
        assert response.status_code == 200
        assert response.context["form"].errors["incident_date"] == ["The incident cannot be in the future."]
    assert office.get(reverse("penalties:penalty_preview"), data).json() == {"html": ""}
    assert not Penalty.objects.exists()


@pytest.mark.parametrize("fine", ["600.00", "150.00"])
def test_pen3_a_fine_out_of_range_is_marked_on_the_fine_field_by_the_preview(people, login, fine):
    office = login(people.office)
    data = proposal_data(people.collector, rule=Penalty.Rule.COMPLAINT, fine=fine, source="verified_complaint")
    data.pop("provisions")
    response = office.post(reverse("penalties:penalty_propose"), {**data, "preview": "1"})
    assert response.status_code == 200
    assert response.context["form"].errors["fine"] == ["The fine must be between 200.00 and 500.00 yuan."]
    assert response.context["previews"][0].errors  # the preview card says it too
    html = page(response)
    assert f'value="{fine}"' in html and data["description"] in html
    assert not Penalty.objects.exists()


def test_pen4_a_fine_out_of_range_is_marked_on_the_fine_it_belongs_to(people, login):
    office = login(people.office)
    data = proposal_data(people.collector, rule="handling", handler_fine="300", head_fine="900")
    data.pop("provisions")
    errors = office.post(reverse("penalties:penalty_propose"), {**data, "preview": "1"}).context["form"].errors
    assert set(errors) == {"head_fine"}


def test_the_decision_card_explains_the_fine_by_the_rule(people, login):
    office = login(people.office)
    service_code = proposed_service_code(office=people.office, staff=people.collector)
    complaint = proposed_complaint(office=people.office, staff=people.other)
    pen1 = page(office.get(reverse("penalties:penalty_decide", args=[service_code.pk])))
    assert "Computed by the rule from the provisions breached." in pen1
    pen3 = page(office.get(reverse("penalties:penalty_decide", args=[complaint.pk])))
    assert "Computed by the rule" not in pen3 and "Chosen between 200.00 and 500.00 yuan." in pen3


def test_the_approval_queue_offers_all_as_the_no_filter_choice(people, login):
    response = login(people.leader).get(reverse("penalties:approval_queue"))
    html = page(response)
    assert '<option value="" selected>All</option>' in html and "Unknown" not in html
    response = login(people.leader).get(reverse("penalties:approval_queue"), {"escalated": "true"})
    assert response.status_code == 200 and response.context["filter"].form.cleaned_data["escalated"] is True


def test_a_stale_collect_form_says_nothing_is_outstanding_once(people, login):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    finance = login(people.finance)
    assert collect(finance, penalty, receipt_number="CW-1").status_code == 302
    response = collect(finance, penalty, receipt_number="CW-2")  # the form was opened before CW-1
    assert page(response).count("Nothing is outstanding on this fine") == 1
    assert response.context["form"].non_field_errors()


def test_an_office_member_is_not_offered_to_withdraw_a_proposal_against_themselves(people, login):
    me = Staff.objects.get(user=people.office)
    proposal = proposed_service_code(office=people.office2, staff=me)
    response = login(people.office).get(reverse("penalties:penalty_detail", args=[proposal.pk]))
    assert not response.context["actions"].withdraw
    assert reverse("penalties:penalty_withdraw", args=[proposal.pk]) not in page(response)
    other = login(people.office2).get(reverse("penalties:penalty_detail", args=[proposal.pk]))
    assert other.context["actions"].withdraw


def test_the_history_shows_money_in_yuan(people, login):
    penalty = decided_service_code(office=people.office, staff=people.collector, n=2)
    entries = AuditEntry.objects.filter(object_id=str(penalty.pk), changes__has_key="fine_fen")
    assert entries and all(entry.changes["fine_fen"][1] == "40000" for entry in entries)  # stored as it was
    with translation.override("en"):
        fines = [row for entry in entries for row in audit_changes(entry) if row[0] == "Fine"]
    assert fines and all(row[2] == "¥400.00" for row in fines)
    with translation.override("zh-hans"):
        labels = {row[0] for entry in entries for row in audit_changes(entry)}
    assert "罚款" in labels and not any("分）" in label for label in labels)


def test_favicon_ico_leads_to_the_icon_the_pages_link(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == static("img/favicon.svg")
    assert f'<link rel="icon" href="{static("img/favicon.svg")}"' in page(client.get(reverse("login")))
