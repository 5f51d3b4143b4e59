"""Reads of the records kept with penalties: circulars, talks (INS-4), losses of award
eligibility (INS-5) and the eligibility look-up (AWD-2). Each takes ``user=`` and scopes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from penalties import permissions, rules
from penalties.models import Circular, EligibilityRevocation, Penalty, TalkRecord
from penalties.selectors.eligibility import Eligibility, award_eligibility, award_eligibility_bulk
from penalties.selectors.penalties import penalties_visible_to
from penalties.selectors.policy import policy_in_force
from tollservice.access.permissions import has_permission
from tollservice.roster import selectors as roster_selectors
from tollservice.roster.models import Staff, Team
from tollservice.roster.names import person_name_related

# --- Circulars ----------------------------------------------------------------------------------


def circular_list(*, user, status: str | None = None) -> QuerySet[Circular]:
    """Published circulars are read by everyone with a place in the penalties pages (INS-3:
    announced at the station affairs meeting); drafts and withdrawn ones only by those who see
    every penalty."""
    circulars = Circular.objects.select_related("drafted_by", "published_by").prefetch_related(
        "departments", "penalties__staff"
    )
    if not has_permission(user, "penalties.view_all"):
        if not has_permission(user, "penalties.view_own"):
            return circulars.none()
        circulars = circulars.filter(status=Circular.Status.PUBLISHED)
    return circulars.filter(status=status) if status else circulars


def circular_detail(*, user, pk: int) -> Circular:
    """One circular in the user's scope; ``Circular.DoesNotExist`` outside it."""
    return circular_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class CircularPage:
    circular: Circular
    # The penalties it concerns that the reader may open (a person sees their own, a team
    # leader their team's, the office all of them).
    penalties: list[Penalty]
    may_edit: permissions.Verdict
    may_publish: permissions.Verdict


def circular_page(*, user, circular: Circular) -> CircularPage:
    visible = penalties_visible_to(user).filter(circular=circular).select_related("staff").order_by("pk")
    return CircularPage(
        circular=circular,
        penalties=list(visible),
        may_edit=permissions.can_edit_circular(user, circular),
        may_publish=permissions.can_publish_circular(user, circular),
    )


# --- INS-4: talks -------------------------------------------------------------------------------


def talk_list(*, user, staff: Staff | None = None, team: Team | None = None) -> QuerySet[TalkRecord]:
    """INS-4: talks, newest first, optionally of one person or team (for the office and the
    leadership group)."""
    talks = TalkRecord.objects.select_related("staff", "team", "conducted_by", "recorded_by", "follow_up_done_by")
    if not has_permission(user, "penalties.talks"):
        return talks.none()
    if staff is not None:
        talks = talks.filter(staff=staff)
    if team is not None:
        talks = talks.filter(team=team)
    return talks


def talk_detail(*, user, pk: int) -> TalkRecord:
    """One talk in the user's scope; ``TalkRecord.DoesNotExist`` outside it."""
    return talk_list(user=user).get(pk=pk)


def talk_follow_ups_open(*, user, due_by: datetime.date | None = None) -> QuerySet[TalkRecord]:
    """INS-4: talks whose follow-up is still open (due by ``due_by``, if given)."""
    talks = talk_list(user=user).exclude(follow_up="").filter(follow_up_done_at__isnull=True)
    if due_by is not None:
        talks = talks.filter(follow_up_due__lte=due_by)
    return talks.order_by(F("follow_up_due").asc(nulls_last=True), "pk")


# --- INS-5: loss of award eligibility -------------------------------------------------------------


def eligibility_revocation_list(*, user, year: int | None = None) -> QuerySet[EligibilityRevocation]:
    revocations = EligibilityRevocation.objects.select_related("staff", "team", "decided_by", "withdrawn_by")
    revocations = revocations.select_related(*person_name_related("decided_by"))
    if not has_permission(user, "penalties.eligibility"):
        return revocations.none()
    return revocations.filter(year=year) if year is not None else revocations


def eligibility_revocation_detail(*, user, pk: int) -> EligibilityRevocation:
    """One loss of eligibility in the user's scope; ``DoesNotExist`` outside it."""
    return eligibility_revocation_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class EligibilityLookup:
    """AWD-2 for one person or team: eligible in the year or not, and why; for a team, each member."""

    subject: Staff | Team
    year: int
    result: Eligibility
    members: list[tuple[Staff, Eligibility]] | None = None


def eligibility_lookup(
    *, user, staff: Staff | None = None, team: Team | None = None, year: int | None = None
) -> EligibilityLookup | None:
    """The eligibility page's answer (``None`` for a user without ``penalties.eligibility``).
    ``year`` defaults to this year as the policy counts years."""
    if not has_permission(user, "penalties.eligibility"):
        return None
    year = year or rules.year_of(timezone.localdate(), policy=policy_in_force())
    result = award_eligibility(staff=staff, team=team, year=year)
    members = None
    if team is not None:
        people = list(roster_selectors.team_members(team=team))
        eligibility = award_eligibility_bulk(staff=people, year=year)
        members = [(person, eligibility[person.pk]) for person in people]
    return EligibilityLookup(subject=staff or team, year=year, result=result, members=members)
