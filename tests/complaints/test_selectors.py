"""What each reader sees (scope, 404 for the rest), the list filters, the panels' lists, CMP-10's
published methods, and query budgets that fail if a list's cost grows with its rows."""

import datetime

import pytest
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Complaint, ComplaintSettings, UrgencyLimit
from complaints.services import _deadlines
from tests.complaints.factories import answered, investigated, register, submit_online
from tests.query_budget import assert_constant_queries
from tests.roster.factories import DepartmentFactory, user_with_role
from tollservice.core.errors import DomainError
from tollservice.reminders.models import Deadline


def _visible(user) -> set[int]:
    return set(selectors.complaint_list(user=user).values_list("pk", flat=True))


def test_each_reader_sees_what_concerns_them(people):
    two_days_ago = timezone.now() - datetime.timedelta(days=2)
    mine = register(people, by=people.office2, incident_at=two_days_ago).complaint
    team_case = register(people).complaint  # the team on duty two hours ago: people.team
    media = register(people, channel="media", incident_at=two_days_ago).complaint
    escalated = register(people, incident_at=two_days_ago).complaint
    services.complaint_escalate(complaint=escalated, by=people.office, reason="上报")  # → toll-office head
    everything = {mine.pk, team_case.pk, media.pk, escalated.pk}
    assert _visible(people.office) == everything  # CMP-6: the competent body
    assert _visible(people.office2) == everything
    assert _visible(people.team_leader.user) == {team_case.pk}
    assert _visible(people.leader) == {media.pk}
    assert _visible(people.head.user) == {escalated.pk}
    assert _visible(people.staff_user) == set()
    for role in ("admin", "finance", "supervisor", "none"):
        assert _visible(user_with_role(role)) == set()
    assert selectors.complaint_detail(user=people.staff_user, pk=mine.pk) is None  # a 404


def test_the_list_filters(people, clock):
    attitude = register(people).complaint
    charging = register(people, category="charging", lane=people.other_lane, channel="letter").complaint
    by = {"user": people.office}
    assert list(selectors.complaint_list(**by, category="charging")) == [charging]
    assert list(selectors.complaint_list(**by, channel="letter")) == [charging]
    assert list(selectors.complaint_list(**by, lane_id=people.lane.pk)) == [attitude]
    assert list(selectors.complaint_list(**by, team_id=people.team.pk, category="attitude")) == [attitude]
    assert list(selectors.complaint_list(**by, owner_id=people.office.pk)) == [charging, attitude]
    services.complaint_contact_record(complaint=attitude, by=people.office, method="phone")
    clock.advance(days=2)  # the first contact of the letter is overdue now
    assert list(selectors.complaint_list(**by, overdue=True)) == [charging]
    assert list(selectors.complaint_list(**by, overdue=False)) == [attitude]
    assert list(selectors.complaint_list(**by, status="investigating")) == [attitude]


def test_my_open_complaints_nearest_limit_first(people, clock):
    later = register(people).complaint
    services.complaint_contact_record(complaint=later, by=people.office, method="phone")  # next: the answer
    sooner = register(people, urgency="very_urgent").complaint  # next: first contact within 2 hours
    answered_case = answered(people, register(people).complaint)  # next: the return visit
    rows = selectors.complaints_open_for(user=people.office)
    assert [c.pk for c in rows] == [sooner.pk, answered_case.pk, later.pk]
    assert rows[0].next_due == sooner.first_contact_due
    assert selectors.complaints_open_for(user=people.staff_user) == []


def test_reviews_and_extensions_waiting_for_the_reader(people):
    complaint = answered(people, register(people).complaint)
    services.complaint_return_visit_record(complaint=complaint, by=people.office, result="dissatisfied", method="phone")
    assert [r.complaint for r in selectors.reviews_pending(user=people.head.user)] == [complaint]
    assert list(selectors.reviews_pending(user=people.office)) == []
    other = register(people, by=people.office2).complaint
    services.complaint_extension_request(
        complaint=other,
        by=people.office2,
        reason="复杂",
        new_due=timezone.localdate(other.answer_due) + datetime.timedelta(days=3),
    )
    assert [e.complaint for e in selectors.extensions_pending(user=people.office)] == [other]
    assert list(selectors.extensions_pending(user=people.office2)) == []  # not one's own
    assert list(selectors.extensions_pending(user=people.staff_user)) == []


def test_the_registration_ledger_is_the_offices(people):
    first, second = register(people).complaint, submit_online(people).complaint
    assert list(selectors.complaint_ledger(user=people.office, year=first.year)) == [first, second]
    assert list(selectors.complaint_ledger(user=people.leader, year=first.year)) == []


# --- CMP-10 and the settings ---------------------------------------------------------------------


def test_cmp10_departments_publish_their_complaint_handling_method_and_hotline(people):  # CMP-10
    finance = DepartmentFactory(station=people.station, name="财务室", kind="finance")
    services.department_method_set(
        actor=people.office,
        department=people.toll_office,
        method="首问负责，24小时内联系。",
        hotline="0791-88886666",
        published=True,
    )
    services.department_method_set(
        actor=people.office,
        department=finance,
        method="罚款收缴问题由财务室答复。",
        hotline="0791-88887777",
        published=False,
    )
    published = list(selectors.published_complaint_methods())
    assert [(m.department, m.hotline) for m in published] == [(people.toll_office, "0791-88886666")]
    assert len(selectors.department_methods(user=people.office)) == 2
    assert list(selectors.department_methods(user=people.leader)) == []
    with pytest.raises(DomainError):
        services.department_method_set(
            actor=people.leader, department=finance, method="x", hotline="0791-1", published=True
        )
    with pytest.raises(DomainError) as letters:
        services.department_method_set(
            actor=people.office, department=finance, method="x", hotline="call us", published=True
        )
    assert letters.value.field == "hotline"
    services.department_method_set(
        actor=people.office,
        department=finance,
        method="罚款收缴问题由财务室答复。",
        hotline="0791-88887777",
        published=True,
    )
    assert len(selectors.published_complaint_methods()) == 2


