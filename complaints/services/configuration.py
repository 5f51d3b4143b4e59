"""What the group office configures: the time limits and the definitions of the figures, and
each department's published complaint-handling method and hotline (CMP-10)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from complaints.models import ComplaintSettings, DepartmentComplaintMethod, UrgencyLimit
from tollservice.audit.services import audited_change, audited_create, locked
from tollservice.core.errors import DomainError
from tollservice.core.validators import text_required
from tollservice.core.verdicts import require_permission
from tollservice.roster.models import Department

SETTINGS_FIELDS = {
    "accept_hours": (0, 168),
    "return_visit_days": (1, 30),
    "review_working_days": (1, 30),
    "retention_days": (30, 3650),
}
FLAGS = ("basically_satisfied_counts", "partly_upheld_counts")


def _in_range(name: str, value, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise DomainError(
            _("Enter a whole number from %(low)s to %(high)s."), field=name, params={"low": low, "high": high}
        )
    return value


def complaint_settings_update(*, actor, **values) -> ComplaintSettings:
    """Change the limits and definitions; complaints accepted before keep theirs."""
    require_permission(actor, "complaints.manage")
    changes = {}
    for name, value in values.items():
        if name in SETTINGS_FIELDS:
            changes[name] = _in_range(name, value, *SETTINGS_FIELDS[name])
        elif name in FLAGS:
            changes[name] = bool(value)
        else:
            raise TypeError(f"complaint_settings_update() got an unexpected keyword argument {name!r}")
    with transaction.atomic():
        settings = locked(ComplaintSettings.load())
        audited_change(
            actor=actor, instance=settings, summary=_("Complaint settings changed"), updated_by=actor, **changes
        )
    return settings


def urgency_limit_update(*, actor, urgency: str, first_contact_hours: int, answer_working_days: int) -> UrgencyLimit:
    """The limits of one urgency; urgent cases must not get longer ones than normal cases."""
    require_permission(actor, "complaints.manage")
    hours = _in_range("first_contact_hours", first_contact_hours, 1, 168)
    days = _in_range("answer_working_days", answer_working_days, 1, 60)
    with transaction.atomic():
        limit = locked(UrgencyLimit.for_urgency(urgency))
        audited_change(
            actor=actor,
            instance=limit,
            summary=_("Time limits changed"),
            first_contact_hours=hours,
            answer_working_days=days,
        )
    return limit


def department_method_set(
    *, actor, department: Department, method: str, hotline: str, published: bool
) -> DepartmentComplaintMethod:
    """CMP-10: a department's complaint-handling method and hotline, as published on the public
    complaint page."""
    require_permission(actor, "complaints.manage")
    method = text_required(method, field="method", message=_("Describe how the department handles complaints."))
    hotline = text_required(hotline, field="hotline", message=_("Give the department's hotline."), limit=40)
    if not all(ch.isdigit() or ch in "-+ ()转" for ch in hotline):
        raise DomainError(_("A hotline has digits and dashes only."), field="hotline")
    if not department.active:
        raise DomainError(_("That department no longer exists."), field="department")
    with transaction.atomic():
        existing = DepartmentComplaintMethod.objects.select_for_update().filter(department=department).first()
        values = {"method": method, "hotline": hotline, "published": bool(published), "updated_by": actor}
        if existing is None:
            return audited_create(
                actor=actor,
                model=DepartmentComplaintMethod,
                summary=_("Complaint-handling method entered"),
                department=department,
                **values,
            )
        audited_change(actor=actor, instance=existing, summary=_("Complaint-handling method changed"), **values)
        return existing
