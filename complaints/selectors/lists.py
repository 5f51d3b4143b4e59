"""Lists of complaints, each scoped to what the reader may see (``complaints.access``), with the
joins a page needs so that its query count does not grow with its rows."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When

from complaints import access
from complaints.models import Complaint, ComplaintSubject, DepartmentComplaintMethod, Extension, Review
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.roster.names import person_name_related

Status = Complaint.Status


def _next_due() -> Case:
    """The nearest limit still running: first contact, then the answer, then the return visit."""
    return Case(
        When(status__in=Complaint.BEFORE_ANSWER, first_contact_at__isnull=True, then=F("first_contact_due")),
        When(status__in=Complaint.BEFORE_ANSWER, then=F("answer_due")),
        When(status=Status.ANSWERED, then=F("return_visit_due")),
        default=None,
    )


def complaint_queryset(*, user) -> QuerySet[Complaint]:
    """Every complaint ``user`` may see, with what a row shows: lane, team, owner, the person it
    is escalated to, the primary of a duplicate, the nearest limit, and whether the reader is
    one of the persons it is about (then the driver's data is not shown)."""
    staff_id = roles_for(user).staff_id
    about_reader = (
        Exists(ComplaintSubject.objects.filter(complaint=OuterRef("pk"), staff_id=staff_id))
        if staff_id is not None
        else Q(pk__in=[])
    )
    return (
        Complaint.objects.filter(access.visible_q(user))
        .select_related("lane", "team", "escalated_to", "primary", *person_name_related("owner", "first_responder"))
        .annotate(next_due=_next_due(), about_reader=about_reader)
    )


def complaint_list(
    *,
    user,
    status: str | None = None,
    channel: str | None = None,
    category: str | None = None,
    team_id: int | None = None,
    lane_id: int | None = None,
    owner_id: int | None = None,
    overdue: bool | None = None,
    include_voided: bool = False,
    now: datetime.datetime | None = None,
) -> QuerySet[Complaint]:
    """The staff list with its filters (status, channel, category, team, lane, owner, overdue),
    newest first. Voided registrations only on request (the ledger shows them all)."""
    complaints = complaint_queryset(user=user)
    if not include_voided:
        complaints = complaints.filter(voided_at__isnull=True)
    filters = {
        "status": status,
        "channel": channel,
        "category": category,
        "team_id": team_id,
        "lane_id": lane_id,
        "owner_id": owner_id,
    }
    complaints = complaints.filter(**{name: value for name, value in filters.items() if value not in (None, "")})
    if overdue is not None:
        late = Complaint.objects.overdue(now).values("pk")
        complaints = complaints.filter(pk__in=late) if overdue else complaints.exclude(pk__in=late)
    return complaints.order_by("-year", "-sequence")


def complaints_to_count(*, user) -> QuerySet[Complaint]:
    """The rows of ``complaint_list`` (voided registrations left out) with the reader's scope in
    its indexed form (``access.visible_q``), for counting: the list's filters apply to it alike."""
    return Complaint.objects.filter(access.visible_q(user, indexed=True), voided_at__isnull=True)


def complaints_open_for(*, user, limit: int = 10) -> list[Complaint]:
    """The reader's own open complaints (owned, or escalated to them), nearest limit first: the
    dashboard panel."""
    staff_id = roles_for(user).staff_id
    mine = Q(owner=user) | (Q(escalated_to_id=staff_id) if staff_id is not None else Q(pk__in=[]))
    return list(
        complaint_queryset(user=user).open().filter(mine).order_by(F("next_due").asc(nulls_last=True), "pk")[:limit]
    )


def complaints_waiting_count(*, user) -> int:
    """How many open complaints the reader can see that nobody has taken up yet (web form)."""
    return Complaint.objects.filter(access.visible_q(user)).open().filter(owner__isnull=True).count()


def penalty_source_complaint(*, user, penalty) -> Complaint | None:
    """The complaint a penalty was proposed from (PEN-3, PEN-4), if the reader may see it."""
    if user is None or not penalty.source_object_id or penalty.source_content_type_id is None:
        return None
    if penalty.source_content_type_id != ContentType.objects.get_for_model(Complaint).pk:
        return None
    return Complaint.objects.filter(access.visible_q(user), pk=penalty.source_object_id).first()


def complaint_ledger(*, user, year: int) -> QuerySet[Complaint]:
    """CMP-7: the registration ledger (投诉受理登记) of ``year`` in number order, voided entries
    included; the group office's."""
    if not has_permission(user, "complaints.view_all"):
        return Complaint.objects.none()
    return (
        Complaint.objects.filter(year=year)
        .select_related(
            "lane",
            "team",
            "escalated_to",
            "primary",
            "duty_leader",
            *person_name_related("registered_by", "first_responder", "owner"),
        )
        .order_by("sequence", "pk")
    )


def reviews_pending(*, user) -> QuerySet[Review]:
    """Reviews waiting for the reader: the toll-office head's (the group office's where no head
    has an account)."""
    staff_id = roles_for(user).staff_id
    mine = Q(reviewer_id=staff_id) if staff_id is not None else Q(pk__in=[])
    if has_permission(user, "complaints.manage"):
        mine |= Q(reviewer__isnull=True) | Q(reviewer__user__isnull=True)
    return (
        Review.objects.filter(mine, status=Review.Status.PENDING, complaint__voided_at__isnull=True)
        .select_related("complaint__lane", "complaint__team", "complaint__owner", "return_visit", "reviewer")
        .order_by("due_at", "pk")
    )


def extensions_pending(*, user) -> QuerySet[Extension]:
    """Extensions the reader may approve (not their own requests)."""
    if not has_permission(user, "complaints.approve_extension"):
        return Extension.objects.none()
    return (
        Extension.objects.filter(
            _on_visible_complaints(user), status=Extension.Status.PENDING, complaint__voided_at__isnull=True
        )
        .exclude(requested_by=user)
        .select_related("complaint__lane", "complaint__team", "complaint__owner", "requested_by")
        .order_by("complaint__answer_due", "pk")
    )


def _on_visible_complaints(user) -> Q:
    """``visible_q`` for rows that hang off a complaint."""
    return Q(complaint__in=Complaint.objects.filter(access.visible_q(user)).values("pk"))


def published_complaint_methods(*, user=None) -> QuerySet[DepartmentComplaintMethod]:
    """CMP-10: the complaint-handling methods and hotlines the departments publish, for the public
    complaint page (open to anyone, signed in or not)."""
    return (
        DepartmentComplaintMethod.objects.filter(published=True, department__active=True)
        .select_related("department")
        .order_by("department__name")
    )


def department_methods(*, user) -> QuerySet[DepartmentComplaintMethod]:
    """Every department's method, published or not, for the group office to edit."""
    if not has_permission(user, "complaints.manage"):
        return DepartmentComplaintMethod.objects.none()
    return DepartmentComplaintMethod.objects.select_related("department", "updated_by").order_by("department__name")
