"""Four eyes: the leadership group's decision on a penalty (PEN-2 repeat, suspension, dismissal)
is never taken by the person who decided the penalty for the office, and a waiver's approvers
are never its requester — even when one person holds an office seat and a leadership seat, as
the demo's office director does. Where nobody else could take the step, the page says so
instead of offering a button that the service would refuse.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from penalties import permissions, selectors, services
from penalties.models import Penalty, WaiverRequest
from tests.penalties.factories import decided_service_code, proposed_complaint
from tests.roster.factories import LeadershipMembershipFactory, user_with_role
from tollservice.access.roles import Role, forget_roles, roles_for
from tollservice.core.errors import DomainError
from tollservice.roster.models import LeadershipMembership

pytestmark = pytest.mark.django_db

Status = Penalty.Status


@pytest.fixture
def director(people):
    """The office director who also sits in the leadership group (the demo's ``office``)."""
    user = user_with_role("office")
    LeadershipMembershipFactory(staff=user.staff_profile)
    forget_roles(user)
    assert {Role.OFFICE, Role.LEADERSHIP} <= roles_for(user).roles
    return user


def _repeat_decided_by(user, staff) -> Penalty:
    """PEN-2: the person's second violation in the year, decided by ``user``: it waits."""
    decided_service_code(office=user, staff=staff)
    penalty = decided_service_code(office=user, staff=staff)
    assert penalty.status == Status.AWAITING_APPROVAL and penalty.decided_by == user
    return penalty


def test_pen2_whoever_decided_a_repeat_does_not_approve_it_too(people, director):
    # PEN-2: before, the director proposed, decided and approved the repeat alone.
    penalty = _repeat_decided_by(director, people.collector)
    for step in (
        lambda: services.penalty_approve(
            penalty=penalty, approved_by=director, reasons="屡犯", prohibitions=list(_prohibitions())
        ),
        lambda: services.penalty_reject(penalty=penalty, rejected_by=director, reasons="不同意"),
    ):
        with pytest.raises(DomainError) as refused:
            step()
        assert refused.value.code == "four_eyes"
    penalty.refresh_from_db()
    assert penalty.status == Status.AWAITING_APPROVAL
    # Another member of the leadership group decides on it.
    approved = services.penalty_approve(
        penalty=penalty, approved_by=people.leader, reasons="屡犯", prohibitions=list(_prohibitions())
    )
    assert approved.status == Status.APPROVED


def test_pen3_a_suspension_is_approved_by_someone_else_than_who_decided_it(people, director):
    # PEN-3: suspension waits for the leadership group; the director who decided it is not it.
    penalty = proposed_complaint(office=director, staff=people.collector, suspension=True)
    penalty = services.penalty_decide(penalty=penalty, decided_by=director)
    assert penalty.status == Status.AWAITING_APPROVAL
    assert permissions.can_approve(director, penalty).code == "four_eyes"
    assert permissions.can_approve(people.leader, penalty)
    with pytest.raises(DomainError):
        services.penalty_approve(penalty=penalty, approved_by=director)
    assert services.penalty_approve(penalty=penalty, approved_by=people.leader).status == Status.APPROVED


def test_the_leadership_is_told_of_a_penalty_waiting_but_not_the_member_who_decided_it(people, director):
    penalty = _repeat_decided_by(director, people.collector)
    waiting = [n.recipient for n in director.notifications.all()] + [
        n.recipient for n in people.leader.notifications.all()
    ]
    assert people.leader in waiting and director not in waiting
    assert penalty.status == Status.AWAITING_APPROVAL


def _prohibitions():
    from inspections.models import Prohibition

    return Prohibition.objects.all()[:1]


def _sign_in(client, user):
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def test_pen2_the_page_offers_the_decider_no_approval_and_says_why(client, people, director):
    penalty = _repeat_decided_by(director, people.collector)
    page = _sign_in(client, director).get(reverse("penalties:penalty_detail", args=[penalty.pk])).content.decode()
    assert reverse("penalties:penalty_approve", args=[penalty.pk]) not in page
    assert reverse("penalties:penalty_reject", args=[penalty.pk]) not in page
    assert "You decided this penalty for the office; another member of the leadership group decides on it." in page
    # The approval form itself says so, and sending it anyway is refused.
    form = client.get(reverse("penalties:penalty_approve", args=[penalty.pk]))
    assert "another member of the leadership group decides on it" in form.content.decode()
    # Another member is offered the buttons.
    page = _sign_in(client, people.leader).get(reverse("penalties:penalty_detail", args=[penalty.pk]))
    assert reverse("penalties:penalty_approve", args=[penalty.pk]) in page.content.decode()


def test_when_no_other_leadership_member_exists_the_pages_say_so(client, people, director):
    # Only the director sits in the leadership group: nobody can approve what they decided.
    LeadershipMembership.objects.exclude(staff=director.staff_profile).delete()
    for user in (people.leader, people.leader2):
        forget_roles(user)
    decision = selectors.decision_context(
        user=director, penalty=proposed_complaint(office=director, staff=people.collector, suspension=True)
    )
    assert decision.no_other_approver
    penalty = _repeat_decided_by(director, people.other)
    assert selectors.approvers_for(penalty) == []
    for user in (director, people.office):
        page = _sign_in(client, user).get(reverse("penalties:penalty_detail", args=[penalty.pk])).content.decode()
        assert "No member of the leadership group other than the one who decided this penalty can decide" in page
        assert reverse("penalties:penalty_approve", args=[penalty.pk]) not in page
    # The decision page warns before a penalty is sent to wait for nobody.
    proposal = proposed_complaint(office=director, staff=people.head, suspension=True)
    page = _sign_in(client, director).get(reverse("penalties:penalty_decide", args=[proposal.pk]))
    assert 'id="no-other-approver"' in page.content.decode()


# --- Waivers (PEN-5) ---------------------------------------------------------------------------


def test_pen5_a_waiver_is_never_approved_by_its_requester_whatever_seats_they_hold(people, director):
    fine = decided_service_code(office=people.office, staff=people.collector)
    waiver = services.waiver_request(penalty=fine, requested_by=director, reason="家庭困难")
    with pytest.raises(DomainError) as refused:
        services.waiver_approve(waiver=waiver, approved_by=director)
    assert refused.value.code == "own_request"
    steps = selectors.waiver_steps(user=director, waiver=selectors.waiver_detail(user=director, pk=waiver.pk))
    assert steps.approve.code == "own_request" and steps.note == steps.approve.message
    # Two others, one from the leadership group, approve it.
    services.waiver_approve(waiver=waiver, approved_by=people.finance)
    services.waiver_approve(waiver=waiver, approved_by=people.leader)
    waiver.refresh_from_db()
    assert waiver.status == WaiverRequest.Status.APPROVED
    # Nobody else in the leadership group was asked to approve their own request.
    assert not director.notifications.filter(url__contains=f"/waivers/{waiver.pk}/").exists()


def test_pen5_when_the_requester_is_the_only_leadership_member_the_waiver_page_says_so(client, people, director):
    LeadershipMembership.objects.exclude(staff=director.staff_profile).delete()
    for user in (people.leader, people.leader2, people.finance):
        forget_roles(user)
    fine = decided_service_code(office=people.office, staff=people.collector)
    waiver = services.waiver_request(penalty=fine, requested_by=director, reason="家庭困难")
    page = _sign_in(client, people.finance).get(reverse("penalties:waiver_detail", args=[waiver.pk]))
    content = page.content.decode()
    assert "No member of the leadership group other than the one who asked for this waiver can approve it" in content
    assert reverse("penalties:waiver_approve", args=[waiver.pk]) not in content
    assert reverse("penalties:waiver_reject", args=[waiver.pk]) in content  # it can still be turned down
