"""Importing the roster from a spreadsheet: every row is checked, then all rows are written or none."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.audit.services import audited_change, locked
from tollservice.core.errors import DomainError
from tollservice.core.validators import validate_phone
from tollservice.roster.excel import COLUMNS_BY_KEY, ImportProblem, RosterImportError, RosterRow, parse_yes_no
from tollservice.roster.models import Department, Staff, Station, Team
from tollservice.roster.services.organisation import staff_create, staff_deactivate, staff_reactivate, staff_update

# The longest text each column takes (the model's max_length).
_MAX_LENGTH = {
    "employee_number": Staff._meta.get_field("employee_number").max_length,
    "name": Staff._meta.get_field("name").max_length,
    "position": Staff._meta.get_field("position").max_length,
    "phone": Staff._meta.get_field("phone").max_length,
    "email": Staff._meta.get_field("email").max_length,
}
_EDITABLE = ("employee_number", "name", "position", "department", "team", "phone", "email")
# A service's refusal names a form field; in a file it belongs to one of these columns.
_FIELD_TO_COLUMN = {"left_on": "active"}


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int


@dataclass
class _Checked:
    row: RosterRow
    values: dict  # model field -> value, for the columns present in the file
    active: bool | None


class _RowChecker:
    """Checks the text of each row against the roster, collecting every problem."""

    def __init__(self, *, station: Station | None):
        departments = Department.objects.all()
        teams = Team.objects.select_related("department")
        if station is not None:
            departments, teams = departments.filter(station=station), teams.filter(station=station)
        self.departments = {d.name: d for d in departments}
        self.teams = {t.name: t for t in teams}
        self.problems: list[ImportProblem] = []
        self.seen_numbers: dict[str, int] = {}

    def problem(self, row: RosterRow, column: str | None, message) -> None:
        self.problems.append(ImportProblem(str(message), row=row.number, column=column))

    def check(self, row: RosterRow) -> _Checked | None:
        count = len(self.problems)
        text = row.values
        for key, limit in _MAX_LENGTH.items():
            if len(text.get(key, "")) > limit:
                self.problem(row, key, gettext("at most %(limit)s characters.") % {"limit": limit})
        for key, column in COLUMNS_BY_KEY.items():
            if column.required and not text.get(key):
                self.problem(row, key, gettext("this cell is required."))

        number = text.get("employee_number", "")
        if number:
            if number in self.seen_numbers:
                self.problem(
                    row,
                    "employee_number",
                    gettext("the employee number “%(number)s” is already in row %(row)s.")
                    % {"number": number, "row": self.seen_numbers[number]},
                )
            else:
                self.seen_numbers[number] = row.number

        values: dict = {
            key: text[key] for key in ("employee_number", "name", "position", "phone", "email") if key in text
        }
        if text.get("email"):
            try:
                validate_email(text["email"])
            except ValidationError:
                self.problem(row, "email", gettext("“%(value)s” is not an email address.") % {"value": text["email"]})
        if text.get("phone"):
            try:
                validate_phone(text["phone"])
            except ValidationError:
                self.problem(row, "phone", gettext("“%(value)s” is not a phone number.") % {"value": text["phone"]})

        department = None
        if name := text.get("department"):
            department = self.departments.get(name)
            if department is None:
                self.problem(row, "department", gettext("department “%(name)s” does not exist.") % {"name": name})
            values["department"] = department
        if "team" in text:
            team = None
            if name := text["team"]:
                team = self.teams.get(name)
                if team is None:
                    self.problem(row, "team", gettext("team “%(name)s” does not exist.") % {"name": name})
                elif department is not None and team.department_id != department.pk:
                    self.problem(
                        row,
                        "team",
                        gettext("team “%(team)s” belongs to %(department)s, not %(chosen)s.")
                        % {"team": team.name, "department": team.department.name, "chosen": department.name},
                    )
            values["team"] = team

        active = None
        if "active" in text:
            active = parse_yes_no(text["active"])
            if active is None:
                self.problem(
                    row,
                    "active",
                    gettext("“%(value)s” is neither “%(yes)s” nor “%(no)s”.")
                    % {"value": text["active"], "yes": gettext("Yes"), "no": gettext("No")},
                )
        return _Checked(row=row, values=values, active=active) if len(self.problems) == count else None


def _apply_team_orders(*, actor, checker: _RowChecker, orders: dict[str, int], summary) -> None:
    """Set the display order of the teams a file's Teams sheet names (an unknown name is a problem)."""
    for name, order in orders.items():
        team = checker.teams.get(name)
        if team is None:
            checker.problem(None, None, gettext("The team “%(name)s” does not exist.") % {"name": name})
        elif team.display_order != order:
            audited_change(actor=actor, instance=locked(team), summary=summary, display_order=order)


def roster_import(*, actor, rows: list[RosterRow], station: Station | None = None) -> ImportResult:
    """Import staff rows: a row whose employee number is new creates a staff member, a known one
    updates them; columns absent from the file are left as they are. A file with a Teams sheet
    (an export, edited) also sets the display order of the teams it names. Every row is checked, by
    the same services the pages use, inside one transaction: if any row has a problem the
    transaction is rolled back and ``RosterImportError`` lists every problem by row and column."""
    checker = _RowChecker(station=station)
    checked = [result for row in rows if (result := checker.check(row)) is not None]
    existing = {s.employee_number: s for s in Staff.objects.filter(employee_number__in=list(checker.seen_numbers))}
    created = updated = unchanged = 0
    summary = _("Roster import")
    today = timezone.localdate()
    with transaction.atomic():
        for item in checked:
            try:
                with transaction.atomic():
                    person = existing.get(item.values["employee_number"])
                    if person is None:
                        person = staff_create(actor=actor, summary=summary, **item.values)
                        created += 1
                        if item.active is False:
                            staff_deactivate(actor=actor, staff=person, left_on=today, summary=summary)
                        continue
                    current = {name: getattr(person, name) for name in _EDITABLE}
                    wanted = current | item.values
                    changed = wanted != current
                    if changed:
                        staff_update(actor=actor, staff=person, summary=summary, **wanted)
                    if item.active is not None and item.active != person.active:
                        changed = True
                        if item.active:
                            staff_reactivate(actor=actor, staff=person, summary=summary)
                        else:
                            staff_deactivate(actor=actor, staff=person, left_on=today, summary=summary)
                    updated, unchanged = (updated + 1, unchanged) if changed else (updated, unchanged + 1)
            except DomainError as error:
                column = _FIELD_TO_COLUMN.get(error.field or "", error.field)
                checker.problem(item.row, column if column in COLUMNS_BY_KEY else None, str(error))
        _apply_team_orders(actor=actor, checker=checker, orders=getattr(rows, "team_orders", {}), summary=summary)
        if checker.problems:
            # Leaving the block with an exception rolls back every row written so far.
            raise RosterImportError(sorted(checker.problems, key=lambda p: p.row or 0))
    return ImportResult(created=created, updated=updated, unchanged=unchanged)
