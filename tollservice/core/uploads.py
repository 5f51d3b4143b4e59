"""Photos people upload — inspection evidence, drivers' complaint photos — checked and kept private.

- ``image_check``: the file must be a real image by its content (Pillow opens and verifies it),
  in an allowed format, within a size and pixel limit; its name and declared type are not trusted.
- ``private_image_save``: stored under a generated name (never the uploader's) in a private
  storage below ``PRIVATE_MEDIA_ROOT`` (default ``var/private``), which no URL serves.
- ``private_file_response``: the one way such a file leaves the server, from a view that has
  already decided the reader may see it (``allowed``); otherwise 404, as for a missing file.

Each app keeps its own model field (``FileField(storage=private_storage)``) and decides who may
see what; this module only checks, names, stores and serves.
"""

from __future__ import annotations

import datetime
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

from tollservice.core.errors import DomainError

# A phone photo is 2–6 MB; anything far larger is not a photo of a toll booth.
MAX_IMAGE_BYTES = 10 * 1024 * 1024
# Beyond this many pixels an image is a decompression bomb, not a photo (a 50-megapixel phone
# camera stays below it).
MAX_IMAGE_PIXELS = 60_000_000
# Pillow's format name → (file extension, content type). What browsers show and phones send.
IMAGE_FORMATS = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}


@deconstructible(path="tollservice.core.uploads.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """Files below ``PRIVATE_MEDIA_ROOT`` that have no URL: only a view that checks may serve them.

    The location is read from the settings each time, so tests (and deployments) can move it.
    """

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", settings.BASE_DIR / "var" / "private"))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them with private_file_response()")


private_storage = PrivateStorage()


@dataclass(frozen=True)
class CheckedImage:
    format: str
    extension: str
    content_type: str
    width: int
    height: int
    size: int


def image_check(upload, *, max_bytes: int = MAX_IMAGE_BYTES) -> CheckedImage:
    """Refuse anything that is not a real photo of an allowed format and size (by content)."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, os.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise DomainError(_("The file is empty."), field="photo", code="empty")
    if size > max_bytes:
        raise DomainError(
            _("The photo is too large: at most %(limit)s MB."),
            field="photo",
            code="too_large",
            params={"limit": max_bytes // (1024 * 1024)},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format, (width, height) = image.format, image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise DomainError(_("The photo has too many pixels."), field="photo", code="too_many_pixels")
            image.verify()  # reads the whole file: a truncated or forged image fails here
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise DomainError(_("The file is not a photo."), field="photo", code="not_an_image") from None
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise DomainError(_("Send the photo as JPEG, PNG or WebP."), field="photo", code="format")
    extension, content_type = IMAGE_FORMATS[image_format]
    return CheckedImage(image_format, extension, content_type, width, height, size)


def generated_name(*, folder: str, extension: str, today: datetime.date | None = None) -> str:
    """A name nobody chose and nobody can guess: ``folder/YYYY/MM/<random>.<ext>``."""
    today = today or timezone.localdate()
    return f"{folder}/{today:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def private_image_save(*, upload, folder: str, max_bytes: int = MAX_IMAGE_BYTES) -> tuple[str, CheckedImage]:
    """Check ``upload`` and store it privately; returns the stored name and what was checked."""
    checked = image_check(upload, max_bytes=max_bytes)
    name = private_storage.save(generated_name(folder=folder, extension=checked.extension), upload)
    return name, checked


def private_file_response(*, name: str, allowed: bool, content_type: str, download_name: str = "") -> FileResponse:
    """Serve a private file to a reader the view has already checked (``allowed``).

    Not allowed, or not there: 404, so that nobody learns that a file exists. The response is
    never cached by shared caches and cannot be sniffed into another type or run as a page.
    """
    if not allowed or not name or not private_storage.exists(name):
        raise Http404
    extension = os.path.splitext(name)[1]
    response = FileResponse(
        private_storage.open(name, "rb"), content_type=content_type, filename=f"{download_name or 'photo'}{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
