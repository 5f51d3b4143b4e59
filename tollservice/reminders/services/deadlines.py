"""Setting, moving and closing a deadline; called from a module's services, inside their transaction."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from tollservice.audit.models import AuditEntry
from tollservice.audit.services import audit_record, snapshot
from tollservice.reminders import rules
from tollservice.reminders.models import Deadline, Reminder
from tollservice.reminders.registry import get_kind
from tollservice.reminders.services.planning import replan
from tollservice.reminders.services.policies import policy_for
from tollservice.reminders.texts import person_name

logger = logging.getLogger(__name__)

OUTCOMES = {"completed": Deadline.Status.COMPLETED, "cancelled": Deadline.Status.CANCELLED}
AUDITED = ["kind", "due_at", "status"]


def _accounts(people: Iterable, *, kind: str) -> tuple[list, list[str]]:
    """The portal accounts of ``people`` (users, or roster entries with a ``user``), once each,
    and the names of those who have none (or a disabled one).

    A person without an account gets no reminder: that is logged, and the reminders that do go
    out name that person and say who is told instead (``texts.standard_message``)."""
    user_model = get_user_model()
    accounts, seen, unreachable = [], set(), []
    for person in people:
        if person is None:
            continue
        account = person if isinstance(person, user_model) else getattr(person, "user", None)
        if account is None or not account.is_active:
            logger.info("Deadline of kind %s: %s has no active portal account and gets no reminders", kind, person)
            name = person_name(account) if isinstance(person, user_model) else str(getattr(person, "name", person))
            if name not in unreachable:
                unreachable.append(name)
            continue
        if account.pk not in seen:
            seen.add(account.pk)
            accounts.append(account)
    return accounts, unreachable


def _open_deadline(obj, kind: str) -> Deadline | None:
    content_type = ContentType.objects.get_for_model(obj)
    return (
        Deadline.objects.select_for_update()
        .filter(content_type=content_type, object_id=obj.pk, kind=kind, status=Deadline.Status.OPEN)
        .first()
    )


def deadline_set(
    *,
    obj,
    kind: str,
    due_at: datetime.datetime | datetime.date,
    responsible: Iterable,
    actor,
    title: str | Callable[[], str] | None = None,
    url: str | None = None,
) -> Deadline:
    """Set the deadline of ``kind`` on ``obj``, or move it if one is open (idempotent).

    ``due_at`` is an aware datetime or a date; a date is due at the end of that day, station
    time (``rules.end_of_day``). ``responsible`` are users or roster entries (``.user``); those
    without an account are skipped with a log line. Moving the due time replaces the unsent
    reminders by the ones the new time gives; sent ones stay as history. ``title`` (a text, or a
    function giving it, called in the station's language as the dashboard shows it to everyone)
    and ``url`` default to ``str(obj)`` and ``obj.get_absolute_url()``.
    """
    deadline_kind = get_kind(kind)  # an unregistered kind is a programming error: LookupError
    due_at = rules.due_time(due_at)
    accounts, unreachable = _accounts(responsible, kind=kind)
    with translation.override(settings.LANGUAGE_CODE):  # the station's language, whoever sets it
        title = str(obj) if title is None else str(title() if callable(title) else title)
    if url is None:
        url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    now = timezone.now()
    with transaction.atomic():
        policy = policy_for(deadline_kind.key)
        deadline = _open_deadline(obj, kind)
        if deadline is None:
            deadline = Deadline.objects.create(
                kind=kind,
                obj=obj,
                title=title[:200],
                url=url,
                due_at=due_at,
                unreachable=unreachable,
                created_by=_user(actor),
            )
            deadline.responsible.set(accounts)
            replan(deadline, schedule=policy.schedule, now=now, fresh=True)
            audit_record(
                actor=actor,
                instance=deadline,
                action=AuditEntry.Action.CREATE,
                after=snapshot(deadline, AUDITED),
                summary=_("Deadline set"),
            )
            return deadline
        before = snapshot(deadline, AUDITED)
        moved = deadline.due_at != due_at
        deadline.title, deadline.url, deadline.due_at = title[:200], url, due_at
        deadline.unreachable = unreachable
        deadline.save(update_fields=["title", "url", "due_at", "unreachable", "updated_at"])
        deadline.responsible.set(accounts)
        if moved:
            replan(deadline, schedule=policy.schedule, now=now)
            audit_record(
                actor=actor,
                instance=deadline,
                action=AuditEntry.Action.UPDATE,
                before=before,
                after=snapshot(deadline, AUDITED),
                summary=_("Deadline moved"),
            )
    return deadline


def deadline_close(*, obj, kind: str, outcome: str, actor) -> Deadline | None:
    """Close the open deadline of ``kind`` on ``obj`` as ``"completed"`` or ``"cancelled"`` and
    cancel every unsent reminder. Without an open deadline (none was ever set) it does nothing.

    Call it whenever what was due is done, even if something else may become due later: an
    answered order or complaint is not reminded while it waits for someone else; a new
    ``deadline_set`` (a returned order, a reopened complaint) plans fresh reminders."""
    status = _status(outcome)
    with transaction.atomic():
        deadline = _open_deadline(obj, kind)
        if deadline is None:
            return None
        _close(deadline, status=status, actor=actor)
    return deadline


def deadlines_close_all(*, obj, outcome: str, actor) -> list[Deadline]:
    """Nothing more is due on ``obj`` (closed, verified, voided): close every open deadline on it,
    of whatever kind, as ``deadline_close`` does, so that no module has to list its kinds."""
    status = _status(outcome)
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic():
        deadlines = list(
            Deadline.objects.select_for_update()
            .filter(content_type=content_type, object_id=obj.pk, status=Deadline.Status.OPEN)
            .order_by("pk")
        )
        for deadline in deadlines:
            _close(deadline, status=status, actor=actor)
    return deadlines


def _status(outcome: str) -> str:
    try:
        return OUTCOMES[outcome]
    except KeyError:
        raise ValueError(f"A deadline closes as 'completed' or 'cancelled', not {outcome!r}") from None


def _close(deadline: Deadline, *, status: str, actor) -> None:
    now = timezone.now()
    before = snapshot(deadline, AUDITED)
    deadline.status, deadline.closed_at, deadline.closed_by = status, now, _user(actor)
    deadline.save(update_fields=["status", "closed_at", "closed_by", "updated_at"])
    Reminder.objects.filter(deadline=deadline).pending().update(
        cancelled_at=now, cancel_reason=Reminder.CancelReason.CLOSED
    )
    audit_record(
        actor=actor,
        instance=deadline,
        action=AuditEntry.Action.STATE,
        before=before,
        after=snapshot(deadline, AUDITED),
        summary=_("Deadline completed") if status == Deadline.Status.COMPLETED else _("Deadline cancelled"),
    )


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
