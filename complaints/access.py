"""Who may see and do what with one complaint, decided once.

The selectors scope every query with ``visible_q``; the services check ``can_…`` before writing;
the pages (phase 2) show a button only where the same ``can_…`` says yes — so a button and its
guard never disagree. The role-level permissions are in ``tollservice.access.permissions``.

The persons a complaint is about never handle it and never see the driver's name, phone or plate,
whatever else they are (CMP-2's confrontation is what this prevents).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from complaints.models import Complaint, ComplaintSubject, Escalation, Review
from tollservice.access.permissions import has_permission
from tollservice.access.roles import Role, roles_for


def visible_q(user, *, indexed: bool = False) -> Q:
    """The complaints ``user`` may see, as a filter (404 for the rest, like a missing one).

    Two forms of the same rows. By default the reader's own complaints are checked row by row
    (a join and a probe per row), which lets a list walk its order index and stop after a page.
    ``indexed``: every condition on an indexed column or a set of keys read once, which the
    database reads as a union of indexes: what counting the scope needs (a team leader's list
    counts 10,000 complaints; SQLite would otherwise read them one by one)."""
    roles = roles_for(user)
    if has_permission(user, "complaints.view_all"):
        return Q()
    if not (has_permission(user, "complaints.handle") or Role.LEADERSHIP in roles):
        return Q(pk__in=[])
    escalated = Escalation.objects.filter(to_staff__user=user)
    reviewed = Review.objects.filter(reviewer__user=user)
    scope = Q(owner=user) | Q(first_responder=user) | Q(registered_by=user)
    if indexed:
        scope |= Q(pk__in=escalated.values("complaint_id")) | Q(pk__in=reviewed.values("complaint_id"))
        scope |= Q(escalated_to_id=roles.staff_id) if roles.staff_id is not None else Q(pk__in=[])
    else:
        scope |= Q(escalated_to__user=user)
        scope |= Q(Exists(escalated.filter(complaint=OuterRef("pk")))) | Q(
            Exists(reviewed.filter(complaint=OuterRef("pk")))
        )
    if Role.LEADERSHIP in roles:
        scope |= Q(channel__in=Complaint.LEADERSHIP_CHANNELS) | Q(level=Complaint.Level.GROUP_OFFICE)
    if roles.led_team_ids:
        scope |= Q(team_id__in=roles.led_team_ids)
    return scope


def can_view(user, complaint: Complaint) -> bool:
    return Complaint.objects.filter(visible_q(user), pk=complaint.pk).exists()


def is_subject(user, complaint: Complaint) -> bool:
    """Is ``user`` one of the persons the complaint is about?"""
    staff_id = roles_for(user).staff_id
    return staff_id is not None and ComplaintSubject.objects.filter(complaint=complaint, staff_id=staff_id).exists()


def is_handler(user, complaint: Complaint) -> bool:
    """The owner, or the person it is escalated to now (CMP-3: who takes it over and coordinates)."""
    if user is None or not user.is_authenticated:
        return False
    if complaint.owner_id == user.pk:
        return True
    staff_id = roles_for(user).staff_id
    return staff_id is not None and complaint.escalated_to_id == staff_id


def can_handle(user, complaint: Complaint) -> bool:
    """May record contacts, accounts, the verdict, the answer and the return visit: the handler,
    or the group office (CMP-6) — never a person the complaint is about."""
    if not (is_handler(user, complaint) or has_permission(user, "complaints.manage")):
        return False
    return not is_subject(user, complaint)


def can_see_complainant(user, complaint: Complaint) -> bool:
    """May see the driver's name and the plate, and the phone masked (revealing it is logged)."""
    return can_view(user, complaint) and not is_subject(user, complaint)


def can_hand_over(user, complaint: Complaint) -> bool:
    """CMP-8: the owner hands over their complaint; the group office any complaint."""
    if complaint.owner_id is None:
        return False
    return complaint.owner_id == user.pk or has_permission(user, "complaints.manage")


def can_take_up(user, complaint: Complaint) -> bool:
    """A complaint that nobody owns yet (sent through the web form) is taken up by staff who
    register complaints."""
    return (
        complaint.owner_id is None and has_permission(user, "complaints.register") and not is_subject(user, complaint)
    )


def can_link_duplicates(user, complaint: Complaint, primary: Complaint | None = None) -> bool:
    """CMP-1: the group office links any two complaints; a handler links their own to one they
    can see."""
    if has_permission(user, "complaints.manage"):
        return True
    if not can_handle(user, complaint):
        return False
    return primary is None or can_view(user, primary)


def can_propose_penalty(user, complaint: Complaint) -> bool:
    """PEN-3 / PEN-4 proposals are the office's (PEN-5), about a complaint it can see."""
    return has_permission(user, "penalties.propose") and can_view(user, complaint) and not is_subject(user, complaint)


def can_decide_review(user, review: Review) -> bool:
    """The head of the toll-collection office named as reviewer; the group office when the
    roster names no head with an account."""
    staff_id = roles_for(user).staff_id
    if review.reviewer_id is not None and review.reviewer.user_id is not None:
        return staff_id == review.reviewer_id
    return has_permission(user, "complaints.manage") and not is_subject(user, review.complaint)
