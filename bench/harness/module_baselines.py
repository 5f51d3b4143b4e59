"""Bare loops for the downloads of the inspections and complaints lists (``bench.harness.baselines``
holds the penalties' and the shared loops' pattern).

Each ``…_rows`` reads one ``values_list()`` of every row the reader's download holds, in the
list's order, and turns choices, moments and names into what the download's cells hold (labels,
local times as text, masked phones): the least any exporter of the same file has to do. The rows
are those of the list's own selector for the same reader (its scope, INS-6 secrecy, whether the
reader is one of the persons a complaint is about): the loop iterates the same queryset as the
download, so the ratio measures the exporter, not a cheaper query of other rows. The loops
themselves (openpyxl write-only, ``csv.writer``) are those of ``baselines``.
"""

from __future__ import annotations

import csv
import tempfile
import zoneinfo
from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils.translation import gettext
from openpyxl import Workbook


def _labels(choices) -> dict:
    return {value: str(label) for value, label in choices}


def _moment(zone) -> Callable:
    def text(moment) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return text


INSPECTION_HEADER = [
    "Reference",
    "Date and time",
    "Kind",
    "Team",
    "Lane / booth",
    "Status",
    "Score",
    "Deducted",
    "Deductions before caps",
    "Findings",
    "Failed on a veto item",
    "Original score",
    "Shift leader on duty",
    "Supervisor",
    "Filed at",
    "In effect since",
]


def inspection_rows(user) -> Iterator[list]:
    """Every inspection ``user`` sees (the office: all but other people's drafts), newest first."""
    from inspections import selectors
    from inspections.models import Inspection
    from tollservice.roster.models import Lane

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moment = _moment(zone)
    kinds, statuses = _labels(Inspection.Kind.choices), _labels(Inspection.Status.choices)
    directions = _labels(Lane.Direction.choices)
    yes, no = gettext("Yes"), gettext("No")
    values = selectors.inspection_list(user=user).values_list(
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
    for (
        pk,
        occurred_at,
        kind,
        team,
        lane,
        direction,
        booth,
        status,
        score,
        deduction,
        raw,
        count,
        vetoed,
        original,
        shift_leader,
        supervisor,
        submitted,
        published,
    ) in values.iterator(chunk_size=2_000):
        place = " · ".join(p for p in (f"{lane} · {directions[direction]}" if lane else "", booth or "") if p)
        yield [
            f"JC{occurred_at.astimezone(zone):%Y}-{pk:05d}",
            moment(occurred_at),
            kinds[kind],
            team,
            place,
            statuses[status],
            score,
            deduction,
            raw,
            count,
            yes if vetoed else no,
            original if original is not None and original != score else None,
            shift_leader or "",
            supervisor or "",
            moment(submitted),
            moment(published),
        ]


COMPLAINT_HEADER = [
    "Number",
    "Received",
    "Channel",
    "Category",
    "Lane",
    "Team",
    "Status",
    "Responsible",
    "Next limit",
    "Phone",
    "Verdict",
    "Return visit",
]


def complaint_rows(user) -> Iterator[list]:
    """Every complaint that stands that ``user`` sees (the office: all), newest number first: the
    download's own ``values_list()``, for the cells it holds (a voided registration says so, a
    duplicate names its primary, the person responsible is named as ``person_name`` names an
    account: roster name, supervisor's name, full name, username)."""
    from django.db.models import BooleanField, ExpressionWrapper, Q

    from complaints import selectors
    from complaints.models import Complaint, ReturnVisit, Verdict
    from complaints.rules import mask_phone

    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    moment = _moment(zone)
    channels, categories = _labels(Complaint.Channel.choices), _labels(Complaint.Category.choices)
    statuses, voided_label = _labels(Complaint.Status.choices), gettext("Voided")
    verdicts, visits = _labels(Verdict.Outcome.choices), _labels(ReturnVisit.Result.choices)
    duplicate = gettext("%(status)s (duplicate of %(number)s)")
    voided = ExpressionWrapper(Q(voided_at__isnull=False), output_field=BooleanField())
    values = (
        selectors.complaint_list(user=user)
        .annotate(is_voided=voided)
        .values_list(
            "number",
            "received_at",
            "channel",
            "category",
            "lane__number",
            "team__name",
            "status",
            "is_voided",
            "primary__number",
            "owner__staff_profile__name",
            "owner__supervisor_profile__name",
            "owner__first_name",
            "owner__last_name",
            "owner__username",
            "next_due",
            "about_reader",
            "phone",
            "verdict_outcome",
            "return_visit_result",
        )
    )
    for (
        number,
        received,
        channel,
        category,
        lane,
        team,
        status,
        is_voided,
        primary,
        staff_name,
        supervisor_name,
        first_name,
        last_name,
        username,
        next_due,
        about_reader,
        phone,
        verdict,
        visit,
    ) in values.iterator(chunk_size=2_000):
        status = statuses[status]
        if is_voided:
            status = voided_label
        elif primary:
            status = duplicate % {"status": status, "number": primary}
        owner = ""
        if username is not None:
            owner = staff_name or supervisor_name or f"{first_name} {last_name}".strip() or username
        yield [
            number,
            received.astimezone(zone).date(),
            channels[channel],
            categories[category],
            lane or "",
            team or "",
            status,
            owner,
            moment(next_due),
            "" if about_reader else mask_phone(phone),
            verdicts.get(verdict, ""),
            visits.get(visit, ""),
        ]


BARE = {
    "inspections": (INSPECTION_HEADER, inspection_rows),
    "complaints": (COMPLAINT_HEADER, complaint_rows),
}


def bare_xlsx(name: str, *, user) -> tuple[int, int]:
    """(rows, bytes) of the bare Excel loop over the rows of ``BARE[name]`` that ``user`` downloads."""
    header, rows_of = BARE[name]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(name)
    sheet.append(header)
    rows = 0
    for row in rows_of(user):
        sheet.append(row)
        rows += 1
    size = 0
    with tempfile.TemporaryFile() as output:
        workbook.save(output)
        output.seek(0)
        while chunk := output.read(8192):
            size += len(chunk)
    return rows, size


class _Echo:
    def write(self, value: str) -> str:
        return value


def bare_csv(name: str, *, user) -> tuple[int, int]:
    """(rows, bytes) of the bare CSV loop over the rows of ``BARE[name]`` that ``user`` downloads."""
    header, rows_of = BARE[name]
    writer = csv.writer(_Echo())
    size = len("\ufeff".encode()) + len(writer.writerow(header).encode())
    rows = 0
    for row in rows_of(user):
        size += len(writer.writerow(row).encode())
        rows += 1
    return rows, size
