"""The photos a driver (or the office, for a letter's enclosures) sends with a complaint: at most
three, each checked by its content (``tollservice.core.uploads``), stored under a generated name
outside the public paths and served only to staff who may see the complaint."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintPhoto
from tollservice.core import uploads
from tollservice.core.errors import DomainError

MAX_PHOTOS = 3
FOLDER = "complaints"


def photos_check(photos: Sequence) -> list[tuple[object, uploads.CheckedImage]]:
    """Every photo checked before anything is saved: a bad one refuses the whole submission."""
    photos = [photo for photo in photos if photo]
    if len(photos) > MAX_PHOTOS:
        raise DomainError(
            _("Attach at most %(count)s photos."), field="photos", code="too_many", params={"count": MAX_PHOTOS}
        )
    checked = []
    for photo in photos:
        try:
            checked.append((photo, uploads.image_check(photo)))
        except DomainError as error:
            error.field = "photos"
            raise
    return checked


@contextmanager
def photos_kept_only_on_commit() -> Iterator[list[str]]:
    """Collects the names of the files saved inside a registration; if it fails, they are deleted
    again, so that a refused submission leaves no photo behind."""
    saved: list[str] = []
    try:
        yield saved
    except BaseException:
        for name in saved:
            uploads.private_storage.delete(name)
        raise


def photos_store(complaint: Complaint, checked: list, *, by, saved: list[str]) -> list[ComplaintPhoto]:
    rows = []
    for upload, image in checked:
        name = uploads.private_storage.save(uploads.generated_name(folder=FOLDER, extension=image.extension), upload)
        saved.append(name)
        rows.append(
            ComplaintPhoto.objects.create(
                complaint=complaint,
                file=name,
                content_type=image.content_type,
                size=image.size,
                added_by=by if getattr(by, "is_authenticated", False) else None,
            )
        )
    return rows
