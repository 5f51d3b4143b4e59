"""Append-only rows: written once, never updated, never deleted.

The ledger, the penalty's and the complaint's step logs, the policy history and every other
record that must stand as written use this base. The guard sits in the model layer
(``save``/``delete``) and in the queryset (``update``/``delete``), so neither a service, a view,
the shell nor the admin can change what was recorded. Corrections are new rows.

``StepLog`` is the shape of an object's timeline (a penalty's, a complaint's): who took a step,
when, and what it settled; each app adds its own ``kind`` choices and the foreign key.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.models import user_reference


class AppendOnlyError(RuntimeError):
    """Somebody tried to change or delete a row that may only be appended."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: update() is refused")

    def delete(self):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: delete() is refused")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(f"{self.model.__name__} rows are append-only: bulk_update() is refused")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only: it cannot be changed")
        kwargs["force_insert"] = True
        kwargs.pop("force_update", None)
        kwargs.pop("update_fields", None)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} #{self.pk} is append-only: it cannot be deleted")


class StepLog(AppendOnlyModel):
    """One step in an object's life: who, when, and what the step settled. Never changed."""

    actor = user_reference(_("by"), optional=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # What the step settled, as it stood (fine, levels, names of staff, dates).
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        abstract = True
        # Django's own code paths (related lookups, deletion) use the guarded queryset too.
        base_manager_name = "objects"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
