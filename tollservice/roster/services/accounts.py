"""Login accounts linked to roster entries (staff and supervisors)."""

from __future__ import annotations

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tollservice.access.roles import forget_roles
from tollservice.audit.services import audit_record, audited_change, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.roster.models import (
    Staff,
    Supervisor,
)
from tollservice.roster.services._common import Action


def _validate_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from error


def account_link(*, actor, person: Staff | Supervisor, username: str, password: str):
    """Create the login account of a staff member or supervisor. Their roles then come from
    their roster entry; the password is checked by Django's password validators."""
    User = get_user_model()
    with transaction.atomic():
        person = locked(person)
        if person.user_id is not None:
            raise DomainError(_("%(name)s already has an account."), params={"name": person.name})
        if not person.active:
            raise DomainError(_("%(name)s is no longer active."), params={"name": person.name})
        if User.objects.filter(username__iexact=username).exists():
            raise DomainError(
                _("The username “%(username)s” is taken."), field="username", params={"username": username}
            )
        user = User(username=username, email=person.email, first_name=person.name)
        _validate_password(password, user)
        user.set_password(password)
        user.save()
        audited_change(actor=actor, instance=person, summary=_("Account created"), user=user)
    return user


def account_password_reset(*, actor, person: Staff | Supervisor, password: str):
    """Set a new password on a roster entry's account. An administrator's password is only
    reset by an administrator."""
    with transaction.atomic():
        person = locked(person)
        if person.user_id is None:
            raise DomainError(_("%(name)s has no account yet."), params={"name": person.name})
        user = locked(person.user)
        if user.is_superuser and not getattr(actor, "is_superuser", False):
            raise DomainError(_("Only a system administrator can reset this account's password."))
        _validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, instance=person, action=Action.UPDATE, summary=_("Password reset"))
    return user


def _account_disable(*, actor, person: Staff | Supervisor) -> None:
    if person.user_id is None:
        return
    user = locked(person.user)
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, instance=person, action=Action.STATE, summary=_("Account disabled"))
    forget_roles(user)


def _account_enable(*, actor, person: Staff | Supervisor) -> None:
    """The login account of someone who came back: they can sign in again, which the audit
    trail records like the account being disabled."""
    if person.user_id is None:
        return
    user = locked(person.user)
    if not user.is_active:
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, instance=person, action=Action.STATE, summary=_("Account enabled"))
    forget_roles(user)


def _account_email_sync(*, actor, person: Staff | Supervisor) -> None:
    """Notifications are emailed to the account's address, so it follows the roster entry's
    (a blank one included: no address on the roster means no email)."""
    if person.user_id is None:
        return
    user = locked(person.user)
    if user.email == person.email:
        return
    before = snapshot(user, ["email"])
    user.email = person.email
    user.save(update_fields=["email"])
    audit_record(
        actor=actor,
        instance=person,
        action=Action.UPDATE,
        before=before,
        after=snapshot(user, ["email"]),
        summary=_("Account email updated"),
    )
