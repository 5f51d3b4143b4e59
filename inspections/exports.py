"""The inspections module's reports (``tollservice.core.exports``): the lists of inspections,
findings and rectification orders — each page, Excel and CSV file built from the same rows — and
the station affairs meeting circular's workbook (INS-3).

Scores are the ones ``inspections.rules.score`` stored when the inspection took effect (or was
amended); nothing here computes one.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections.links import INSPECTION_DETAIL, ORDER_DETAIL, portal_url
from inspections.models import FindingOutcome, Inspection, ItemResult, RectificationOrder
from tollservice.core.exports import DATE, MONEY, NUMBER, Column, Report, Row, choice_labels, local_date, yes_no
from tollservice.core.text import join_list
from tollservice.roster.models import Lane


def local_moment(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class InspectionReport(Report):
    """The inspections list: its page and its downloads read one ``values_list`` (no model
    instance per row), choices named through label maps built once."""

    title = _("Inspections")
    filename = "inspections"
    columns = (
        Column(_("Reference"), width=14),
        Column(_("Date and time"), width=17),
        Column(_("Kind"), width=22),
        Column(_("Team")),
        Column(_("Lane / booth"), width=16),
        Column(_("Status"), width=16),
        Column(_("Score"), NUMBER, width=8),
        Column(_("Deducted"), NUMBER, width=8),
        Column(_("Deductions before caps"), NUMBER, html=False),
        Column(_("Findings"), NUMBER, width=8),
        Column(_("Failed on a veto item"), html=False),
        Column(_("Original score"), NUMBER, html=False),
        Column(_("Shift leader on duty"), html=False),
        Column(_("Supervisor"), html=False),
        Column(_("Filed at"), html=False, width=17),
        Column(_("In effect since"), html=False, width=17),
    )
    FIELDS = (
        "pk",
        "occurred_at",
        "kind",
        "team__name",
        "lane__number",
        "lane__direction",
        "booth__number",
        "status",
        "score",
        "deduction",
        "raw_deduction",
        "finding_count",
        "vetoed",
        "original_score",
        "shift_leader__name",
        "supervisor__name",
        "submitted_at",
        "published_at",
    )

    def __init__(self):
        self.kinds, self.statuses = choice_labels(Inspection.Kind.choices), choice_labels(Inspection.Status.choices)
        self.directions = choice_labels(Lane.Direction.choices)
        self.yes, self.no = yes_no(True), yes_no(False)

    def source(self, queryset):
        return queryset.values_list(*self.FIELDS)

    def row(self, values) -> Row:
        (pk, occurred_at, kind, team, lane, direction, booth, status, score, deduction, raw, findings, vetoed,
         original, shift_leader, supervisor, submitted_at, published_at) = values  # fmt: skip
        place = " · ".join(part for part in (f"{lane} · {self.directions[direction]}" if lane else "", booth) if part)
        occurred = self.local_moment(occurred_at)
        return self.make_row(
            [
                f"JC{occurred[:4]}-{pk:05d}",  # Inspection.reference: the year of the local moment
                occurred,
                self.kinds[kind],
                team,
                place,
                self.statuses[status],
                score,
                deduction,
                raw,
                findings,
                self.yes if vetoed else self.no,
                original if original is not None and original != score else None,  # Inspection.amended
                shift_leader or "",
                supervisor or "",
                self.local_moment(submitted_at),
                self.local_moment(published_at),
            ],
            lambda: {0: portal_url(INSPECTION_DETAIL, pk=pk)},  # the page only: a download reverses nothing
        )


def outcome_text(outcome: FindingOutcome) -> str:
    """One outcome as a list names it: a suggestion, a penalty with its status, an order with its."""
    if outcome.kind == FindingOutcome.Kind.PENALTY and outcome.penalty_id:
        return gettext("Penalty: %(status)s") % {"status": outcome.penalty.get_status_display()}
    if outcome.kind == FindingOutcome.Kind.RECTIFICATION and outcome.order_id:
        return gettext("Rectification by %(date)s: %(status)s") % {
            "date": outcome.order.deadline.isoformat(),
            "status": outcome.order.get_status_display(),
        }
    return outcome.get_kind_display()


class FindingReport(Report):
    title = _("Findings")
    filename = "findings"
    columns = (
        Column(_("Inspection"), width=14),
        Column(_("Date"), DATE, width=12),
        Column(_("Kind"), html=False, width=22),
        Column(_("Team")),
        Column(_("Item"), width=28),
        Column(_("Staff member concerned"), width=12),
        Column(_("Occurrences"), NUMBER, width=8),
        Column(_("Deducted"), NUMBER, width=8),
        Column(_("Deduction before the cap"), NUMBER, html=False),
        Column(_("Note"), html=False, width=30),
        Column(_("Outcomes"), width=24),
    )

    def row(self, finding: ItemResult) -> Row:
        inspection = finding.inspection
        return self.make_row(
            [
                inspection.reference,
                inspection.shift_date,
                inspection.get_kind_display(),
                inspection.team.name,
                f"{finding.item.code} {finding.item.title}",
                finding.staff.name if finding.staff_id else "",
                finding.occurrences,
                finding.deduction,
                finding.raw_deduction,
                finding.note,
                join_list(outcome_text(outcome) for outcome in finding.outcomes.all()) or gettext("None yet"),
            ],
            {0: portal_url(INSPECTION_DETAIL, pk=inspection.pk) + f"#finding-{finding.pk}"},
        )


class OrderReport(Report):
    title = _("Rectification orders")
    filename = "rectification-orders"
    columns = (
        Column(_("No."), NUMBER, width=8),
        Column(_("Team")),
        Column(_("Item"), width=28),
        Column(_("Assigned to"), width=12),
        Column(_("Deadline"), DATE, width=12),
        Column(_("Status"), width=18),
        Column(_("Overdue"), width=8),
        Column(_("Inspection"), html=False, width=14),
        Column(_("What must be rectified"), html=False, width=30),
        Column(_("Answered on"), DATE, html=False, width=12),
        Column(_("Verified on"), DATE, html=False, width=12),
    )

    def __init__(self):
        self.today = timezone.localdate()

    def row(self, order: RectificationOrder) -> Row:
        return self.make_row(
            [
                order.pk,
                order.team.name,
                f"{order.finding.item.code} {order.finding.item.title}",
                order.assignee.name,
                order.deadline,
                order.get_status_display(),
                gettext("Overdue") if order.is_overdue(self.today) else "",
                order.inspection.reference,
                order.instructions,
                order.answered_on,
                local_date(order.verified_at),
            ],
            {0: portal_url(ORDER_DETAIL, pk=order.pk)},
        )


# --- The station affairs meeting circular (INS-3) -------------------------------------------------


def _points(text: str) -> Decimal | None:
    return Decimal(text) if text else None


class CircularTeamReport(Report):
    title = _("Scores by team")
    filename = "meeting-circular"
    columns = (
        Column(_("Team"), width=14),
        Column(_("Inspections"), NUMBER, width=10),
        Column(_("Average score"), NUMBER, width=12),
        Column(_("Lowest score"), NUMBER, width=12),
        Column(_("Failed on a veto item"), NUMBER, width=12),
    )

    def row(self, team: dict) -> Row:
        # The circular's content is JSON (kept when published): scores are exact decimal texts there.
        return self.make_row(
            [
                team["team"],
                team["inspections"],
                _points(team["average_score"]),
                _points(team["lowest_score"]),
                team["vetoed"],
            ]
        )


class CircularProblemReport(Report):
    title = _("Problems found")
    filename = "meeting-circular-problems"
    columns = (
        Column(_("Inspection"), width=14),
        Column(_("Date"), width=12),
        Column(_("Kind"), width=22),
        Column(_("Team")),
        Column(_("Item"), width=28),
        Column(_("Staff member concerned"), width=12),
        Column(_("Occurrences"), NUMBER, width=8),
        Column(_("Deducted"), NUMBER, width=8),
        Column(_("Note"), width=30),
    )

    def row(self, problem: dict) -> Row:
        return self.make_row(
            [
                problem["reference"],
                problem["date"],
                dict(Inspection.Kind.choices).get(problem["kind"], problem["kind"]),
                problem["team"],
                problem["item"],
                problem["staff"],
                problem["occurrences"],
                _points(problem["deduction"]),
                problem["note"],
            ]
        )


class CircularPenaltyReport(Report):
    title = _("Penalties")
    filename = "meeting-circular-penalties"
    columns = (
        Column(_("Inspection"), width=14),
        Column(_("Person"), width=12),
        Column(_("Item"), width=28),
        Column(_("Status"), width=18),
        Column(_("Fine"), MONEY),
    )

    def row(self, penalty: dict) -> Row:
        from penalties.models import Penalty

        return self.make_row(
            [
                penalty["reference"],
                penalty["staff"],
                penalty["item"],
                dict(Penalty.Status.choices).get(penalty["status"], penalty["status"]),
                penalty["fine_fen"],
            ]
        )
