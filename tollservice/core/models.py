"""Abstract bases and field helpers shared by every app, and the one-time tokens of submitted forms."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_reference(verbose_name=None, *, optional: bool = False, **kwargs) -> models.ForeignKey:
    """A reference to the portal user who did something: protected (a record keeps its author),
    no reverse accessor on the user, and with ``optional`` nullable for steps taken by the system
    or not yet taken."""
    if optional:
        kwargs.update(null=True, blank=True)
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=verbose_name, **kwargs
    )


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class FormSubmission(models.Model):
    """A state-changing form that has been submitted: its one-time token, spent once.

    ``tollservice.core.service_views`` writes the row in the same transaction as the service
    call it guards, so a second POST of the same form (a double-click, the back button, a
    replay) finds it and gets the first one's result instead of writing again.
    """

    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=300)
    # Where the first submission led (its result), for a repeated one.
    result_url = models.CharField(max_length=300, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self) -> str:
        return f"{self.path} · {self.submitted_at:%Y-%m-%d %H:%M}"
