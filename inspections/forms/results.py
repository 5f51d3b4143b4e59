"""The results of an inspection as the phone form sends them — JSON rows from its draft, or the
plain form's fields without JavaScript — turned into ``services.ResultInput``.

Each row: ``item`` (checklist item id), ``verdict``, ``occurrences``, ``grave``, ``staff`` (a
staff id from the chooser, or the name or number typed), ``note`` and ``pk`` (the row already
saved, so that its photos stay attached). Only the shape is checked here; the rules are the
service's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from inspections.models import ItemResult
from inspections.services import ResultInput
from tollservice.core.choosers import get_chooser, search_term
from tollservice.core.errors import DomainError

MAX_ROWS = 400  # a checklist has a few dozen items; a few people per item at most
MAX_OCCURRENCES = 999
_ROW_FIELD = re.compile(r"^row-(\d+)-(\w+)$")
_TRUE = {"1", "true", "on", "yes"}


def rows_from_post(data) -> list[dict]:
    """The rows of the plain (no JavaScript) form: ``row-<n>-<field>`` fields, in ``n`` order."""
    rows: dict[int, dict] = {}
    for name in data:
        match = _ROW_FIELD.match(name)
        if match:
            rows.setdefault(int(match[1]), {})[match[2]] = data.get(name)
    return [rows[index] for index in sorted(rows)]


def _whole(value, *, field: str, lowest: int = 0, highest: int) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise DomainError(_("Give a whole number."), field=field) from None
    if not lowest <= number <= highest:
        raise DomainError(
            _("Give a number from %(lowest)s to %(highest)s."),
            field=field,
            params={"lowest": lowest, "highest": highest},
        )
    return number


def _flag(value) -> bool:
    return value is True or str(value).strip().lower() in _TRUE


def _staff(row: dict, staff: QuerySet, chooser_name: str):
    pk = row.get("staff_pk", row.get("staff"))
    if isinstance(pk, str) and not pk.strip().isdigit():
        pk = None  # the plain form posts the text in "staff" and the id in "staff_pk"
    if pk not in (None, ""):
        found = staff.filter(pk=_whole(pk, field="staff", highest=2**62)).first()
        if found is None:
            raise DomainError(_("Choose the staff member again: they are not on this team."), field="staff")
        return found
    text = search_term(row.get("staff", "") if isinstance(row.get("staff"), str) else "")
    if not text:
        return None
    try:
        return get_chooser(chooser_name).resolve(staff, text)
    except forms.ValidationError as error:
        raise DomainError(error.messages[0], field="staff") from None


def parse_results(rows: Iterable[dict], *, staff: QuerySet, chooser: str = "inspection-staff") -> list[ResultInput]:
    """``ResultInput`` for each row; ``DomainError`` for a row whose shape is wrong. ``staff`` is
    the scoped queryset a chosen person must come from."""
    rows = list(rows)
    if len(rows) > MAX_ROWS:
        raise DomainError(_("Too many results for one inspection."))
    results = []
    for row in rows:
        if not isinstance(row, dict):
            raise DomainError(_("The results could not be read; reload the page."))
        item = _whole(row.get("item"), field="item", highest=2**62)
        if item is None:
            raise DomainError(_("The results could not be read; reload the page."))
        verdict = str(row.get("verdict") or ItemResult.Verdict.COMPLIANT)
        if verdict not in ItemResult.Verdict.values:
            raise DomainError(_("Choose compliant, not applicable or breached."), field="verdict")
        breached = verdict == ItemResult.Verdict.BREACHED
        occurrences = _whole(row.get("occurrences"), field="occurrences", highest=MAX_OCCURRENCES) or 0
        note = str(row.get("note") or "")
        results.append(
            ResultInput(
                item=item,
                verdict=verdict,
                occurrences=occurrences if breached else 0,
                grave=_flag(row.get("grave")) if breached else False,
                staff=_staff(row, staff, chooser) if breached else None,
                note=note,
                pk=_whole(row.get("pk"), field="pk", lowest=1, highest=2**62),
            )
        )
    return results
