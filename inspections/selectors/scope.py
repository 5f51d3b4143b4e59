"""Who sees which inspection — the one place that decides it; every other selector starts here.

- The office, the leadership group and the system administrator see every inspection but other
  people's drafts.
- A supervisor sees their own visits; anyone sees what they entered or inspected.
- A team's leader and members see the team's inspections once in effect, and staff those that
  name them.
- **INS-6 secrecy**: a covert visit not yet published is hidden from the visited team's leader
  and members, the shift leader on duty and anyone a finding names — whatever other seat they
  hold (an office member in the visited team does not see it either). Everyone else who reads
  it is logged (``CovertRead``), and the log is shown on the visit.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from inspections.models import (
    CovertRead,
    Evidence,
    FindingOutcome,
    Inspection,
    ItemResult,
    RectificationOrder,
)
from inspections.permissions import own_team_ids
from inspections.secrecy import covert_read_record
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for

EFFECTIVE = list(Inspection.EFFECTIVE)


def _named(staff_id: int) -> QuerySet:
    return ItemResult.objects.filter(staff_id=staff_id).values("inspection_id")


def secret_from(user) -> Q | None:
    """INS-6: the unpublished covert visits that concern ``user`` (never shown to them)."""
    staff_id = roles_for(user).staff_id
    if not staff_id:
        return None
    concerned = (
        Q(team_id__in=own_team_ids(user))
        | Q(team_leader_id=staff_id)
        | Q(shift_leader_id=staff_id)
        | Q(pk__in=_named(staff_id))
    )
    return Q(kind=Inspection.Kind.SUPERVISOR_COVERT) & ~Q(status__in=EFFECTIVE) & concerned & ~Q(created_by=user)


def _own(user) -> Q:
    """What the user entered, inspected, or visited as the supervisor."""
    roles = roles_for(user)
    own = Q(created_by=user)
    if roles.staff_id:
        own |= Q(pk__in=Inspection.inspectors.through.objects.filter(staff_id=roles.staff_id).values("inspection_id"))
    if roles.supervisor_id:
        own |= Q(supervisor_id=roles.supervisor_id)
    return own


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """Every inspection ``user`` may see, and no other (see the module's docstring)."""
    if user is None or not user.is_authenticated:
        return Inspection.objects.none()
    own = _own(user)
    if has_permission(user, "inspections.view_all"):
        scope = own | ~Q(status=Inspection.Status.DRAFT)
    elif has_permission(user, "inspections.view_own"):
        roles = roles_for(user)
        theirs = Q(team_id__in=own_team_ids(user))
        if roles.staff_id:
            theirs |= Q(pk__in=_named(roles.staff_id))
            theirs |= Q(pk__in=RectificationOrder.objects.filter(assignee_id=roles.staff_id).values("inspection_id"))
        scope = own | (Q(status__in=EFFECTIVE) & theirs)
    else:
        return Inspection.objects.none()
    inspections = Inspection.objects.filter(scope)
    secret = secret_from(user)
    return inspections.exclude(secret) if secret is not None else inspections


def findings_visible_to(user) -> QuerySet[ItemResult]:
    return ItemResult.objects.findings().filter(inspection__in=inspections_visible_to(user))


def orders_visible_to(user) -> QuerySet[RectificationOrder]:
    return RectificationOrder.objects.filter(inspection__in=inspections_visible_to(user))


def can_see(user, inspection: Inspection) -> bool:
    return inspections_visible_to(user).filter(pk=inspection.pk).exists()


# --- One inspection ------------------------------------------------------------------------------------------


def inspection_detail(*, user, pk: int) -> Inspection:
    """One inspection in the user's scope, with everything its page shows (a fixed number of
    queries). Reading an unpublished covert visit is logged. ``Inspection.DoesNotExist`` outside
    the scope (a view turns it into a 404, the same as a missing one)."""
    outcomes = FindingOutcome.objects.select_related("penalty", "order", "created_by")
    results = ItemResult.objects.select_related("item", "item__category", "staff").prefetch_related(
        Prefetch("outcomes", queryset=outcomes), "appeals"
    )
    inspection = (
        inspections_visible_to(user)
        .select_related(
            "team",
            "team_leader",
            "shift_leader",
            "lane",
            "booth",
            "supervisor",
            "checklist_version",
            "created_by",
        )
        .prefetch_related(
            "inspectors",
            Prefetch("results", queryset=results.order_by("position", "pk")),
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("amendments"),
        )
        .get(pk=pk)
    )
    covert_read_record(inspection=inspection, user=user, context=CovertRead.Context.DETAIL)
    return inspection


def covert_read_log(*, user, inspection: Inspection) -> QuerySet[CovertRead]:
    """INS-6: who read the visit before it was published, and when (shown on the visit)."""
    if not can_see(user, inspection):
        return CovertRead.objects.none()
    return inspection.covert_reads.select_related("user", "user__staff_profile").order_by("-read_at", "-pk")


def evidence_get(*, user, pk: int) -> Evidence:
    """One photo or CCTV reference, if the user may see its inspection (else ``DoesNotExist``);
    the page serves a photo with ``tollservice.core.uploads.private_file_response``."""
    evidence = Evidence.objects.select_related("inspection").get(pk=pk, inspection__in=inspections_visible_to(user))
    covert_read_record(inspection=evidence.inspection, user=user, context=CovertRead.Context.EVIDENCE)
    return evidence


def finding_visible(*, user, finding_id) -> ItemResult | None:
    """The finding a penalty cites as its source, if ``user`` may see it — for the penalty page's
    source link, which must not reveal an unpublished covert visit."""
    try:
        finding_id = int(finding_id)
    except (TypeError, ValueError):
        return None
    return findings_visible_to(user).select_related("inspection", "item").filter(pk=finding_id).first()
