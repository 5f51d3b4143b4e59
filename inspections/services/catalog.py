"""The office edits the checklist as versions with effective dates, and the module's settings.

A draft version is a copy of the one it is based on; its items are changed freely; publishing
fixes it for good, from its effective date. Inspections already filed keep the version they were
scored with, so their scores never change with the catalog.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import permissions, rules
from inspections.models import ChecklistItem, ChecklistVersion, InspectionSettings
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, audited_change, audited_create, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_optional, text_required
from tollservice.core.verdicts import require_permission

Status = ChecklistVersion.Status
NOTE_MAX = 500
_ITEM_FIELDS = ChecklistItem.TERM_FIELDS


def _check_effective_from(effective_from: datetime.date | None) -> datetime.date:
    if effective_from is None:
        raise DomainError(_("Give the date the checklist takes effect."), field="effective_from")
    if effective_from < timezone.localdate():
        raise DomainError(
            _("A checklist takes effect today or later: inspections already held keep theirs."),
            field="effective_from",
        )
    return effective_from


def checklist_version_draft(
    *, created_by, effective_from: datetime.date, note: str, based_on: ChecklistVersion | None = None
) -> ChecklistVersion:
    """Draft a new version, a copy of ``based_on`` (default: the latest published version)."""
    require_permission(created_by, "inspections.catalog")
    effective_from = _check_effective_from(effective_from)
    note = text_required(note, field="note", limit=NOTE_MAX, message=_("Say what changes."))
    if based_on is None:
        based_on = ChecklistVersion.objects.filter(status=Status.PUBLISHED).order_by("-effective_from", "-pk").first()
    with transaction.atomic():
        version = audited_create(
            actor=created_by,
            model=ChecklistVersion,
            summary=_("Checklist version drafted"),
            effective_from=effective_from,
            note=note,
            based_on=based_on,
            created_by=created_by,
        )
        if based_on is not None:
            ChecklistItem.objects.bulk_create(
                ChecklistItem(version=version, **{name: getattr(item, name) for name in _ITEM_FIELDS})
                for item in based_on.items.all()
            )
    return version


def checklist_version_update(
    *, version: ChecklistVersion, updated_by, effective_from: datetime.date, note: str
) -> ChecklistVersion:
    require_permission(updated_by, "inspections.catalog")
    effective_from = _check_effective_from(effective_from)
    note = text_required(note, field="note", limit=NOTE_MAX, message=_("Say what changes."))
    with transaction.atomic():
        version = locked(version)
        permissions.check_catalog_edit(updated_by, version)
        audited_change(actor=updated_by, instance=version, effective_from=effective_from, note=note)
    return version


def _checked_terms(values: dict) -> dict:
    """The item's terms, refused with a message where they make no sense."""
    points = _points(values, "points")
    deduction = _points(values, "deduction")
    cap = _points(values, "cap", required=False)
    grave = _points(values, "grave_deduction", required=False)
    leader = _points(values, "team_leader_deduction", required=False) or rules.ZERO
    shift = _points(values, "shift_leader_deduction", required=False) or rules.ZERO
    if cap is not None and cap > points:
        raise DomainError(_("The cap cannot exceed the item's points."), field="cap")
    if grave is not None and grave <= deduction:
        raise DomainError(
            _("The deduction for a grave occurrence is larger than the usual one."), field="grave_deduction"
        )
    if not values.get("is_veto") and deduction == 0:
        raise DomainError(_("A scored item deducts something for a breach."), field="deduction")
    if values.get("is_violation") and values.get("provision") is None:
        raise DomainError(
            _("A breach counts as a violation only if it cites a provision of the service code."), field="provision"
        )
    if values.get("provision") is not None and not values["provision"].active:
        raise DomainError(_("A provision that is no longer in force cannot be cited."), field="provision")
    if values.get("unit", ChecklistItem.Unit.LAPSE) not in ChecklistItem.Unit.values:
        raise DomainError(_("Choose how occurrences are counted."), field="unit")
    code = text_required(values.get("code", ""), field="code", limit=20, message=_("Give the item a code."))
    title = text_required(values.get("title", ""), field="title", limit=200, message=_("Name the item."))
    description = text_optional(values.get("description", ""), field="description", limit=2000)
    return {
        **values,
        "code": code,
        "title": title,
        "description": description,
        "points": points,
        "deduction": deduction,
        "cap": cap,
        "grave_deduction": grave,
        "team_leader_deduction": leader,
        "shift_leader_deduction": shift,
    }


