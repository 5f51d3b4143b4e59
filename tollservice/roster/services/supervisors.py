"""External supervisors (ORG-6)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tollservice.access.roles import forget_roles
from tollservice.audit.services import audited_change, audited_create, locked
from tollservice.core.errors import DomainError
from tollservice.roster.models import (
    Supervisor,
)
from tollservice.roster.services._common import Action
from tollservice.roster.services.accounts import _account_disable, _account_email_sync


def _check_supervisor(
    *, supervisor: Supervisor | None, pass_number: str, term_start: datetime.date, term_end: datetime.date | None
) -> None:
    clash = Supervisor.objects.filter(pass_number=pass_number)
    if supervisor is not None:
        clash = clash.exclude(pk=supervisor.pk)
    if clash.exists():
        raise DomainError(
            _("The pass number “%(number)s” is already issued."), field="pass_number", params={"number": pass_number}
        )
    if term_end is not None and term_end < term_start:
        raise DomainError(_("The term cannot end before it starts."), field="term_end")


def supervisor_create(
    *,
    actor,
    name: str,
    pass_number: str,
    term_start: datetime.date,
    term_end: datetime.date | None = None,
    organisation: str = "",
    phone: str = "",
    email: str = "",
) -> Supervisor:
    """Appoint an external supervisor (ORG-6) for a term, with a pass number."""
    _check_supervisor(supervisor=None, pass_number=pass_number, term_start=term_start, term_end=term_end)
    with transaction.atomic():
        return audited_create(
            actor=actor,
            model=Supervisor,
            name=name,
            pass_number=pass_number,
            term_start=term_start,
            term_end=term_end,
            organisation=organisation,
            phone=phone,
            email=email,
        )


def supervisor_update(
    *,
    actor,
    supervisor: Supervisor,
    name: str,
    pass_number: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    organisation: str,
    phone: str,
    email: str,
) -> Supervisor:
    with transaction.atomic():
        supervisor = locked(supervisor)
        _check_supervisor(supervisor=supervisor, pass_number=pass_number, term_start=term_start, term_end=term_end)
        audited_change(
            actor=actor,
            instance=supervisor,
            name=name,
            pass_number=pass_number,
            term_start=term_start,
            term_end=term_end,
            organisation=organisation,
            phone=phone,
            email=email,
        )
        _account_email_sync(actor=actor, person=supervisor)
    if supervisor.user is not None:
        forget_roles(supervisor.user)
    return supervisor


def supervisor_deactivate(*, actor, supervisor: Supervisor, term_end: datetime.date) -> Supervisor:
    """End a supervisor's appointment early (ORG-6): the term ends and their account is disabled."""
    with transaction.atomic():
        supervisor = locked(supervisor)
        if not supervisor.active:
            raise DomainError(_("%(name)s's appointment has already ended."), params={"name": supervisor.name})
        if term_end < supervisor.term_start:
            raise DomainError(_("The term cannot end before it starts."), field="term_end")
        if supervisor.term_end is not None and supervisor.term_end < term_end:
            term_end = supervisor.term_end
        audited_change(actor=actor, instance=supervisor, action=Action.DEACTIVATE, active=False, term_end=term_end)
        _account_disable(actor=actor, person=supervisor)
    return supervisor
