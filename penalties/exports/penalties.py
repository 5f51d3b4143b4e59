"""The penalties' reports: the penalty list (and "my penalties"), outstanding fines, the
leadership group's approval queue."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from penalties import links
from penalties.models import Penalty
from penalties.selectors.ledger import LedgerTotals, balances_of_penalties, with_balances
from tollservice.core.exports import (
    DATE,
    MONEY,
    NUMBER,
    Column,
    Report,
    Row,
    choice_labels,
    in_batches,
    local_date,
    yes_no,
)
from tollservice.core.text import join_list

# --- Penalties --------------------------------------------------------------------------------


def _detail_links(pk: int):
    """The links of a row's number and name, made only when the page asks for them."""
    return lambda: dict.fromkeys((0, 1), links.portal_url(links.PENALTY_DETAIL, pk=pk))


class PenaltyReport(Report):
    """The penalty list (and "my penalties"): one row per penalty, with its balance.

    Rows are built from ``values_list()`` tuples with labels looked up once per report, so a
    download of every penalty costs what a bare spreadsheet loop over the same values does.
    """

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
    FIELDS = (
        "pk",
        "staff__name",
        "staff__employee_number",
        "team__name",
        "department__name",
        "rule",
        "status",
        "incident_date",
        "eligibility_year",
        "fine_fen",
        "assessed_fen",
        "collected_fen",
        "waived_fen",
        "escalated",
        "suspension",
        "dismissal",
        "disciplinary_action",
    )

    def __init__(self):
        self.rules = choice_labels(Penalty.Rule.choices)
        # The status as ``Penalty.status_label`` words it, for each status and settlement.
        self.statuses = {}
        for status in Penalty.Status.values:
            penalty = Penalty(status=status)
            for settlement, outstanding in (("", None), ("outstanding", 1), ("settled", 0)):
                penalty.assessed_fen, penalty.outstanding_fen = (0, 0) if outstanding is None else (1, outstanding)
                self.statuses[status, settlement] = str(penalty.status_label)
        self.yes, self.no = yes_no(True), yes_no(False)
        self.sanctions = (gettext("suspension"), gettext("dismissal"), gettext("disciplinary action"))
        self.in_force = Penalty.IN_FORCE

    def source(self, queryset):
        if "assessed_fen" not in queryset.query.annotations:
            queryset = with_balances(queryset)
        return queryset.prefetch_related(None).values_list(*self.FIELDS)

    def row(self, values) -> Row:
        (pk, name, number, team, department, rule, status, day, year, fine, assessed, collected, waived, *flags) = (
            values
        )
        escalated, *sanction_flags = flags
        outstanding = assessed - collected - waived
        settlement = ""
        if assessed and status in self.in_force:
            settlement = "outstanding" if outstanding > 0 else "settled"
        return self.make_row(
            [
                pk,
                name,
                number,
                team or "",
                department,
                self.rules[rule],
                self.statuses[status, settlement],
                day,
                year,
                fine,
                collected,
                waived,
                outstanding,
                self.yes if escalated else self.no,
                join_list(label for label, flag in zip(self.sanctions, sanction_flags, strict=True) if flag)
                if any(sanction_flags)
                else "",
            ],
            _detail_links(pk),
        )


class OutstandingReport(Report):
    """PEN-5: fines in force not yet collected or waived.

    Rows come from ``values_list()``; the balances are read for a batch of rows at a time (the
    page's, or 2,000 of a download's), never for every penalty.
    """

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
    FIELDS = (
        "pk",
        "staff__name",
        "staff__employee_number",
        "team__name",
        "department__name",
        "rule",
        "in_force_from",
    )

    def __init__(self):
        self.rules = choice_labels(Penalty.Rule.choices)

    def source(self, queryset):
        return queryset.values_list(*self.FIELDS)

    def rows(self, objects) -> Iterator[Row]:
        for batch in in_batches(objects):
            balances = balances_of_penalties(values[0] for values in batch)
            for values in batch:
                yield self.row(values, balances.get(values[0], LedgerTotals()))

    def row(self, values, totals: LedgerTotals | None = None) -> Row:
        pk, name, number, team, department, rule, in_force_from = values
        totals = totals or LedgerTotals()
        return self.make_row(
            [
                pk,
                name,
                number,
                team or "",
                department,
                self.rules[rule],
                local_date(in_force_from),
                totals.assessed_fen,
                totals.collected_fen,
                totals.waived_fen,
                totals.outstanding_fen,
            ],
            _detail_links(pk),
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
