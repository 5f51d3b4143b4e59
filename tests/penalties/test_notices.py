"""The person penalized is told of the decision however the roster lets the portal reach them,
and the pages never say "notified" of someone it could not reach (most staff have no account)."""

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from penalties import selectors, services
from penalties.models import PenaltyEvent
from tests.penalties.factories import proposed_service_code
from tests.roster.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _decide(client, people, staff):
    penalty = proposed_service_code(office=people.office, staff=staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.office)
    response = client.post(reverse("penalties:penalty_decide", args=[penalty.pk]), {"reasons": ""}, follow=True)
    assert response.status_code == 200
    return penalty, response.content.decode()


def test_a_person_with_an_account_is_notified_in_the_portal(client, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        penalty, page = _decide(client, people, people.collector)
    assert f"{people.collector.name} has been notified in the portal and by email." in page
    event = penalty.events.get(kind=PenaltyEvent.Kind.NOTIFIED)
    assert event.details["reach"] == "inbox" and event.details["recipient"] == people.collector.user_id


def test_a_person_without_an_account_is_notified_by_email_at_the_roster_address(
    client, people, django_capture_on_commit_callbacks
):
    # Before, the page said "has been notified" and nothing was sent.
    staff = StaffFactory(department=people.toll_office, team=people.team, email="zhang@station.invalid")
    with django_capture_on_commit_callbacks(execute=True):
        penalty, page = _decide(client, people, staff)
    assert f"{staff.name} has no portal account and has been notified by email at zhang@station.invalid." in page
    [message] = mail.outbox
    assert message.to == ["zhang@station.invalid"]
    assert penalty.events.get(kind=PenaltyEvent.Kind.NOTIFIED).details["reach"] == "email"


def test_a_person_who_cannot_be_reached_gets_a_printable_notice(client, people):
    # Neither an account nor an email address: the page says so and points to the notice.
    staff = StaffFactory(department=people.toll_office, team=people.team, email="")
    penalty, page = _decide(client, people, staff)
    assert "has been notified" not in page
    assert f"{staff.name} could not be notified" in page
    notice_url = reverse("penalties:penalty_notice", args=[penalty.pk])
    assert notice_url in page
    assert penalty.events.filter(kind=PenaltyEvent.Kind.NOT_NOTIFIED).exists()
    penalty.refresh_from_db()
    assert not selectors.penalty_notice(penalty=penalty).reached
    notice = client.get(notice_url)
    assert notice.status_code == 200
    content = notice.content.decode()
    assert staff.name in content and "Notice of a penalty decision" in content and "¥200.00" in content


def test_the_leadership_approval_says_how_the_person_was_told_too(client, people):
    staff = StaffFactory(department=people.toll_office, team=people.team, email="")
    services.penalty_decide(penalty=proposed_service_code(office=people.office, staff=staff), decided_by=people.office)
    repeat = services.penalty_decide(
        penalty=proposed_service_code(office=people.office, staff=staff), decided_by=people.office
    )
    from inspections.models import Prohibition

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(people.leader)
    data = {
        "reasons": "屡犯",
        "prohibitions": [Prohibition.objects.first().pk],
        "fine": "200.00",
    }
    page = client.post(reverse("penalties:penalty_approve", args=[repeat.pk]), data, follow=True).content.decode()
    assert "could not be notified" in page and reverse("penalties:penalty_notice", args=[repeat.pk]) in page
