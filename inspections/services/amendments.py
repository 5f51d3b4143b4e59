"""After an inspection took effect: the office corrects it with a reason (the original score
stays beside the new one), a later inspection re-checks its findings, and it is closed once every
finding has an outcome (INS-2)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import permissions
from inspections.models import Amendment, FindingRecheck, Inspection, ItemResult
from inspections.services import _effects
from inspections.services.inspections import (
    _AUDITED,
    NOTE_MAX,
    REASON_MAX,
    ResultInput,
    Status,
    _apply_particulars,
    _check_complete,
    _sync_results,
    _validated,
)
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required


def _row_without_consequences(row: ItemResult) -> None:
    if row.outcomes.exists() or row.appeals.exists() or row.orders.exists() or row.rechecks.exists():
        raise DomainError(
            _("“%(finding)s” has outcomes or an appeal and cannot be removed; record it as reduced instead."),
            params={"finding": row},
        )


def rescore(inspection: Inspection, *, actor, kind: str, reason: str, changes: dict | None = None) -> Amendment:
    """Recompute an amended inspection's score with ``rules.score``, rewrite the deductions, and
    keep the original score and the reason (INS-6: an amended score shows beside the original)."""
    score_before = inspection.score
    if inspection.original_score is None:
        inspection.original_score = score_before
    results = _effects.results_of(inspection)
    score = _effects.store_score(inspection, results)
    _effects.write_deductions(inspection, results, score)
    _effects.apply_vetoes(inspection, results, score, actor=actor)
    inspection.save()
    return Amendment.objects.create(
        inspection=inspection,
        kind=kind,
        reason=reason,
        score_before=score_before,
        score_after=inspection.score,
        changes=changes or {},
        made_by=actor,
    )


def inspection_correct(
    *, inspection: Inspection, corrected_by, reason: str, results: Iterable[ResultInput] | None = None, **changes
) -> Inspection:
    """The office corrects an inspection in effect, with a reason kept in the audit trail and on
    the inspection (the original score stays beside the new one). Its checklist version stays."""
    reason = text_required(reason, field="reason", limit=REASON_MAX)
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_correct(corrected_by, inspection)
        before = snapshot(inspection, _AUDITED)
        before_results = _results_summary(inspection)
        _apply_particulars(inspection, changes, keep_version=True)
        if results is not None:
            checked = _validated(inspection, results)
            _sync_results(inspection, checked, removable=_row_without_consequences)
            _check_complete(inspection)
        inspection.save()
        after_results = _results_summary(inspection)
        rescore(
            inspection,
            actor=corrected_by,
            kind=Amendment.Kind.CORRECTION,
            reason=reason,
            changes={"results": [before_results, after_results]} if before_results != after_results else {},
        )
        audit_record(
            actor=corrected_by,
            instance=inspection,
            action=AuditEntry.Action.UPDATE,
            before={**before, "results": before_results},
            after={**snapshot(inspection, _AUDITED), "results": after_results},
            summary=reason,
        )
    return inspection


def _results_summary(inspection: Inspection) -> str:
    rows = inspection.results.select_related("item", "staff").order_by("position", "pk")
    return "; ".join(
        f"{r.item.code}:{r.verdict}"
        + (f"×{r.occurrences}" if r.occurrences else "")
        + ("!" if r.grave else "")
        + (f"@{r.staff.employee_number}" if r.staff_id else "")
        for r in rows
    )


def inspection_close(*, inspection: Inspection, closed_by) -> Inspection:
    """INS-2: an inspection closes once every finding that stands has at least one outcome and no
    appeal waits; the error names each finding still without one."""
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_close(closed_by, inspection)
        bare = list(
            inspection.results.findings()
            .annotate(outcome_count=Count("outcomes"))
            .filter(outcome_count=0)
            .select_related("item", "staff")
            .order_by("position", "pk")
        )
        if bare:
            raise DomainError(
                _("Every finding needs an outcome before the inspection is closed; none yet for: %(findings)s."),
                code="finding_without_outcome",
                params={"findings": "；".join(_finding_label(f) for f in bare)},
            )
        if inspection.appeals.filter(status="lodged").exists():
            raise DomainError(_("An appeal against a finding is waiting for a decision."), code="appeal_pending")
        before = snapshot(inspection, _AUDITED)
        inspection.status = Status.CLOSED
        inspection.closed_at = timezone.now()
        inspection.closed_by = closed_by
        inspection.save()
        audit_record(
            actor=closed_by,
            instance=inspection,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(inspection, _AUDITED),
            summary=_("Inspection closed"),
        )
    return inspection


def _finding_label(finding: ItemResult) -> str:
    who = f"（{finding.staff.name}）" if finding.staff_id else ""
    return f"{finding.item.code} {finding.item.title}{who}"


def finding_recheck_record(
    *, inspection: Inspection, finding: ItemResult, recorded_by, fixed: bool, note: str = ""
) -> FindingRecheck:
    """A new inspection of a team re-checks one of the team's earlier findings: fixed or not."""
    note = text_optional(note, field="note", limit=NOTE_MAX)
    with transaction.atomic():
        inspection = locked(inspection)
        permissions.check_edit(recorded_by, inspection)
        earlier = finding.inspection
        if earlier.team_id != inspection.team_id or earlier.pk == inspection.pk or not finding.is_finding:
            raise DomainError(_("Re-check a finding of an earlier inspection of the same team."), field="finding")
        if earlier.status not in Inspection.EFFECTIVE:
            raise DomainError(_("Re-check a finding of an earlier inspection of the same team."), field="finding")
        recheck, _created = FindingRecheck.objects.update_or_create(
            inspection=inspection, finding=finding, defaults={"fixed": fixed, "note": note, "recorded_by": recorded_by}
        )
    return recheck