def test_the_office_sets_the_limits_and_new_complaints_follow_them(people):
    services.urgency_limit_update(actor=people.office, urgency="normal", first_contact_hours=12, answer_working_days=3)
    services.complaint_settings_update(actor=people.office, return_visit_days=2, partly_upheld_counts=False)
    complaint = register(people).complaint
    assert complaint.first_contact_hours == 12 and complaint.answer_working_days == 3
    assert ComplaintSettings.load().return_visit_days == 2
    with pytest.raises(DomainError) as out_of_range:
        services.urgency_limit_update(
            actor=people.office, urgency="normal", first_contact_hours=0, answer_working_days=3
        )
    assert out_of_range.value.field == "first_contact_hours"
    with pytest.raises(DomainError):
        services.complaint_settings_update(actor=people.leader, return_visit_days=2)
    assert UrgencyLimit.objects.get(urgency="normal").first_contact_hours == 12


# --- Where the reminder engine will be called -----------------------------------------------------------


def test_the_limits_follow_the_complaint_through_handover_and_voiding(people, deadline_calls):
    complaint = register(people).complaint
    deadline_calls.clear()
    services.complaint_hand_over(complaint=complaint, by=people.office, to=people.office2, reason="调整")
    assert {(what, kind) for what, kind, *_ in deadline_calls} == {
        ("set", _deadlines.FIRST_CONTACT),
        ("set", _deadlines.ANSWER),
    }
    # Voiding closes every limit still open on it in one call to the engine (deadlines_close_all).
    services.complaint_void(complaint=complaint, by=people.office, reason="误登记")
    kinds = Deadline.objects.filter(object_id=complaint.pk).values_list("kind", "status")
    assert set(kinds) == {(_deadlines.FIRST_CONTACT, "cancelled"), (_deadlines.ANSWER, "cancelled")}


# --- Query budgets --------------------------------------------------------------------------------------


def _busy(people, n: int) -> None:
    """``n`` more complaints of every kind: web, linked, escalated, answered, visited."""
    for _ in range(n):
        primary = register(people).complaint
        web = submit_online(people).complaint
        services.complaint_link_duplicate(complaint=web, primary=primary, by=people.office)
        escalated = register(people, channel="media").complaint
        services.complaint_escalate(complaint=escalated, by=people.office, reason="上报")
        answered(people, register(people).complaint)


LISTS = {
    "list": lambda people: list(selectors.complaint_list(user=people.office)),
    "list (team leader)": lambda people: list(selectors.complaint_list(user=people.team_leader.user)),
    "list (leadership)": lambda people: list(selectors.complaint_list(user=people.leader)),
    "ledger": lambda people: list(selectors.complaint_ledger(user=people.office, year=timezone.localdate().year)),
    "open for me": lambda people: selectors.complaints_open_for(user=people.office, limit=100),
    "duplicates": lambda people: selectors.duplicate_candidates(
        user=people.office, complaint=Complaint.objects.order_by("-pk").first(), limit=100
    ),
    "reviews": lambda people: list(selectors.reviews_pending(user=people.head.user)),
}


def _row_fields(rows) -> int:
    """Touch what a list row shows, so that a missing join shows up as a query per row."""
    for row in rows:
        complaint = getattr(row, "complaint", row)
        str(complaint.lane), str(complaint.team), str(complaint.owner)
        if complaint is row:  # a complaint list: who it is escalated to, its primary, first responder
            str(complaint.escalated_to), str(complaint.primary), str(complaint.first_responder)
    return len(rows)


def _dissatisfied_visits() -> None:
    for complaint in Complaint.objects.filter(status="answered", primary__isnull=True, return_visit_result=""):
        services.complaint_return_visit_record(
            complaint=complaint, by=complaint.owner, result="dissatisfied", method="phone"
        )


def test_list_selectors_have_a_query_budget(people):
    _busy(people, 2)
    _dissatisfied_visits()

    def grow():
        _busy(people, 4)
        _dissatisfied_visits()

    assert_constant_queries(
        {name: (lambda call=call: _row_fields(call(people))) for name, call in LISTS.items()},
        grow=grow,
        max_queries=6,
    )


def test_the_complaint_page_has_a_query_budget(people):
    # Every kind of row exists before the first measurement (a prefetch that finds no verdict
    # makes one query less), and grows after it.
    complaint = investigated(people, register(people).complaint)
    services.complaint_link_duplicate(complaint=submit_online(people).complaint, primary=complaint, by=people.office)

    def page() -> int:
        detail = selectors.complaint_detail(user=people.office, pk=complaint.pk)
        for verdict in detail.verdicts:
            [link.staff.name for link in verdict.staff_links.all()]
        [event.actor for event in detail.events]
        [(d.number, str(d.lane)) for d in detail.duplicates]
        return len(detail.events) + len(detail.duplicates)

    def grow():
        for _ in range(3):
            services.complaint_link_duplicate(
                complaint=submit_online(people).complaint, primary=complaint, by=people.office
            )
            services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
        services.complaint_escalate(complaint=complaint, by=people.office, reason="上报")
        services.complaint_apology_record(
            complaint=complaint,
            by=people.office,
            apologised_by=people.collector,
            role="person_concerned",
            method="phone",
        )
        services.complaint_answer(complaint=complaint, by=people.office, reply="答复")

    assert_constant_queries(page, grow=grow, max_queries=40)