def _points(values: dict, name: str, *, required: bool = True) -> Decimal | None:
    value = values.get(name)
    if value is None or value == "":
        if required:
            raise DomainError(_("This value is required."), field=name)
        return None
    value = Decimal(str(value))
    if value < 0 or value > rules.FULL_MARKS:
        raise DomainError(_("Points are between 0 and 100."), field=name)
    if value != value.quantize(Decimal("0.01")):
        raise DomainError(_("Points have at most two decimal places."), field=name)
    return value


def checklist_item_save(
    *, version: ChecklistVersion, saved_by, item: ChecklistItem | None = None, **values
) -> ChecklistItem:
    """Add an item to a draft version, or change one of its items."""
    require_permission(saved_by, "inspections.catalog")
    unknown = set(values) - set(_ITEM_FIELDS)
    if unknown:
        raise TypeError(f"Unknown checklist item fields: {sorted(unknown)}")
    if item is not None:
        values = {**{name: getattr(item, name) for name in _ITEM_FIELDS}, **values}
    values = _checked_terms(values)
    with transaction.atomic():
        version = locked(version)
        permissions.check_catalog_edit(saved_by, version)
        same_code = version.items.filter(code=values["code"])
        if item is not None:
            same_code = same_code.exclude(pk=item.pk)
        if same_code.exists():
            raise DomainError(_("Another item of this version has that code."), field="code")
        if item is None:
            return audited_create(actor=saved_by, model=ChecklistItem, version=version, **values)
        item = locked(item)
        if item.version_id != version.pk:
            raise DomainError(_("This item belongs to another version."))
        audited_change(actor=saved_by, instance=item, **values)
        return item


def checklist_item_remove(*, item: ChecklistItem, removed_by) -> None:
    """Take an item off a draft version (a published version keeps all of its items)."""
    require_permission(removed_by, "inspections.catalog")
    with transaction.atomic():
        item = locked(item)
        version = locked(item.version)
        permissions.check_catalog_edit(removed_by, version)
        audit_record(
            actor=removed_by,
            instance=version,
            action=AuditEntry.Action.UPDATE,
            before={"item": str(item)},
            after={"item": ""},
            summary=_("Checklist item removed"),
        )
        item.delete()


def checklist_version_publish(*, version: ChecklistVersion, published_by) -> ChecklistVersion:
    """Publish a draft: from its effective date new inspections are scored with it. Its scored
    items' points must add up to 100."""
    require_permission(published_by, "inspections.catalog")
    with transaction.atomic():
        version = locked(version)
        permissions.check_catalog_edit(published_by, version)
        _check_effective_from(version.effective_from)
        items = list(version.items.all())
        if not items:
            raise DomainError(_("The checklist has no items."))
        total = sum((item.points for item in items), rules.ZERO)
        if total != rules.FULL_MARKS:
            raise DomainError(
                _("The items' points add up to %(total)s; an inspection is out of 100."),
                params={"total": total},
                code="points_total",
            )
        if ChecklistVersion.objects.filter(status=Status.PUBLISHED, effective_from=version.effective_from).exists():
            raise DomainError(_("Another version takes effect on that date."), field="effective_from")
        before = snapshot(version, ["status"])
        version.status = Status.PUBLISHED
        version.published_by = published_by
        version.published_at = timezone.now()
        version.save()
        audit_record(
            actor=published_by,
            instance=version,
            action=AuditEntry.Action.STATE,
            before=before,
            after=snapshot(version, ["status"]),
            summary=_("Checklist version published"),
        )
    return version


# --- Settings -----------------------------------------------------------------------------------------------

_SETTINGS = InspectionSettings.EDITABLE_FIELDS


def inspection_settings_change(*, changed_by, **values) -> InspectionSettings:
    """Change the coverage targets and time limits (kept in the audit trail)."""
    require_permission(changed_by, "inspections.settings")
    unknown = set(values) - set(_SETTINGS)
    if unknown:
        raise TypeError(f"Unknown settings: {sorted(unknown)}")
    for name, value in values.items():
        if not isinstance(value, int) or not 0 <= value <= 366:
            raise DomainError(_("Give a whole number from 0 to 366."), field=name)
    for name in ("appeal_days", "rectification_days", "report_decision_days"):
        if values.get(name) == 0:
            raise DomainError(_("Give at least one day."), field=name)
    with transaction.atomic():
        settings_row = locked(InspectionSettings.current())
        audited_change(actor=changed_by, instance=settings_row, summary=_("Inspection settings changed"), **values)
    return settings_row
