"""In-app notifications; each one is also emailed by a Celery task after commit.

A notification goes to a portal account (its inbox, and email) or, for a person on the roster
without an account, only by email to ``recipient_email`` (``notification_send_to_staff``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    # Where the email goes when the recipient has no account, or an account without an address.
    recipient_email = models.EmailField(_("email address"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # The outbox: email is sent by a task; emailed_at is set by a conditional update so a
    # task that runs twice sends once.
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            # The inbox: a person's notifications, newest first.
            models.Index(fields=["recipient", "created_at", "id"], name="notification_inbox"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False) | ~Q(recipient_email=""), name="notification_has_a_recipient"
            )
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def email_address(self) -> str:
        """Where its email goes: the account's address, else the one given for the person."""
        account = self.recipient.email if self.recipient_id else ""
        return account or self.recipient_email

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
