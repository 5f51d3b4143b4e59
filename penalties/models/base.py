"""Append-only rows: written once, never updated, never deleted.

The ledger, the penalty's event log and the policy history use this base. The guard sits in
the model layer (``save``/``delete``) and in the queryset (``update``/``delete``), so neither a
service, a view, the shell nor the admin can change what was recorded. Corrections are new rows.
"""

from __future__ import annotations

from django.db import models


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
