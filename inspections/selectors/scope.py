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

import functools
import operator

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
from tollservice.roster.names import with_person_names

EFFECTIVE = list(Inspection.EFFECTIVE)


def _named(staff_id: int) -> QuerySet:
    return ItemResult.objects.filter(staff_id=staff_id).values("inspection_id")


def _q(prefix: str, **lookups) -> Q:
    """A condition on an inspection's fields, reached from a related model through ``prefix``
    (``"inspection__"`` for findings and orders), so their lists join the inspection rather than
    filter on a subquery of every visible inspection."""
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def secret_from(user, prefix: str = "") -> Q | None:
    """INS-6: the unpublished covert visits that concern ``user`` (never shown to them)."""
    staff_id = roles_for(user).staff_id
    if not staff_id:
        return None
    concerned = (
        _q(prefix, team_id__in=own_team_ids(user))
        | _q(prefix, team_leader_id=staff_id)
        | _q(prefix, shift_leader_id=staff_id)
        | _q(prefix, pk__in=_named(staff_id))
    )
    return (
        _q(prefix, kind=Inspection.Kind.SUPERVISOR_COVERT)
        & ~_q(prefix, status__in=EFFECTIVE)
        & concerned
        & ~_q(prefix, created_by=user)
    )


def _own(user, prefix: str = "") -> Q:
    """What the user entered, inspected, or visited as the supervisor."""
    roles = roles_for(user)
    own = _q(prefix, created_by=user)
    if roles.staff_id:
        inspected = Inspection.inspectors.through.objects.filter(staff_id=roles.staff_id).values("inspection_id")
        own |= _q(prefix, pk__in=inspected)
    if roles.supervisor_id:
        own |= _q(prefix, supervisor_id=roles.supervisor_id)
    return own


def visibility(user, prefix: str = "") -> Q | None:
    """The condition an inspection ``user`` may see meets (see the module's docstring), on the
    inspection's fields or, with ``prefix``, on those of a related model; ``None``: nothing."""
    if user is None or not user.is_authenticated:
        return None
    own = _own(user, prefix)
    if has_permission(user, "inspections.view_all"):
        scope = own | ~_q(prefix, status=Inspection.Status.DRAFT)
    elif has_permission(user, "inspections.view_own"):
        roles = roles_for(user)
        theirs = _q(prefix, team_id__in=own_team_ids(user))
        if roles.staff_id:
            assigned = RectificationOrder.objects.filter(assignee_id=roles.staff_id).values("inspection_id")
            theirs |= _q(prefix, pk__in=_named(roles.staff_id)) | _q(prefix, pk__in=assigned)
        scope = own | (_q(prefix, status__in=EFFECTIVE) & theirs)
    else:
        return None
    secret = secret_from(user, prefix)
    return scope & ~secret if secret is not None else scope


def _reads_parts(user) -> bool:
    """Whether ``user``'s scope is made of parts (a reader of their own, not of everything)."""
    if user is None or not user.is_authenticated or has_permission(user, "inspections.view_all"):
        return False
    return has_permission(user, "inspections.view_own")


def _personal_parts(user) -> list[Q]:
    """What the reader entered, visited as the supervisor, inspected, is named in or answers an
    order of."""
    roles = roles_for(user)
    parts = [Q(created_by=user)]
    if roles.supervisor_id:
        parts.append(Q(supervisor_id=roles.supervisor_id))
    if roles.staff_id:
        inspected = Inspection.inspectors.through.objects.filter(staff_id=roles.staff_id).values("inspection_id")
        assigned = RectificationOrder.objects.filter(assignee_id=roles.staff_id).values("inspection_id")
        parts += [Q(pk__in=inspected), Q(pk__in=_named(roles.staff_id)), Q(pk__in=assigned)]
    return parts


def visibility_parts(user) -> list[Q] | None:
    """The parts of a reader's scope whose union covers it, each on columns an index in the list's
    order leads with (``tollservice.core.pagination.in_branches``): one per team, and the
    reader's own (``_personal_parts``). ``None`` for a reader who sees everything in effect (one
    index serves). The list keeps its whole scope: a part only says where to look."""
    if not _reads_parts(user):
        return None
    return [*(Q(team_id=team_id) for team_id in sorted(own_team_ids(user))), *_personal_parts(user)]


