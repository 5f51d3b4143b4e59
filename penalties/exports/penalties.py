"""The penalties' reports: the penalty list (and "my penalties"), outstanding fines, the
leadership group's approval queue."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import Penalty
from tollservice.core.exports import DATE, MONEY, NUMBER, Column, Report, Row, local_date, yes_no
from tollservice.core.text import join_list

# --- Penalties --------------------------------------------------------------------------------


class PenaltyReport(Report):
    """The penalty list (and "my penalties"): one row per penalty, with its balance."""

    title = _("Penalties")
    filename = "penalties"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Person"), width=12),
        Column(_("Employee number"), html=False),
        Column(_("Team")),
        Column(_("Department")),
        Column(_("Rule"), width=28),
        Column(_("Status"), width=18),
        Column(_("Date of the incident"), DATE, width=12),
        Column(_("Year"), NUMBER, html=False, width=8),
        Column(_("Fine"), MONEY),
        Column(_("Collected"), MONEY, html=False),
        Column(_("Waived"), MONEY, html=False),
        Column(_("Outstanding"), MONEY),
        Column(_("Escalated"), html=False),
        Column(_("Other sanctions"), html=False, width=20),
    )

    def row(self, penalty: Penalty) -> Row:
        url = links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk)
        return self.make_row(
            [
                *_who_and_rule(penalty),
                str(penalty.status_label),
                penalty.incident_date,
                penalty.eligibility_year,
                penalty.fine_fen,
                getattr(penalty, "collected_fen", None),
                getattr(penalty, "waived_fen", None),
                getattr(penalty, "outstanding_fen", None),
                yes_no(penalty.escalated),
                join_list(penalty.sanctions),
            ],
            {0: url, 1: url},
        )


class OutstandingReport(Report):
    """PEN-5: fines in force not yet collected or waived."""

    title = _("Outstanding fines")
    filename = "outstanding-fines"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Person"), width=12),
        Column(_("Employee number"), html=False),
        Column(_("Team")),
        Column(_("Department")),
        Column(_("Rule"), html=False, width=28),
        Column(_("In force since"), DATE, width=12),
        Column(_("Assessed"), MONEY),
        Column(_("Collected"), MONEY),
        Column(_("Waived"), MONEY, html=False),
        Column(_("Outstanding"), MONEY),
    )

    def row(self, penalty: Penalty) -> Row:
        url = links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk)
        return self.make_row(
            [
                *_who_and_rule(penalty),
                local_date(penalty.in_force_from),
                penalty.assessed_fen,
                penalty.collected_fen,
                penalty.waived_fen,
                penalty.outstanding_fen,
            ],
            {0: url, 1: url},
        )


class ApprovalQueueReport(Report):
    """PEN-2 / PEN-3: penalties waiting for the leadership group, oldest first."""

    title = _("Approval queue")
    filename = "approval-queue"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Person"), width=12),
        Column(_("Team"), html=False),
        Column(_("Department"), html=False),
        Column(_("Rule"), width=28),
        Column(_("Date of the incident"), DATE, width=12),
        Column(_("Waits for"), width=30),
        Column(_("Fine proposed"), MONEY),
        Column(_("Decided by the office on"), DATE, width=12),
    )

    def row(self, penalty: Penalty) -> Row:
        url = links.portal_url(links.PENALTY_DETAIL, pk=penalty.pk)
        approve = _approve_url(penalty)
        return self.make_row(
            [
                penalty.pk,
                penalty.staff.name,
                penalty.team.name if penalty.team_id else "",
                penalty.department.name,
                penalty.get_rule_display(),
                penalty.incident_date,
                waits_for(penalty),
                penalty.fine_fen,
                local_date(penalty.decided_at),
            ],
            {0: url, 1: approve},
        )


def _who_and_rule(penalty: Penalty) -> list:
    """The cells a penalty's row starts with: its number, the person, their employee number,
    team and department, and the rule applied."""
    return [
        penalty.pk,
        penalty.staff.name,
        penalty.staff.employee_number,
        penalty.team.name if penalty.team_id else "",
        penalty.department.name,
        penalty.get_rule_display(),
    ]


def _approve_url(penalty: Penalty) -> str:
    return reverse("penalties:penalty_approve", args=[penalty.pk])


def waits_for(penalty: Penalty) -> str:
    """Why a penalty waits for the leadership group, in words (PEN-2, PEN-3)."""
    reasons = []
    if penalty.escalated:
        reasons.append(gettext("repeat violation in the year"))
    if penalty.suspension:
        reasons.append(gettext("suspension"))
    if penalty.dismissal:
        reasons.append(gettext("dismissal"))
    return "；".join(reasons)
