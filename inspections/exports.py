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
from inspections.models import FindingOutcome, Inspection, RectificationOrder
from penalties.models import Penalty
from tollservice.core.exports import DATE, MONEY, NUMBER, Column, Report, Row, choice_labels, in_batches, yes_no
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


class FindingReport(Report):
    """The findings list from one ``values_list`` (no model instance per row); each finding's
    outcomes are read for a batch of findings at a time (a page, or 2,000 rows of a download)."""

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
    # The finding's own copy of its inspection's moment, and its position: a page read in
    # branches (a team leader's) is merged by the keys its rows carry.
    FIELDS = (
        "pk",
        "inspection_id",
        "occurred_at",
        "inspection__shift_date",
        "inspection__kind",
        "inspection__team__name",
        "item__code",
        "item__title",
        "staff__name",
        "occurrences",
        "deduction",
        "raw_deduction",
        "note",
        "position",
    )

    def __init__(self):
        self.kinds = choice_labels(Inspection.Kind.choices)
        self.outcome_kinds = choice_labels(FindingOutcome.Kind.choices)
        self.penalty_statuses = choice_labels(Penalty.Status.choices)
        self.order_statuses = choice_labels(RectificationOrder.Status.choices)
        self.none_yet = gettext("None yet")

    def source(self, queryset):
        return queryset.prefetch_related(None).values_list(*self.FIELDS)

    def rows(self, objects):
        for batch in in_batches(objects):
            outcomes = self.outcomes_of([values[0] for values in batch])
            yield from (self.row(values, outcomes.get(values[0], ())) for values in batch)

    def outcomes_of(self, finding_ids: list[int]) -> dict[int, list[str]]:
        """The outcomes of the given findings as a list names them, in the order they were set."""
        texts: dict[int, list[str]] = {}
        outcomes = (
            FindingOutcome.objects.filter(finding_id__in=finding_ids)
            .order_by("created_at", "pk")
            .values_list(
                "finding_id", "kind", "penalty_id", "penalty__status", "order_id", "order__deadline", "order__status"
            )
        )
        for finding_id, kind, penalty_id, penalty_status, order_id, deadline, order_status in outcomes:
            if kind == FindingOutcome.Kind.PENALTY and penalty_id:
                text = gettext("Penalty: %(status)s") % {"status": self.penalty_statuses[penalty_status]}
            elif kind == FindingOutcome.Kind.RECTIFICATION and order_id:
                text = gettext("Rectification by %(date)s: %(status)s") % {
                    "date": deadline.isoformat(),
                    "status": self.order_statuses[order_status],
                }
            else:
                text = self.outcome_kinds[kind]
            texts.setdefault(finding_id, []).append(text)
        return texts

    def row(self, values, outcomes=()) -> Row:
        (pk, inspection_id, occurred_at, shift_date, kind, team, item_code, item_title, staff, occurrences,
         deduction, raw_deduction, note, _position) = values  # fmt: skip
        return self.make_row(
            [
                f"JC{self.local_moment(occurred_at)[:4]}-{inspection_id:05d}",  # Inspection.reference
                shift_date,
                self.kinds[kind],
                team,
                f"{item_code} {item_title}",
                staff or "",
                occurrences,
                deduction,
                raw_deduction,
                note,
                join_list(outcomes) or self.none_yet,
            ],
            lambda: {0: portal_url(INSPECTION_DETAIL, pk=inspection_id) + f"#finding-{pk}"},
        )


class OrderReport(Report):
    """The rectification orders from one ``values_list`` (no model instance per row)."""

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
    FIELDS = (
        "pk",
        "team__name",
        "finding__item__code",
        "finding__item__title",
        "assignee__name",
        "deadline",
        "status",
        "inspection_id",
        "inspection__occurred_at",
        "instructions",
        "answered_on",
        "verified_at",
    )

    def __init__(self):
        self.today = timezone.localdate()
        self.statuses = choice_labels(RectificationOrder.Status.choices)
        self.overdue = gettext("Overdue")

    def source(self, queryset):
        return queryset.values_list(*self.FIELDS)

    def row(self, values) -> Row:
        (pk, team, item_code, item_title, assignee, deadline, status, inspection_id, occurred_at, instructions,
         answered_on, verified_at) = values  # fmt: skip
        overdue = (
            status in RectificationOrder.AWAITING_ANSWER and deadline < self.today
        )  # RectificationOrder.is_overdue
        return self.make_row(
            [
                pk,
                team,
                f"{item_code} {item_title}",
                assignee,
                deadline,
                self.statuses[status],
                self.overdue if overdue else "",
                f"JC{self.local_moment(occurred_at)[:4]}-{inspection_id:05d}",  # Inspection.reference
                instructions,
                answered_on,
                self.local_date(verified_at),
            ],
            lambda: {0: portal_url(ORDER_DETAIL, pk=pk)},
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
        return self.make_row(
            [
                penalty["reference"],
                penalty["staff"],
                penalty["item"],
                dict(Penalty.Status.choices).get(penalty["status"], penalty["status"]),
                penalty["fine_fen"],
            ]
        )
