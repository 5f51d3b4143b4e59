"""Queries that read deadlines, reminders and their policies."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from tollservice.access.permissions import has_permission
from tollservice.reminders.models import Deadline, Reminder, ReminderPolicy
from tollservice.reminders.registry import DeadlineKind, get_kind, registered_kinds
from tollservice.reminders.rules import Schedule
from tollservice.reminders.texts import due_label


def deadlines_for(*, obj) -> QuerySet[Deadline]:
    """Every deadline ever set on ``obj`` (open and closed), each with its reminders in time order.

    The caller has already scoped ``obj`` to its reader (a detail page shows it only to those who
    may see the object)."""
    content_type = ContentType.objects.get_for_model(obj)
    reminders = Reminder.objects.order_by("due_at", "pk")
    return (
        Deadline.objects.filter(content_type=content_type, object_id=obj.pk)
        .prefetch_related(Prefetch("reminders", queryset=reminders), "responsible")
        .order_by("-created_at", "-pk")
    )


def open_deadlines(*, user) -> QuerySet[Deadline]:
    """The open deadlines ``user`` is responsible for, soonest first."""
    if not user.is_authenticated:
        return Deadline.objects.none()
    return Deadline.objects.filter(status=Deadline.Status.OPEN, responsible=user).order_by("due_at", "pk")


def upcoming_deadlines(*, user, limit: int | None = None) -> list[Deadline]:
    """The first ``limit`` open deadlines ``user`` is responsible for (the "my deadlines" panel),
    each with ``link`` (its page if ``user`` may open it, else ""), ``kind_label`` and ``due_label``."""
    deadlines = open_deadlines(user=user)
    items = list(deadlines[:limit] if limit is not None else deadlines)
    for deadline in items:
        deadline.due_label = due_label(deadline.due_at)
        try:
            kind = get_kind(deadline.kind)
        except LookupError:  # the module that set it is gone: still listed, without a link
            deadline.kind_label, deadline.link = deadline.kind, ""
            continue
        deadline.kind_label = kind.label
        may_open = kind.link_permission is None or has_permission(user, kind.link_permission)
        deadline.link = deadline.url if may_open else ""
    return items


@dataclass(frozen=True)
class KindPolicy:
    kind: DeadlineKind
    schedule: Schedule
    policy: ReminderPolicy | None  # None: the kind's defaults, not changed by the office yet


def kind_policies() -> list[KindPolicy]:
    """Every registered kind with the schedule in force (the settings page); reading writes nothing."""
    rows = {policy.kind: policy for policy in ReminderPolicy.objects.select_related("updated_by")}
    return [
        KindPolicy(kind, rows[kind.key].schedule if kind.key in rows else kind.defaults.schedule(), rows.get(kind.key))
        for kind in registered_kinds()
    ]


def kind_policy(*, key: str) -> KindPolicy:
    """One kind's schedule in force; ``LookupError`` for a kind nobody registered."""
    kind = get_kind(key)
    policy = ReminderPolicy.objects.filter(kind=key).first()
    return KindPolicy(kind, policy.schedule if policy else kind.defaults.schedule(), policy)
