"""Appeals against findings (INS-6) and supervisors' written reports (INS-6, INS-7).

The leadership group is reminded of each report's decision by the reminder engine
(``inspections.reminders``): the deadline is set when the report is submitted and closed by the
decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import permissions
from inspections import reminders as report_reminders
from inspections.links import APPEAL_LIST, INSPECTION_DETAIL, REPORT_DETAIL, portal_url
from inspections.models import (
    Amendment,
    Appeal,
    Inspection,
    InspectionSettings,
    ItemResult,
    SupervisorReport,
    SupervisorTeamEvaluation,
)
from inspections.services._common import leadership_users, office_users
from inspections.services.amendments import rescore
from inspections.services.outcomes import rectification_cancel
from penalties import services as penalty_services
from penalties.models import Penalty
from tollservice.access.roles import roles_for
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.core.verdicts import require_permission
from tollservice.notifications.services import notification_send_each
from tollservice.roster.models import Staff, Supervisor, Team

TEXT_MAX = 4000
REPORT_TEXT_MAX = 8000
REPORT_REMINDER_KIND = report_reminders.SUPERVISOR_REPORT


# --- Appeals (INS-6) ----------------------------------------------------------------------------------------


def appeal_lodge(*, finding: ItemResult, lodged_by, grounds: str) -> Appeal:
    """The visited team's leader appeals a finding within the configured days after publication,
    with grounds (evidence such as CCTV that contradicts it is added with ``evidence_*_add``)."""
    grounds = text_required(grounds, field="grounds", limit=TEXT_MAX, message=_("Give the grounds of the appeal."))
    appeal_days = InspectionSettings.current().appeal_days
    with transaction.atomic():
        finding = (
            ItemResult.objects.select_for_update(of=("self",))
            .select_related("inspection", "item", "staff")
            .get(pk=finding.pk)
        )
        permissions.check_appeal(lodged_by, finding, appeal_days=appeal_days)
        appeal = Appeal.objects.create(
            finding=finding,
            inspection=finding.inspection,
            grounds=grounds,
            lodged_by=lodged_by,
            original_occurrences=finding.occurrences,
        )
        audit_record(
            actor=lodged_by,
            instance=appeal,
            action=AuditEntry.Action.CREATE,
            after=snapshot(appeal, ["finding", "status", "grounds"]),
            summary=_("Appeal lodged"),
        )
        notification_send_each(
            recipients=office_users(excluding_team_id=finding.inspection.team_id),
            subject=_("A team appealed a finding"),
            body=f"{finding}\n{grounds}",
            url=portal_url(APPEAL_LIST),
        )
    return appeal


def appeal_decide(*, appeal: Appeal, decided_by, decision: str, reasons: str, occurrences: int | None = None) -> Appeal:
    """Someone other than the inspector decides an appeal (INS-6):

    - upheld: the finding is withdrawn (counts nothing; its open orders are cancelled);
    - partly upheld: the finding stands with fewer occurrences (``occurrences``);
    - rejected: nothing changes.

    An amended score is recomputed with ``rules.score`` and keeps the original and the reason. A
    penalty already proposed from the finding stays with the office, which withdraws or revokes
    it through the penalties pages.
    """
    reasons = text_required(reasons, field="reasons", limit=TEXT_MAX)
    with transaction.atomic():
        appeal = locked(appeal)
        permissions.check_appeal_decide(decided_by, appeal)
        inspection = locked(appeal.inspection)
        finding = ItemResult.objects.select_for_update(of=("self",)).select_related("item").get(pk=appeal.finding_id)
        before = snapshot(appeal, ["status", "amended_occurrences"])
        if decision == Appeal.Status.UPHELD:
            finding.withdrawn = True
            finding.save(update_fields=["withdrawn", "updated_at"])
            for order in finding.orders.filter(status__in=list(finding.orders.model.OPEN_STATUSES)):
                rectification_cancel(order=order, cancelled_by=decided_by, reason=reasons)
        elif decision == Appeal.Status.PARTLY_UPHELD:
            if occurrences is None or not 1 <= occurrences < finding.occurrences:
                raise DomainError(
                    _("A partly upheld appeal leaves between 1 and %(max)s occurrences."),
                    field="occurrences",
                    params={"max": finding.occurrences - 1},
                )
            finding.occurrences = occurrences
            finding.save(update_fields=["occurrences", "updated_at"])
            appeal.amended_occurrences = occurrences
        elif decision != Appeal.Status.REJECTED:
            raise DomainError(_("Choose upheld, partly upheld or rejected."), field="decision")
        appeal.status = decision
        appeal.reasons = reasons
        appeal.decided_by = decided_by
        appeal.decided_at = timezone.now()
        appeal.save()
        if decision != Appeal.Status.REJECTED:
            rescore(
                inspection,
                actor=decided_by,
                kind=Amendment.Kind.APPEAL,
                reason=reasons,
                changes={"finding": str(finding), "occurrences": [appeal.original_occurrences, finding.occurrences]},
            )
        audit_record(
            actor=decided_by,
            instance=appeal,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(appeal, ["status", "amended_occurrences"]),
            summary=_("Appeal decided"),
        )
        notification_send_each(
            recipients=[appeal.lodged_by],
            subject=_("Your appeal was decided: %(decision)s") % {"decision": appeal.get_status_display()},
            body=f"{finding}\n{reasons}",
            url=portal_url(INSPECTION_DETAIL, pk=inspection.pk),
        )
    return appeal


# --- Supervisors' reports (INS-6, INS-7) -----------------------------------------------------------------------


def supervisor_report_submit(
    *,
    submitted_by,
    period_start: datetime.date,
    period_end: datetime.date,
    summary: str,
    evaluations: Iterable[tuple[Team, str, str]],
    suggestions: str = "",
    penalty_suggestions: str = "",
    visits: Iterable[Inspection] = (),
    supervisor: Supervisor | None = None,
) -> SupervisorReport:
    """INS-6: a supervisor reports in writing to the leadership group — an evaluation of each team
    visited (``(team, rating, evaluation)``), suggestions, penalty suggestions — which must decide on
    it within the configured days (INS-7)."""
    require_permission(submitted_by, "supervisor_reports.submit")
    roles = roles_for(submitted_by)
    if supervisor is not None and supervisor.pk != roles.supervisor_id:
        raise DomainError(_("A supervisor reports on their own visits."), field="supervisor")
    supervisor = Supervisor.objects.get(pk=roles.supervisor_id)
    if period_start is None or period_end is None or period_end < period_start:
        raise DomainError(_("The period ends before it starts."), field="period_end")
    if period_end > timezone.localdate():
        raise DomainError(_("Report on a period that has passed."), field="period_end")
    summary = text_required(summary, field="summary", limit=REPORT_TEXT_MAX, message=_("Write the overall evaluation."))
    suggestions = text_optional(suggestions, field="suggestions", limit=REPORT_TEXT_MAX)
    penalty_suggestions = text_optional(penalty_suggestions, field="penalty_suggestions", limit=REPORT_TEXT_MAX)
    rows = []
    seen = set()
    for team, rating, evaluation in evaluations:
        if team.pk in seen:
            raise DomainError(_("Evaluate each team once."), field="evaluations")
        seen.add(team.pk)
        if rating not in SupervisorTeamEvaluation.Rating.values:
            raise DomainError(_("Choose a rating for %(team)s."), field="evaluations", params={"team": team.name})
        text = text_required(evaluation, field="evaluations", limit=TEXT_MAX, message=_("Evaluate each team visited."))
        rows.append(SupervisorTeamEvaluation(team=team, rating=rating, evaluation=text))
    if not rows:
        raise DomainError(_("Evaluate each team visited."), field="evaluations")
    visits = list(visits)
    if any(v.supervisor_id != supervisor.pk for v in visits):
        raise DomainError(_("A report covers the supervisor's own visits."), field="visits")
    due = timezone.localdate() + datetime.timedelta(days=InspectionSettings.current().report_decision_days)
    with transaction.atomic():
        report = SupervisorReport.objects.create(
            supervisor=supervisor,
            period_start=period_start,
            period_end=period_end,
            summary=summary,
            suggestions=suggestions,
            penalty_suggestions=penalty_suggestions,
            submitted_by=submitted_by,
            submitted_at=timezone.now(),
            decision_due=due,
        )
        for row in rows:
            row.report = report
        SupervisorTeamEvaluation.objects.bulk_create(rows)
        report.visits.set(visits)
        audit_record(
            actor=submitted_by,
            instance=report,
            action=AuditEntry.Action.CREATE,
            after=snapshot(report, ["supervisor", "period_start", "period_end", "decision_due"]),
            summary=_("Supervisor's report submitted"),
        )
        report_reminders.report_deadline_set(report=report, actor=submitted_by)
        notification_send_each(
            recipients=leadership_users(),
            subject=_("A supervisor's report awaits the leadership group's decision"),
            body=gettext("%(report)s — decision due %(date)s.") % {"report": report, "date": due.isoformat()},
            url=portal_url(REPORT_DETAIL, pk=report.pk),
        )
    return report


def supervisor_report_penalty_propose(
    *,
    report: SupervisorReport,
    proposed_by,
    staff: Staff,
    provisions,
    incident_date: datetime.date,
    description: str,
) -> Penalty:
    """INS-7: the office proposes a penalty the report suggested, through
    ``penalties.services.penalty_propose`` (PEN-1, source: the supervisor's suggestion), linked
    to the report so that its decision lists it."""
    require_permission(proposed_by, "supervisor_reports.view")
    with transaction.atomic():
        report = locked(report)
        if report.status != SupervisorReport.Status.SUBMITTED:
            raise DomainError(_("This report has been decided."), code="state")
        # INS-6: a penalty is seen by the person's team leader; it must not reveal a covert visit
        # before the office has published it.
        if (
            report.visits.filter(kind=Inspection.Kind.SUPERVISOR_COVERT)
            .exclude(status__in=Inspection.EFFECTIVE)
            .exists()
        ):
            raise DomainError(
                _("Publish the covert visits this report covers before proposing penalties from it."), code="secret"
            )
        penalty = penalty_services.penalty_propose(
            proposed_by=proposed_by,
            staff=staff,
            rule=Penalty.Rule.SERVICE_CODE,
            source=Penalty.Source.SUPERVISOR_SUGGESTION,
            incident_date=incident_date,
            description=description,
            provisions=provisions,
            source_reference=gettext("Supervisor's report %(number)s") % {"number": report.pk},
            source_object=report,
        )
        report.penalties.add(penalty)
    return penalty


def supervisor_report_decide(*, report: SupervisorReport, decided_by, decision: str, actions: str) -> SupervisorReport:
    """INS-7: the leadership group records its decision on a report — accepted, partly accepted or
    not accepted — with the actions taken (the penalties proposed from it are linked already)."""
    if decision not in SupervisorReport.Decision.values:
        raise DomainError(_("Choose accepted, partly accepted or not accepted."), field="decision")
    actions = text_required(
        actions, field="actions", limit=REPORT_TEXT_MAX, message=_("Record the actions taken (or why none).")
    )
    with transaction.atomic():
        report = locked(report)
        permissions.check_report_decide(decided_by, report)
        before = snapshot(report, ["status", "decision"])
        report.status = SupervisorReport.Status.DECIDED
        report.decision = decision
        report.actions = actions
        report.decided_by = decided_by
        report.decided_at = timezone.now()
        report.save()
        audit_record(
            actor=decided_by,
            instance=report,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(report, ["status", "decision"]),
            summary=_("Decision on the supervisor's report"),
        )
        report_reminders.report_deadline_close(report=report, actor=decided_by)
        supervisor_user = report.supervisor.user if report.supervisor.user_id else None
        notification_send_each(
            recipients=[supervisor_user],
            subject=_("The leadership group decided on your report: %(decision)s")
            % {"decision": report.get_decision_display()},
            body=actions,
            url=portal_url(REPORT_DETAIL, pk=report.pk),
        )
    return report
