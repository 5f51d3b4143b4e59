"""Evidence: photos checked by content and kept privately (``tollservice.core.uploads``), and
CCTV references (camera and time) instead of video files.

Who adds evidence: the inspection's authors while it is a draft (or returned to them), the team
answering a rectification order, the team leader appealing a finding. Who sees it: whoever may
see the inspection (``inspections.selectors.evidence_get``).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import permissions
from inspections.models import Appeal, Evidence, Inspection, ItemResult, RectificationOrder
from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.core.errors import DomainError
from tollservice.core.uploads import private_image_save, private_storage
from tollservice.core.validators import text_optional, text_required

NOTE_MAX = 500
PHOTO_FOLDER = "inspections"
# A finding, an answer or an appeal is shown with a handful of photos, not an album.
MAX_PHOTOS_PER_INSPECTION = 60


def _check_target(user, inspection, finding, order, appeal) -> Inspection:
    if finding is not None and finding.inspection_id != inspection.pk:
        raise DomainError(_("This finding belongs to another inspection."), field="finding")
    if order is not None:
        if order.inspection_id != inspection.pk:
            raise DomainError(_("This order belongs to another inspection."), field="order")
        permissions.check_answer(user, order)
    elif appeal is not None:
        if appeal.inspection_id != inspection.pk:
            raise DomainError(_("This appeal belongs to another inspection."), field="appeal")
        if appeal.lodged_by_id != user.pk or appeal.status != Appeal.Status.LODGED:
            raise DomainError(_("You are not allowed to do this."), code="permission_denied")
    else:
        permissions.check_edit(user, inspection)
    return inspection


def _create(*, added_by, inspection, **values) -> Evidence:
    evidence = Evidence.objects.create(inspection=inspection, added_by=added_by, **values)
    audit_record(
        actor=added_by,
        instance=inspection,
        action=AuditEntry.Action.UPDATE,
        after={"evidence": str(evidence)},
        summary=_("Evidence added"),
    )
    return evidence


def evidence_photo_add(
    *,
    inspection: Inspection,
    added_by,
    upload,
    finding: ItemResult | None = None,
    order: RectificationOrder | None = None,
    appeal: Appeal | None = None,
    note: str = "",
) -> Evidence:
    """Attach a photo: refused unless it is a real JPEG, PNG or WebP image within the size limit;
    stored privately under a generated name."""
    note = text_optional(note, field="note", limit=NOTE_MAX)
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        _check_target(added_by, inspection, finding, order, appeal)
        if inspection.evidence.count() >= MAX_PHOTOS_PER_INSPECTION:
            raise DomainError(_("This inspection has as many photos as it can take."), field="photo")
        name, checked = private_image_save(upload=upload, folder=PHOTO_FOLDER)
        try:
            evidence = _create(
                added_by=added_by,
                inspection=inspection,
                finding=finding,
                order=order,
                appeal=appeal,
                kind=Evidence.Kind.PHOTO,
                file=name,
                original_name=(getattr(upload, "name", "") or "")[:200],
                content_type=checked.content_type,
                size=checked.size,
                note=note,
            )
        except BaseException:
            private_storage.delete(name)  # no file without its row
            raise
    return evidence


def evidence_cctv_add(
    *,
    inspection: Inspection,
    added_by,
    camera: str,
    recorded_at: datetime.datetime,
    finding: ItemResult | None = None,
    order: RectificationOrder | None = None,
    appeal: Appeal | None = None,
    note: str = "",
) -> Evidence:
    """Cite a CCTV recording by camera and time (the video stays in the monitoring room)."""
    camera = text_required(camera, field="camera", limit=100, message=_("Name the camera."))
    note = text_optional(note, field="note", limit=NOTE_MAX)
    if recorded_at is None:
        raise DomainError(_("Give the time in the recording."), field="recorded_at")
    if recorded_at > timezone.now():
        raise DomainError(_("The recording cannot be in the future."), field="recorded_at")
    with transaction.atomic():
        inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
        _check_target(added_by, inspection, finding, order, appeal)
        return _create(
            added_by=added_by,
            inspection=inspection,
            finding=finding,
            order=order,
            appeal=appeal,
            kind=Evidence.Kind.CCTV,
            camera=camera,
            recorded_at=recorded_at,
            note=note,
        )


def evidence_remove_from_draft(*, evidence: Evidence, removed_by) -> None:
    """An author removes a photo or reference from a draft (nothing is removed once filed)."""
    with transaction.atomic():
        evidence = Evidence.objects.select_for_update(of=("self",)).select_related("inspection").get(pk=evidence.pk)
        permissions.check_edit(removed_by, evidence.inspection)
        if evidence.order_id or evidence.appeal_id:
            raise DomainError(_("This evidence belongs to an answer or an appeal."))
        before = snapshot(evidence, ["kind", "camera", "original_name"])
        name = evidence.file.name
        evidence.delete()
        audit_record(
            actor=removed_by,
            instance=evidence.inspection,
            action=AuditEntry.Action.UPDATE,
            before={"evidence": str(before)},
            after={"evidence": ""},
            summary=_("Evidence removed"),
        )
        if name:
            transaction.on_commit(lambda: private_storage.delete(name))
