"""The monthly report's complaint figures with the 12328 indicators: one selector, SQL
aggregates, incidents counted once (CMP-1), and definitions shown with the figures and
configurable."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Complaint, Review
from tests.complaints.factories import answered, extended_media_case, investigated, register, submit_online
from tests.query_budget import assert_constant_queries
from tests.roster.factories import user_with_role


def _month(people):
    """A month's complaints: a web complaint linked to a phone one (one incident), a media case
    answered late, a letter not upheld, an extension, dissatisfied and reviewed."""
    phone = answered(people, register(people).complaint)  # upheld, on time
    web = submit_online(people).complaint
    services.complaint_link_duplicate(complaint=web, primary=phone, by=people.office)
    services.complaint_return_visit_record(complaint=phone, by=people.office, result="satisfied", method="phone")
    services.complaint_return_visit_record(complaint=web, by=people.office, result="basically", method="phone")

    letter = investigated(
        people,
        register(people, channel="letter", category="charging").complaint,
        outcome="not_upheld",
        fault="driver",
        at_fault=False,
    )
    services.complaint_answer(complaint=letter, by=people.office, reply="收费符合标准。")
    services.complaint_return_visit_record(complaint=letter, by=people.office, result="dissatisfied", method="phone")
    services.complaint_review_decide(
        review=Review.objects.get(complaint=letter), by=people.head.user, reopen_case=False, reasons="维持"
    )

    media = extended_media_case(people)

    voided = register(people).complaint
    services.complaint_void(complaint=voided, by=people.office, reason="误登记")
    return phone, web, letter, media


def test_the_12328_indicators_counting_each_incident_once(people):
    _month(people)
    today = timezone.localdate()
    figures = selectors.complaint_figures(user=people.leader, date_from=today, date_to=today)
    assert (figures.received, figures.incidents, figures.duplicates_linked) == (4, 3, 1)
    channels = {value: count for value, _label, count in figures.by_channel}
    assert channels == {"web": 0, "phone": 1, "letter": 1, "in_person": 0, "duty_leader": 0, "media": 1, "hotline": 0}
    categories = {value: count for value, _label, count in figures.by_category}
    assert (categories["attitude"], categories["charging"], categories["delay"]) == (1, 1, 1)
    assert (figures.accepted_on_time.numerator, figures.accepted_on_time.denominator) == (4, 4)
    assert (figures.closed_on_time.numerator, figures.closed_on_time.denominator) == (2, 2)
    assert (figures.return_visits.numerator, figures.return_visits.denominator) == (3, 3)
    # Satisfied + basically satisfied (the default definition) of the three reached.
    assert (figures.satisfaction.numerator, figures.satisfaction.denominator) == (2, 3)
    assert figures.satisfaction.percent == Decimal("66.7")
    assert (figures.reviewed.numerator, figures.reviewed.denominator) == (1, 1)
    assert (figures.upheld.numerator, figures.upheld.denominator) == (1, 2)
    assert figures.extensions == 1


def test_the_definitions_are_shown_and_configurable(people):
    _month(people)
    today = timezone.localdate()
    services.complaint_settings_update(actor=people.office, basically_satisfied_counts=False)
    figures = selectors.complaint_figures(user=people.office, date_from=today, date_to=today)
    assert (figures.satisfaction.numerator, figures.satisfaction.denominator) == (1, 3)
    definitions = dict(figures.definitions)
    assert "满意" in definitions["回访满意率"] and "基本满意" not in definitions["回访满意率"]
    assert set(definitions) >= {"及时受理", "限时办结", "复核", "回访率", "回访满意率", "投诉事件数"}


def test_the_figures_cost_one_query_whatever_the_rows(people):
    today = timezone.localdate()
    _month(people)
    assert_constant_queries(
        lambda: selectors.complaint_figures(user=people.office, date_from=today, date_to=today).received,
        grow=lambda: _month(people),
        max_queries=2,  # the settings row and one aggregate
    )


def test_an_empty_period_has_no_rates_rather_than_zero_percent(people):
    figures = selectors.complaint_figures(
        user=people.office, date_from=datetime.date(2020, 1, 1), date_to=datetime.date(2020, 1, 31)
    )
    assert figures.received == 0 and figures.satisfaction.percent is None


@pytest.mark.parametrize("role", ["team_leader", "staff", "finance", "supervisor"])
def test_the_figures_are_for_the_office_the_leadership_and_the_administrator(people, role):
    with pytest.raises(PermissionDenied):
        selectors.complaint_figures(
            user=user_with_role(role), date_from=timezone.localdate(), date_to=timezone.localdate()
        )
    selectors.complaint_figures(
        user=user_with_role("admin"), date_from=timezone.localdate(), date_to=timezone.localdate()
    )


def test_voided_registrations_count_nowhere(people):
    complaint = register(people).complaint
    services.complaint_void(complaint=complaint, by=people.office, reason="误登记")
    today = timezone.localdate()
    assert selectors.complaint_figures(user=people.office, date_from=today, date_to=today).received == 0
    assert Complaint.objects.count() == 1
