"""The station affairs meeting circular (所务会通报, INS-3): drafted by the office for a period,
published once — its content is then frozen, and every member of staff can read it."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import MeetingCircular
from inspections.selectors.reports import meeting_circular_content
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, audited_create, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.core.verdicts import require_permission

REMARKS_MAX = 8000


def _check_period(start: datetime.date | None, end: datetime.date | None) -> None:
    if start is None or end is None:
        raise DomainError(_("Give the period."), field="period_start")
    if end < start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if (end - start).days > 366:
        raise DomainError(_("A circular covers at most a year."), field="period_end")


def meeting_circular_draft(
    *, created_by, period_start: datetime.date, period_end: datetime.date, title: str, remarks: str = ""
) -> MeetingCircular:
    """INS-3: draft the circular for a period; its content is computed until it is published."""
    require_permission(created_by, "meeting_circulars.manage")
    _check_period(period_start, period_end)
    title = text_required(title, field="title", limit=200, message=_("Give the circular a title."))
    remarks = text_optional(remarks, field="remarks", limit=REMARKS_MAX)
    return audited_create(
        actor=created_by,
        model=MeetingCircular,
        summary=_("Meeting circular drafted"),
        title=title,
        period_start=period_start,
        period_end=period_end,
        remarks=remarks,
        created_by=created_by,
    )


def meeting_circular_update(*, circular: MeetingCircular, updated_by, title: str, remarks: str = "") -> MeetingCircular:
    require_permission(updated_by, "meeting_circulars.manage")
    title = text_required(title, field="title", limit=200, message=_("Give the circular a title."))
    remarks = text_optional(remarks, field="remarks", limit=REMARKS_MAX)
    with transaction.atomic():
        circular = locked(circular)
        if circular.status != MeetingCircular.Status.DRAFT:
            raise DomainError(_("A published circular cannot be changed."), code="published")
        audited_change(actor=updated_by, instance=circular, title=title, remarks=remarks)
    return circular


def meeting_circular_publish(*, circular: MeetingCircular, published_by) -> MeetingCircular:
    """INS-3: publish the circular; what it says is frozen as it stands now, and staff can read it."""
    require_permission(published_by, "meeting_circulars.manage")
    with transaction.atomic():
        circular = locked(circular)
        if circular.status != MeetingCircular.Status.DRAFT:
            raise DomainError(_("This circular has already been published."), code="published")
        if circular.period_end >= timezone.localdate():
            raise DomainError(_("Publish the circular once its period is over."), field="period_end")
        before = snapshot(circular, ["status"])
        circular.content = meeting_circular_content(start=circular.period_start, end=circular.period_end)
        circular.status = MeetingCircular.Status.PUBLISHED
        circular.published_by = published_by
        circular.published_at = timezone.now()
        circular.save()
        audit_record(
            actor=published_by,
            instance=circular,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(circular, ["status"]),
            summary=_("Meeting circular published"),
        )
    return circular
