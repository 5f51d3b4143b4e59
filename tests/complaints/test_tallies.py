"""The year's complaint figures per team and per person that rankings read
(complaints.selectors.tallies): counted as the monthly figures count them, the standing verdict
deciding who was at fault, the same for every reader."""

from django.utils import timezone

from complaints import services
from complaints.selectors import tallies
from tests.complaints.factories import answered, investigated, register, submit_online


def test_upheld_complaints_per_team_and_per_person_at_fault(people, django_assert_num_queries):
    phone = answered(people, register(people).complaint)  # upheld against the collector
    web = submit_online(people).complaint
    services.complaint_link_duplicate(complaint=web, primary=phone, by=people.office)  # one incident (CMP-1)
    investigated(people, register(people).complaint, outcome="not_upheld", fault="driver", at_fault=False)
    voided = register(people).complaint
    services.complaint_void(complaint=voided, by=people.office, reason="误登记")
    today = timezone.localdate()
    with django_assert_num_queries(3):  # the settings, per team, per person
        by_team, by_staff = tallies.upheld_tallies(date_from=today, date_to=today)
    assert phone.team_id == people.team.pk
    assert by_team == {people.team.pk: 1}
    assert by_staff == {people.collector.pk: 1}


def test_a_later_verdict_clearing_the_person_stands(people):
    complaint = investigated(people, register(people).complaint)  # the collector at fault
    services.complaint_statement_record(complaint=complaint, by=people.office, staff=people.other, account="是我当班。")
    services.complaint_verdict_record(
        complaint=complaint,
        by=people.office,
        outcome="upheld",
        fault="station",
        findings="复查监控：当班的是另一名收费员。",
        staff_involved=[people.collector, people.other],
        staff_at_fault=[people.other],
    )
    today = timezone.localdate()
    _by_team, by_staff = tallies.upheld_tallies(date_from=today, date_to=today)
    assert by_staff == {people.other.pk: 1}
    listed = tallies.complaints_counted_for(
        user=people.office, date_from=today, date_to=today, staff_id=people.collector.pk
    )
    # Still about the collector (involved), no longer counted against them.
    assert [(c.pk, c.counts_upheld) for c in listed] == [(complaint.pk, False)]


def test_return_visits_per_team_and_per_person_complained_about(people):
    phone = answered(people, register(people).complaint)
    services.complaint_subjects_set(complaint=phone, by=people.office, staff=[people.collector])
    web = submit_online(people).complaint
    services.complaint_link_duplicate(complaint=web, primary=phone, by=people.office)
    services.complaint_return_visit_record(complaint=phone, by=people.office, result="satisfied", method="phone")
    services.complaint_return_visit_record(complaint=web, by=people.office, result="dissatisfied", method="phone")
    today = timezone.localdate()
    by_team, by_staff = tallies.return_visit_tallies(date_from=today, date_to=today)
    # Each driver counts (the web complaint's driver too, CMP-1's duplicate).
    assert by_team[people.team.pk] == tallies.ReturnVisitTally(visited=2, satisfied=1)
    assert by_staff[people.collector.pk] == tallies.ReturnVisitTally(visited=1, satisfied=1)
    listed = tallies.complaints_counted_for(
        user=people.office, date_from=today, date_to=today, staff_id=people.collector.pk
    )
    assert [(c.pk, c.counts_upheld) for c in listed] == [(phone.pk, True)]
    team_list = tallies.complaints_counted_for(
        user=people.office, date_from=today, date_to=today, team_id=people.team.pk
    )
    assert [(c.pk, c.counts_upheld) for c in team_list] == [(phone.pk, True), (web.pk, False)]
