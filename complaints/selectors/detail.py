"""One complaint as the staff see it: the record, its timeline and every step, what the
reader may do next — and the driver's data only for those allowed to see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from complaints import access, rules
from complaints.models import (
    Complaint,
    ComplaintEvent,
    Escalation,
    Extension,
    Handover,
    Review,
    Verdict,
    VerdictStaff,
)
from complaints.selectors.lists import complaint_queryset
from tollservice.access.permissions import has_permission
from tollservice.roster.names import person_name_related


@dataclass(frozen=True)
class Complainant:
    """The driver as staff see them: name and plate, phone and email masked (revealing either
    is a logged service)."""

    name: str
    phone_masked: str
    email_masked: str
    plate: str
    anonymised: bool


@dataclass
class ComplaintDetail:
    complaint: Complaint
    # ``None`` for a person the complaint is about: they never see the driver's data.
    complainant: Complainant | None
    events: list[ComplaintEvent]
    handovers: list[Handover]
    escalations: list[Escalation]
    contacts: list
    pauses: list
    extensions: list[Extension]
    statements: list
    verdicts: list[Verdict]
    apologies: list
    penalty_links: list
    work_order_reports: list
    return_visits: list
    reviews: list[Review]
    messages: list
    duplicates: list[Complaint]
    subjects: list
    photo_count: int
    missed_limits: list[str]  # the limits' names, in the reader's language
    can: dict[str, bool] = field(default_factory=dict)

    @property
    def verdict(self) -> Verdict | None:
        return self.verdicts[-1] if self.verdicts else None


def _mask_email(email: str) -> str:
    if not email or "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:1]}***@{domain}"


def capabilities(user, complaint: Complaint) -> dict[str, bool]:
    """What the reader may do next — the same checks the services make, so a button never shows
    where the service would refuse it for who the reader is (or for where the complaint stands)."""
    open_ = complaint.voided_at is None and complaint.status != Complaint.Status.CLOSED
    handle = open_ and access.can_handle(user, complaint)
    before_answer = complaint.status in Complaint.BEFORE_ANSWER
    answered = complaint.status in (Complaint.Status.ANSWERED, Complaint.Status.RETURN_VISIT)
    primary = not complaint.is_duplicate
    manage = has_permission(user, "complaints.manage")
    link = open_ and before_answer and access.can_link_duplicates(user, complaint)
    propose = access.can_propose_penalty(user, complaint) and complaint.voided_at is None
    return {
        "take_up": open_ and access.can_take_up(user, complaint),
        "hand_over": open_ and access.can_hand_over(user, complaint),
        "escalate": open_
        and complaint.level < Complaint.Level.GROUP_OFFICE
        and (access.is_handler(user, complaint) or manage),
        "subjects": handle,
        "handle": handle and before_answer,
        "investigate": handle and before_answer and primary,
        "pause": handle and before_answer and primary and not complaint.is_paused,
        "resume": handle and before_answer and complaint.is_paused,
        "extend": handle and before_answer and complaint.answer_due is not None,
        "answer": handle and before_answer and primary,
        "report_work_order": handle and before_answer and complaint.is_work_order and complaint.is_duplicate,
        "return_work_order": open_
        and complaint.is_work_order
        and answered
        and (access.can_handle(user, complaint) or manage),
        "return_visit": handle and answered,
        "close": handle and complaint.status == Complaint.Status.RETURN_VISIT,
        "link_duplicate": link and primary,
        "unlink_duplicate": link and complaint.is_duplicate,
        "make_primary": link and complaint.is_duplicate,
        "reveal_contact": access.can_see_complainant(user, complaint)
        and (access.can_handle(user, complaint) or manage)
        and complaint.anonymised_at is None,
        "propose_penalty": propose and primary and bool(complaint.verdict_outcome),
        "propose_handling_violation": propose and manage,
        "void": complaint.voided_at is None and manage,
        "reissue_code": handle and complaint.anonymised_at is None,
    }


def complaint_detail(*, user, pk: int) -> ComplaintDetail | None:
    """The complaint ``pk`` if ``user`` may see it (``None`` otherwise: a 404, like a missing
    one), with everything its page shows, in a fixed number of queries."""
    complaint = complaint_queryset(user=user).filter(pk=pk).first()
    if complaint is None:
        return None
    verdicts = list(
        complaint.verdicts.select_related("lane", "recorded_by").prefetch_related(
            Prefetch("staff_links", queryset=VerdictStaff.objects.select_related("staff"))
        )
    )
    complainant = None
    if not complaint.about_reader:
        complainant = Complainant(
            name=complaint.complainant_name,
            phone_masked=rules.mask_phone(complaint.phone),
            email_masked=_mask_email(complaint.email),
            plate=complaint.plate,
            anonymised=complaint.anonymised_at is not None,
        )
    return ComplaintDetail(
        complaint=complaint,
        complainant=complainant,
        events=list(complaint.events.select_related("actor", *person_name_related("actor"))),
        handovers=list(complaint.handovers.select_related(*person_name_related("from_user", "to_user", "by"))),
        escalations=list(complaint.escalations.select_related("to_staff", "by")),
        contacts=list(complaint.contacts.select_related("by")),
        pauses=list(complaint.pauses.select_related("started_by", "ended_by")),
        extensions=list(complaint.extensions.select_related("requested_by", "decided_by")),
        statements=list(complaint.statements.select_related("staff", "recorded_by")),
        verdicts=verdicts,
        apologies=list(complaint.apologies.select_related("apologised_by", "recorded_by")),
        penalty_links=list(complaint.penalty_links.select_related("penalty__staff", "responsible_head")),
        work_order_reports=list(complaint.work_order_reports.select_related("submitted_by")),
        return_visits=list(complaint.return_visits.select_related("recorded_by")),
        reviews=list(complaint.reviews.select_related("reviewer", "decided_by")),
        messages=list(complaint.messages.all()),
        duplicates=list(complaint.duplicates.select_related("lane").order_by("sequence")),
        subjects=list(complaint.subjects.select_related("staff")),
        photo_count=complaint.photos.count(),
        missed_limits=[rules.LIMITS[key] for key in rules.missed_limits(complaint, now=timezone.now())],
        can=capabilities(user, complaint),
    )
