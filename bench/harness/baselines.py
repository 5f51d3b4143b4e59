"""Bare loops that write the rows and columns of the penalties download, for the ratio targets.

The values come from one ``values_list()`` of the penalties with their balances (the same
ledger sums as the list), with choices and money turned into what the download's cells hold
(labels, yuan as ``Decimal``): the least any exporter of the same file has to do. Excel: an
openpyxl write-only workbook with plain appended rows (no cell objects, no styles), saved to a
temporary file and read back as the response would stream it. CSV: ``csv.writer`` lines, encoded.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator

from django.db.models import BigIntegerField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext
from openpyxl import Workbook

from tollservice.core.money import fen_to_yuan

HEADER = [
    "No.",
    "Person",
    "Employee number",
    "Team",
    "Department",
    "Rule",
    "Status",
    "Date of the incident",
    "Year",
    "Fine",
    "Collected",
    "Waived",
    "Outstanding",
    "Escalated",
    "Other sanctions",
]


def _net(kind: str):
    from penalties.models import LedgerEntry

    amount, zero = "ledger_entries__amount_fen", Value(0, output_field=BigIntegerField())
    plus = Sum(amount, filter=Q(ledger_entries__kind=kind))
    minus = Sum(amount, filter=Q(ledger_entries__kind=LedgerEntry.Kind.REVERSAL, ledger_entries__reversed_kind=kind))
    return Coalesce(plus, zero, output_field=BigIntegerField()) - Coalesce(minus, zero, output_field=BigIntegerField())


def penalty_rows() -> Iterator[list]:
    """Every penalty (the office sees all), in the list's order, as the download's cells."""
    from penalties.models import LedgerEntry, Penalty

    kind = LedgerEntry.Kind
    rules = {value: str(label) for value, label in Penalty.Rule.choices}
    statuses = {value: str(label) for value, label in Penalty.Status.choices}
    yes, no = gettext("Yes"), gettext("No")
    sanctions = (gettext("suspension"), gettext("dismissal"), gettext("disciplinary action"))
    values = (
        Penalty.objects.order_by("-incident_date", "-pk")
        .annotate(assessed=_net(kind.ASSESSED), collected=_net(kind.COLLECTED), waived=_net(kind.WAIVED))
        .values_list(
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
            "collected",
            "waived",
            "assessed",
            "escalated",
            "suspension",
            "dismissal",
            "disciplinary_action",
        )
    )
    for (
        pk,
        name,
        number,
        team,
        department,
        rule,
        status,
        day,
        year,
        fine,
        collected,
        waived,
        assessed,
        *flags,
    ) in values.iterator(chunk_size=2_000):
        escalated, *sanction_flags = flags
        yield [
            pk,
            name,
            number,
            team or "",
            department,
            rules[rule],
            statuses[status],
            day,
            year,
            fen_to_yuan(fine),
            fen_to_yuan(collected),
            fen_to_yuan(waived),
            fen_to_yuan(assessed - collected - waived),
            yes if escalated else no,
            "、".join(label for label, flag in zip(sanctions, sanction_flags, strict=True) if flag),
        ]


def bare_xlsx() -> tuple[int, int]:
    """(rows, bytes) of the bare Excel loop."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Penalties")
    sheet.append(HEADER)
    rows = 0
    for row in penalty_rows():
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


def bare_csv() -> tuple[int, int]:
    """(rows, bytes) of the bare CSV loop."""
    writer = csv.writer(_Echo())
    size = len("\ufeff".encode()) + len(writer.writerow(HEADER).encode())
    rows = 0
    for row in penalty_rows():
        size += len(writer.writerow(row).encode())
        rows += 1
    return rows, size
