"""Helpers shared by the penalties services: authorization, row locks, notifications.

Who may take a step on which object is ``penalties.permissions`` (the pages show their buttons
from the same checks); the services call ``check()`` on those verdicts before they write.
"""

from __future__ import annotations

from django.db.models import Q

from penalties.models import Penalty
from tollservice.notifications.services import StaffNotice, notification_send_to_staff
from tollservice.roster.models import Staff


def lock_staff(*staff_ids: int) -> None:
    """Lock the people's roster rows, lowest key first, until the transaction ends.

    Proposals and decisions about one person are taken one at a time, so that the second of two
    sees the first: a proposal posted twice finds its first copy (and is refused), two
    violations decided together see each other (PEN-2).
    """
    list(Staff.objects.select_for_update().filter(pk__in=staff_ids).order_by("pk").values_list("pk", flat=True))


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


def notify_staff(staff: Staff, *, subject, body, url: str = "") -> StaffNotice:
    """A person on the roster, with or without an account (``notification_send_to_staff``)."""
    return notification_send_to_staff(staff=staff, subject=str(subject), body=str(body), url=url)
