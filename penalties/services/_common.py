"""Helpers shared by the penalties services: authorization, row locks, notifications."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from penalties.models import Penalty
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.core.errors import DomainError
from tollservice.notifications.services import notification_send
from tollservice.roster.models import Staff


def require_permission(user, permission: str) -> None:
    """The service's own check of who may do a step, so that no view can skip it."""
    if not has_permission(user, permission):
        raise DomainError(_("You are not allowed to do this."), code="permission_denied")


def refuse_own_case(user, penalty: Penalty) -> None:
    """Nobody decides, approves, collects or waives their own penalty."""
    if roles_for(user).staff_id == penalty.staff_id:
        raise DomainError(_("You cannot act on a penalty of your own."), code="own_case")


def refuse_own_subject(user, *, staff_ids, team_id: int | None = None) -> None:
    """Nobody withdraws, edits or publishes a decision that names them or their team."""
    roles = roles_for(user)
    if roles.staff_id is None:
        return
    own_team = team_id is not None and (
        team_id in roles.led_team_ids or Staff.objects.filter(pk=roles.staff_id, team_id=team_id).exists()
    )
    if roles.staff_id in set(staff_ids) or own_team:
        raise DomainError(_("You cannot act on a decision that concerns you or your team."), code="own_case")


def require_text(value: str, *, field: str, message=None) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message or _("Give the reasons."), field=field, code="required")
    return value


def lock_penalty(pk: int) -> Penalty:
    """The penalty row, locked until the transaction ends (``select_for_update``).

    Every write to a penalty or its ledger takes this lock first, so concurrent writers to one
    penalty run one after the other and each sees what the previous one wrote.

    A PEN-4 pair (the handler's penalty and the head's, joined by ``joint_with``) is settled
    together: deciding either half reads and may update the other. Both rows are therefore
    locked at once, lowest key first, so that two clerks deciding the two halves at the same
    moment queue one behind the other instead of each holding one row and waiting for the
    other's (a deadlock PostgreSQL would break by failing one of them).
    """
    joint_with_id = Penalty.objects.filter(pk=pk).values_list("joint_with_id", flat=True).get()
    root_pk = joint_with_id or pk
    family = list(Penalty.objects.select_for_update().filter(Q(pk=root_pk) | Q(joint_with_id=root_pk)).order_by("pk"))
    return next(penalty for penalty in family if penalty.pk == pk)


def notify(*, recipients, subject, body, url: str = "") -> None:
    """In-app notification now (part of the transaction), email after commit (notification_send)."""
    seen = set()
    for user in recipients:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        notification_send(recipient=user, subject=str(subject), body=str(body), url=url)
