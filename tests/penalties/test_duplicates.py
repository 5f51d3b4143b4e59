"""The same proposal twice makes one penalty (PEN-1, PEN-2, PEN-5).

A proposal for the same person, day and provisions as an open or decided one — or from the
same source record — is refused with the number of the first, unless the office confirms that
it is a separate incident. So a double-click on "Propose", or twenty copies of the form posted
at once, cannot make a person a repeat offender (PEN-2) or fine them twice.
"""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from penalties import services
from penalties.models import Penalty
from tests.penalties.concurrency import race
from tests.penalties.factories import provisions
from tests.services import require_postgres
from tests.submissions import opened
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.django_db

Rule = Penalty.Rule
Source = Penalty.Source


def _propose(people, *, staff=None, n=1, cited=None, **kwargs):
    return services.penalty_propose(
        proposed_by=people.office,
        staff=staff or people.collector,
        rule=Rule.SERVICE_CODE,
        source=Source.INSPECTION_FINDING,
        incident_date=kwargs.pop("incident_date", timezone.localdate()),
        description="未使用文明用语。",
        provisions=cited if cited is not None else provisions(n),
        **kwargs,
    )


def test_the_same_proposal_twice_is_refused_with_the_number_of_the_first(people):
    first = _propose(people, n=2)
    with pytest.raises(DomainError) as refused:
        _propose(people, n=2)
    assert refused.value.code == "duplicate_proposal" and refused.value.field == "separate_incident"
    assert refused.value.params["number"] == first.pk
    assert Penalty.objects.count() == 1


def test_a_decided_penalty_is_not_proposed_again_either(people):
    first = services.penalty_decide(penalty=_propose(people), decided_by=people.office)
    with pytest.raises(DomainError) as refused:
        _propose(people)
    assert refused.value.params["number"] == first.pk


def test_a_separate_incident_is_proposed_once_confirmed(people):
    _propose(people)
    second = _propose(people, separate_incident=True)
    assert Penalty.objects.count() == 2 and second.pk


@pytest.mark.parametrize(
    "change",
    [
        {"incident_date": timezone.localdate() - datetime.timedelta(days=1)},  # another day
        {"n": 2},  # other provisions
    ],
)
def test_another_day_or_other_provisions_is_another_proposal(people, change):
    _propose(people)
    _propose(people, **change)
    assert Penalty.objects.count() == 2


def test_a_withdrawn_or_rejected_proposal_may_be_made_again(people):
    first = _propose(people)
    services.penalty_withdraw(penalty=first, withdrawn_by=people.office, reasons="录入有误")
    assert _propose(people).pk != first.pk


def test_a_source_record_proposes_once_and_two_records_of_one_day_are_two_incidents(people):
    # An inspection finding or a complaint proposes its penalty once, whatever the date given;
    # two different records of the same day are two incidents (two drivers complained).
    first_record, second_record = people.team_leader, people.head  # any saved objects stand for records
    _propose(people, source_object=first_record)
    with pytest.raises(DomainError):
        _propose(people, source_object=first_record, incident_date=timezone.localdate() - datetime.timedelta(days=3))
    _propose(people, source_object=second_record)
    assert Penalty.objects.count() == 2


def test_pen3_and_pen4_duplicates_are_refused_too(people):
    services.penalty_propose(
        proposed_by=people.office,
        staff=people.other,
        rule=Rule.COMPLAINT,
        source=Source.VERIFIED_COMPLAINT,
        incident_date=timezone.localdate(),
        description="态度生硬。",
        fine_fen=30000,
    )
    with pytest.raises(DomainError):
        services.penalty_propose(
            proposed_by=people.office,
            staff=people.other,
            rule=Rule.COMPLAINT,
            source=Source.VERIFIED_COMPLAINT,
            incident_date=timezone.localdate(),
            description="态度生硬。",
            fine_fen=40000,
        )
    pair = {
        "proposed_by": people.office,
        "handler": people.collector,
        "incident_date": timezone.localdate(),
        "description": "处理投诉不当。",
        "handler_fine_fen": 30000,
        "head_fine_fen": 30000,
    }
    services.penalty_propose_handling_violation(**pair)
    with pytest.raises(DomainError):
        services.penalty_propose_handling_violation(**pair)
    assert Penalty.objects.filter(rule__in=[Rule.HANDLING_HANDLER, Rule.HANDLING_HEAD]).count() == 2


def _login(client, user):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def _form(people, **extra) -> dict:
    return {
        "rule": Rule.SERVICE_CODE,
        "staff_pk": people.collector.pk,
        "source": Source.INSPECTION_FINDING,
        "incident_date": timezone.localdate().isoformat(),
        "description": "未使用文明用语。",
        "provisions": [p.pk for p in provisions(1)],
        "propose": "1",
        **extra,
    }


def test_pen2_a_double_click_on_propose_does_not_make_a_repeat_offender(client, people):
    # PEN-2: two clicks send the form twice. Before, each made a penalty, and deciding both made
    # the person a repeat offender waiting for the leadership group.
    office = _login(client, people.office)
    url = reverse("penalties:penalty_propose")
    first = office.post(url, _form(people))
    penalty = Penalty.objects.get()
    assert first.status_code == 302
    # The second click, from a second copy of the page (another token): refused with a link.
    second = office.post(url, _form(people))
    assert second.status_code == 200 and Penalty.objects.count() == 1
    content = second.content.decode()
    assert f"already has this penalty, proposed or decided: no. {penalty.pk}" in content
    assert reverse("penalties:penalty_detail", args=[penalty.pk]) in content
    assert 'name="propose"' not in content  # the preview shows the first one instead of "Propose"
    decided = services.penalty_decide(penalty=penalty, decided_by=people.office)
    assert decided.status == Penalty.Status.DECIDED and not decided.escalated


def test_the_form_proposes_a_separate_incident_once_confirmed(client, people):
    office = _login(client, people.office)
    url = reverse("penalties:penalty_propose")
    office.post(url, _form(people))
    preview_only = {key: value for key, value in _form(people).items() if key != "propose"}
    preview = office.post(url, preview_only | {"preview": "1"})
    assert 'name="propose"' not in preview.content.decode() and 'id="separate-incident"' in preview.content.decode()
    preview = office.post(url, preview_only | {"preview": "1", "separate_incident": "on"})
    assert 'name="propose"' in preview.content.decode()
    assert office.post(url, _form(people, separate_incident="on")).status_code == 302
    assert Penalty.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_proposals_posted_at_once_make_one_penalty(people):
    # Twenty copies of the proposal form (each opened on its own, so each with its own token)
    # posted at the same moment: the person's row lock queues them and each later one finds the
    # first. Before, twenty penalties.
    require_postgres()
    url = reverse("penalties:penalty_propose")
    data = _form(people)

    def post_a_copy():
        client = _login(Client(), people.office)
        form = data | opened(client, url)
        return lambda: client.post(url, form).status_code

    posts = [post_a_copy() for _ in range(20)]
    outcomes = race(posts)
    assert sorted(value for kind, value in outcomes if kind == "ok") == [200] * 19 + [302], outcomes
    assert Penalty.objects.count() == 1


@pytest.mark.postgres
def test_twenty_identical_service_calls_at_once_make_one_penalty(transactional_db, people):
    require_postgres()
    cited = provisions(2)
    outcomes = race([lambda: _propose(people, cited=cited) for _ in range(20)])
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * 19, outcomes
    assert Penalty.objects.count() == 1
