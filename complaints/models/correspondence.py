"""What passes between the station and the driver, and the driver's data: the correspondence
(shown on the driver's look-up page), the email outbox, the driver's photos (in the portal's
private storage, ``tollservice.core.uploads``) and the log of who was shown the driver's full phone number or email."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.append_only import AppendOnlyModel
from tollservice.core.models import user_reference
from tollservice.core.uploads import private_storage

from .complaint import Complaint


class ComplaintMessage(models.Model):
    """Correspondence with the driver: what the station tells them (shown on their look-up page
    and emailed if they gave an address) and what they add. Internal notes are never here.

    Written once; only the retention task rewrites a body, to remove the driver's personal data."""

    class Direction(models.TextChoices):
        TO_DRIVER = "to_driver", _("From the station")
        FROM_DRIVER = "from_driver", _("From the driver")

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        ANSWER = "answer", _("Answer")
        INFORMATION_REQUEST = "information_request", _("Request for information")
        EXTENSION = "extension", _("New date for the answer")
        INFORMATION = "information", _("Information added")
        OTHER = "other", _("Message")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="messages")
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    body = models.TextField(_("message"))
    author = user_reference(optional=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"


class DriverEmail(models.Model):
    """The outbox of email to a driver: a message, sent once by a task (claimed by a conditional
    update, as notifications are). The access code is never written here (see services)."""

    message = models.OneToOneField(ComplaintMessage, on_delete=models.PROTECT, related_name="email")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("email to the driver")
        verbose_name_plural = _("emails to drivers")

    def __str__(self) -> str:
        return str(self.message)


def photo_file_name(instance, filename: str) -> str:
    """A generated name: nothing the driver chose (or wrote in a file name) reaches the disk."""
    suffix = PurePath(filename).suffix.lower()
    return f"complaints/{uuid.uuid4().hex}{suffix if suffix in {'.jpg', '.jpeg', '.png', '.webp'} else ''}"


class ComplaintPhoto(models.Model):
    """A photo the driver (or staff) attached, checked by content and stored privately by
    ``complaints.services.photos`` (``tollservice/core/uploads.py``); the retention task deletes
    the file."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField(_("photo"), storage=private_storage, upload_to=photo_file_name, max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    added_by = user_reference(optional=True)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.pk}"


class PersonalDataAccess(AppendOnlyModel):
    """Who was shown a driver's full phone number or email, and when."""

    class Field(models.TextChoices):
        PHONE = "phone", _("phone")
        EMAIL = "email", _("email")

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="personal_data_accesses")
    user = user_reference(_("who"))
    field = models.CharField(_("what"), max_length=10, choices=Field.choices)
    reason = models.CharField(_("why"), max_length=200)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("personal data shown")
        verbose_name_plural = _("personal data shown")
        base_manager_name = "objects"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.complaint.number} · {self.get_field_display()} · {self.at:%Y-%m-%d %H:%M}"