def order_visibility_parts(user) -> list | None:
    """``visibility_parts`` for the order list: an order is seen with its inspection (always in
    effect, so never secret). One part per team on the inspection's team as the order keeps it
    (``RectificationOrder.inspection_team``), the orders assigned to the reader, and the orders of
    the reader's own inspections, by their keys. ``None``: one index serves."""
    if not _reads_parts(user):
        return None
    parts = [Q(inspection_team_id=team_id) for team_id in sorted(own_team_ids(user))]
    staff_id = roles_for(user).staff_id
    if staff_id:
        parts.append(Q(assignee_id=staff_id))
    personal = Inspection.objects.filter(functools.reduce(operator.or_, _personal_parts(user))).values("pk")
    own_orders = RectificationOrder.objects.filter(inspection__in=personal).order_by().values_list("pk", flat=True)
    # Their keys, read when a page is: PostgreSQL would join the subquery to every order.
    parts.append(lambda: Q(pk__in=list(own_orders)))
    return parts


def finding_visibility_parts(user) -> list | None:
    """``visibility_parts`` for the findings list: a finding is seen with its inspection. One part
    per team on the inspection's team as the finding keeps it (``ItemResult.inspection_team``),
    and the findings of the reader's own inspections (``_personal_parts``: entered, visited,
    inspected, named in, answering an order of), by their keys. The list keeps its whole scope,
    secrecy included: a part only says where to look. ``None``: one index serves."""
    if not _reads_parts(user):
        return None
    parts = [Q(inspection_team_id=team_id) for team_id in sorted(own_team_ids(user))]
    personal = Inspection.objects.filter(functools.reduce(operator.or_, _personal_parts(user))).values("pk")
    own_findings = ItemResult.objects.findings().filter(inspection__in=personal).order_by().values_list("pk", flat=True)
    # Their keys, read when a page is: PostgreSQL would join the subquery to every finding.
    parts.append(lambda: Q(pk__in=list(own_findings)))
    return parts


def hidden_from(user) -> QuerySet[Inspection] | None:
    """For a reader who sees every inspection but a few (``inspections.view_all``: the office, the
    leadership group): those few, namely other people's drafts and, INS-6, the unpublished covert
    visits that concern the reader. They are found through the status and kind indexes, and the
    reader's scope is everything else, so that counting the reader's rows need not read each
    row's inspection. ``None`` for any other reader."""
    if user is None or not user.is_authenticated or not has_permission(user, "inspections.view_all"):
        return None
    # Such a reader sees every inspection in effect (``visibility``): what is hidden from them is
    # a draft or a covert visit not yet in effect.
    candidates = Q(status=Inspection.Status.DRAFT) | (
        Q(kind=Inspection.Kind.SUPERVISOR_COVERT) & ~Q(status__in=EFFECTIVE)
    )
    return Inspection.objects.filter(candidates).exclude(visibility(user))


def inspections_visible_to(user) -> QuerySet[Inspection]:
    """Every inspection ``user`` may see, and no other (see the module's docstring)."""
    condition = visibility(user)
    return Inspection.objects.filter(condition) if condition is not None else Inspection.objects.none()


def findings_visible_to(user) -> QuerySet[ItemResult]:
    condition = visibility(user, "inspection__")
    findings = ItemResult.objects.findings()
    return findings.filter(condition) if condition is not None else findings.none()


def orders_visible_to(user) -> QuerySet[RectificationOrder]:
    if has_permission(user, "inspections.view_all"):
        # Orders exist only for inspections in effect, which whoever sees them all sees (no draft,
        # no unpublished covert visit): the list need not join every order's inspection.
        return RectificationOrder.objects.all()
    condition = visibility(user, "inspection__")
    return RectificationOrder.objects.filter(condition) if condition is not None else RectificationOrder.objects.none()


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
    return with_person_names(inspection.covert_reads.all(), "user").order_by("-read_at", "-pk")


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
