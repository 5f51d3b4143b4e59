"""The penalties' history and summaries name people by their roster name (person_name)."""

from penalties import services
from tests.penalties.factories import decided_service_code
from tollservice.audit.selectors import history_for


def test_a_waiver_approval_is_recorded_with_the_approvers_roster_name(people):
    # The history read "减免已由deputy批准": the login name where the person's name belongs.
    penalty = decided_service_code(office=people.office, staff=people.collector)
    people.leader.username, people.leader.first_name = "deputy", ""
    people.leader.save()
    waiver = services.waiver_request(penalty=penalty, requested_by=people.office, reason="困难", amount_fen=100)
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    summaries = list(history_for(waiver).values_list("summary", flat=True))
    assert any(people.leader.staff_profile.name in summary for summary in summaries), summaries
    assert not any("deputy" in summary for summary in summaries)
