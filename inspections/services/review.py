"""INS-6: the office reviews a supervisor's visit before it takes effect — publishes it, returns
it to the supervisor with reasons, or declares it void when the visitor was recognised. Reviewed
by someone other than whoever entered it, and never by the visited team."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from inspections import permissions
from inspections.links import INSPECTION_FILL, portal_url
from inspections.models import Inspection
from inspections.services.inspections import _AUDITED, REASON_MAX, Status, _take_effect
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.validators import text_required
from tollservice.notifications.services import notification_send_each


def inspection_publish(*, inspection: Inspection, published_by) -> Inspection:
    """INS-6: the office publishes a supervisor's visit it has reviewed (time and place plausible,
    remarks matching the deductions, complete). It takes effect and the team sees it."""
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_review(published_by, inspection)
        before = snapshot(inspection, _AUDITED)
        _take_effect(inspection, actor=published_by)
        inspection.save()
        audit_record(
            actor=published_by,
            instance=inspection,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(inspection, _AUDITED),
            summary=_("Visit published"),
        )
    return inspection


def inspection_return(*, inspection: Inspection, returned_by, reasons: str) -> Inspection:
    """INS-6: the office sends a visit back to the supervisor with reasons; it can be completed
    and submitted again."""
    reasons = text_required(reasons, field="reasons", limit=REASON_MAX)
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_review(returned_by, inspection)
        before = snapshot(inspection, [*_AUDITED, "return_reasons"])
        inspection.status = Status.RETURNED
        inspection.return_reasons = reasons
        inspection.save()
        audit_record(
            actor=returned_by,
            instance=inspection,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(inspection, [*_AUDITED, "return_reasons"]),
            summary=_("Returned to the supervisor"),
        )
        supervisor_user = (
            inspection.supervisor.user if inspection.supervisor and inspection.supervisor.user_id else None
        )
        notification_send_each(
            recipients=[supervisor_user, inspection.created_by],
            subject=_("Your visit was returned"),
            body=f"{inspection}\n{reasons}",
            url=portal_url(INSPECTION_FILL, pk=inspection.pk),
        )
    return inspection


def inspection_void(*, inspection: Inspection, voided_by, reason: str) -> Inspection:
    """INS-6: a visit whose visitor was recognised is void; it never takes effect."""
    reason = text_required(reason, field="reason", limit=REASON_MAX)
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_void(voided_by, inspection)
        before = snapshot(inspection, [*_AUDITED, "void_reason"])
        inspection.status = Status.VOID
        inspection.void_reason = reason
        inspection.save()
        audit_record(
            actor=voided_by,
            instance=inspection,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(inspection, [*_AUDITED, "void_reason"]),
            summary=_("Visit declared void"),
        )
    return inspection
