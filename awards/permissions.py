"""Who may take which step of the campaign and the selection, on which object — written once.

The services call ``verdict.check()`` before they write, and the pages offer a button only where
the same verdict allows it (``tollservice.core.verdicts``). What a role may do at all is
``tollservice.access.permissions``; what is checked here is the step on one object: its state,
"your own case" (``penalties.permissions.is_own_case``, the one definition) and four eyes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from awards.models import Award, Campaign, Commendation, Nomination, Selection
from penalties.permissions import is_own_case
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.core.verdicts import ALLOWED, Verdict, first_refusal, holds, refused
from tollservice.roster.models import Staff

Status = Nomination.Status

OWN_CANDIDACY = refused(_("You cannot act on a nomination of yourself or your team."), "own_case")
NOT_PENDING = refused(_("This nomination has already been decided or withdrawn."), "not_pending")


_OWN_TEAM_ATTR = "_awards_own_team_id"


def _own_team_id(user) -> int | None:
    """The team the user works in (looked up once per request: a list of nominations asks for
    every row)."""
    if not hasattr(user, _OWN_TEAM_ATTR):
        staff_id = roles_for(user).staff_id
        team_id = Staff.objects.filter(pk=staff_id).values_list("team_id", flat=True).first() if staff_id else None
        setattr(user, _OWN_TEAM_ATTR, team_id)
    return getattr(user, _OWN_TEAM_ATTR)


def _not_own_candidacy(user, *, team_id: int | None, staff_id: int | None) -> Verdict:
    """Nobody acts on a nomination of themselves (``penalties.permissions.is_own_case``, the one
    definition), of a team they lead or of the team they work in."""
    if staff_id is not None and is_own_case(user, staff_id):
        return OWN_CANDIDACY
    if team_id is not None and (team_id in roles_for(user).led_team_ids or team_id == _own_team_id(user)):
        return OWN_CANDIDACY
    return ALLOWED


def _pending(nomination: Nomination) -> Verdict:
    return ALLOWED if nomination.status == Status.NOMINATED else NOT_PENDING


def _weights_open(*, approved: int) -> Verdict:
    if approved:
        return refused(
            _("An award of this kind has been approved: its places, reward and weights stay as they were decided."),
            "decided",
        )
    return ALLOWED


# --- The campaign (CAM-1, CAM-2) -------------------------------------------------------------------


def can_change_campaign(user, campaign: Campaign) -> Verdict:
    """The office sets the campaign's phases and dates (CAM-1)."""
    return holds(user, "awards.manage")


def can_record_study(user, campaign: Campaign, staff: Staff) -> Verdict:
    """CAM-2: the office confirms anyone's study; a team leader their own team's members."""
    return first_refusal(holds(user, "awards.study"), lambda: _office_or_own_team(user, staff))


def _office_or_own_team(user, staff: Staff) -> Verdict:
    if has_permission(user, "awards.manage") or staff.team_id in roles_for(user).led_team_ids:
        return ALLOWED
    return refused(_("A team leader confirms the study of their own team's members."), "not_your_team")


def can_remind_study(user, campaign: Campaign) -> Verdict:
    """CAM-2: the office reminds those who have not studied yet."""
    return holds(user, "awards.manage")


# --- The selection (AWD-1, AWD-2) ------------------------------------------------------------------


def can_change_selection(user, selection: Selection, *, approved: int) -> Verdict:
    """The office sets places, reward and weights until an award of the kind is approved."""
    return first_refusal(holds(user, "awards.manage"), _weights_open(approved=approved))


def can_refresh_ranking(user, selection: Selection) -> Verdict:
    """AWD-1: the office has the stored ranking computed again ("Recompute now")."""
    return holds(user, "awards.manage")


def can_nominate(user, selection: Selection, *, team_id: int | None = None, staff_id: int | None = None) -> Verdict:
    """AWD-1: the office puts candidates forward, never itself or its own team."""
    return first_refusal(
        holds(user, "awards.manage"), lambda: _not_own_candidacy(user, team_id=team_id, staff_id=staff_id)
    )


def can_withdraw(user, nomination: Nomination) -> Verdict:
    """The office withdraws a nomination the leadership group has not decided."""
    return first_refusal(holds(user, "awards.manage"), _pending(nomination))


def can_approve(user, nomination: Nomination) -> Verdict:
    """AWD-1: the leadership group decides a nomination — four eyes: never the person who
    nominated it, even if they also hold a leadership seat, and nobody on their own candidacy."""
    return first_refusal(
        holds(user, "awards.approve"),
        _pending(nomination),
        ALLOWED
        if nomination.nominated_by_id != user.pk
        else refused(
            _("You nominated this candidate for the office; another member of the leadership group decides."),
            "four_eyes",
        ),
        lambda: _not_own_candidacy(user, team_id=nomination.team_id, staff_id=nomination.staff_id),
    )


# Rejecting is the leadership group's decision as well, under the same conditions.
can_reject = can_approve


# --- What winners get (AWD-1) ----------------------------------------------------------------------


def can_record_plaque(user, award: Award) -> Verdict:
    """The office records when and where an honour plaque was presented."""
    return holds(user, "awards.manage")


def can_edit_commendation(user, commendation: Commendation | None) -> Verdict:
    """The office words the circulated commendation until it is published."""
    return first_refusal(
        holds(user, "awards.manage"),
        ALLOWED
        if commendation is None or commendation.status == Commendation.Status.DRAFT
        else refused(_("The commendation has been published; it is not changed."), "published"),
    )


def can_publish_commendation(user, commendation: Commendation | None, *, awards: int, pending: int) -> Verdict:
    """AWD-1: the commendation is circulated once every nomination is decided and there is a
    winner to commend."""
    return first_refusal(
        can_edit_commendation(user, commendation),
        ALLOWED if commendation is not None else refused(_("Draft the commendation first."), "no_draft"),
        ALLOWED if awards else refused(_("There is no approved award to commend yet."), "no_awards"),
        ALLOWED
        if not pending
        else refused(_("Nominations still wait for the leadership group; publish once they are decided."), "pending"),
    )
