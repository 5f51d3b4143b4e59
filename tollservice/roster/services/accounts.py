"""Login accounts linked to roster entries (staff and supervisors).

Nobody chooses a password for someone else's account in the portal: whoever keeps the roster
could otherwise sign in as the leader or the finance office. The office creates an account and
the portal emails the person, at the address on their roster entry, a link to choose their own
password (Django's password-reset tokens: single use, expiring after
``settings.PASSWORD_RESET_TIMEOUT``). An existing account's password is reset only by the system
administrator. Every new account and every reset is audited and told to the leadership group
(``alerts.leadership_alert``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.access.roles import forget_roles
from tollservice.audit.services import audit_record, audited_change, locked, snapshot
from tollservice.core.errors import DomainError
from tollservice.roster.models import (
    Staff,
    Supervisor,
)
from tollservice.roster.services._common import Action
from tollservice.roster.services.alerts import leadership_alert


def _validate_password(password: str, user) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages), field="password1") from error


def _is_administrator(actor) -> bool:
    return bool(getattr(actor, "is_superuser", False))


def _require_administrator(actor) -> None:
    if not _is_administrator(actor):
        raise DomainError(
            _("Only the system administrator resets the password of an existing account."), code="permission_denied"
        )


def _require_email(person: Staff | Supervisor, *, field: str | None = None) -> None:
    if not person.email:
        raise DomainError(
            _(
                "%(name)s has no email address on the roster. Enter it first: the link to choose a password "
                "is sent there."
            ),
            field=field,
            params={"name": person.name},
        )


def _send_set_password_link_after_commit(user) -> None:
    from tollservice.roster.tasks import send_set_password_link

    user_id = user.pk
    transaction.on_commit(lambda: send_set_password_link.delay(user_id))


def account_link(*, actor, person: Staff | Supervisor, username: str, password: str | None = None):
    """Create the login account of a staff member or supervisor; their roles then come from
    their roster entry.

    The person chooses their password with a link emailed to the address on their roster entry
    (refused when there is none). Only the system administrator, or the system itself
    (``actor=None``: ``seed_demo``), may set an initial ``password`` instead; it is checked by
    Django's password validators.
    """
    User = get_user_model()
    if password is not None and actor is not None and not _is_administrator(actor):
        raise DomainError(_("Only the system administrator chooses a password for someone else."), field="password1")
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
        if password is None:
            _require_email(person)
        user = User(username=username, email=person.email, first_name=person.name)
        if password is None:
            user.set_unusable_password()
        else:
            _validate_password(password, user)
            user.set_password(password)
        user.save()
        audited_change(actor=actor, instance=person, summary=_("Account created"), user=user)
        if password is None:
            _send_set_password_link_after_commit(user)
        leadership_alert(
            actor=actor,
            subject=_("Login account created for %(name)s (username %(username)s)"),
            params={"name": person.name, "username": username},
            url=person.get_absolute_url(),
        )
    return user


def account_password_reset(*, actor, person: Staff | Supervisor, password: str):
    """Set a new password on a roster entry's account: the system administrator only."""
    _require_administrator(actor)
    with transaction.atomic():
        person = locked(person)
        if person.user_id is None:
            raise DomainError(_("%(name)s has no account yet."), params={"name": person.name})
        user = locked(person.user)
        _validate_password(password, user)
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, instance=person, action=Action.UPDATE, summary=_("Password reset"))
        leadership_alert(
            actor=actor,
            subject=_("The password of %(name)s (username %(username)s) was reset"),
            params={"name": person.name, "username": user.username},
            url=person.get_absolute_url(),
        )
    return user


def account_password_link_send(*, actor, person: Staff | Supervisor):
    """Email the person a link to choose a new password, at the address on their roster entry:
    the system administrator's other way of resetting a password. The old password keeps
    working until the link is used."""
    _require_administrator(actor)
    with transaction.atomic():
        person = locked(person)
        if person.user_id is None:
            raise DomainError(_("%(name)s has no account yet."), params={"name": person.name})
        _require_email(person)
        user = person.user
        audit_record(actor=actor, instance=person, action=Action.UPDATE, summary=_("Set-password link sent"))
        _send_set_password_link_after_commit(user)
        leadership_alert(
            actor=actor,
            subject=_("A link to choose a new password was sent to %(name)s (username %(username)s)"),
            params={"name": person.name, "username": user.username},
            url=person.get_absolute_url(),
        )
    return user


def account_set_password_email(*, user_id: int) -> bool:
    """Email an account's owner a link to choose their password; False if there is no one to
    email (the account was disabled or has no address meanwhile). The token is made here, when
    the email is written, and stored nowhere."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return False
    uidb64, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uidb64, "token": token})
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "link": f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}",
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        }
        subject = gettext("Choose your password for the service standardization portal")
        body = render_to_string("registration/set_password_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


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
    """Notifications and set-password links are emailed to the account's address, so it follows
    the roster entry's (a blank one included: no address on the roster means no email). The
    leadership group is told, since a changed address is where the next link would go."""
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
    leadership_alert(
        actor=actor,
        subject=_("The email address of the account of %(name)s (username %(username)s) changed to %(email)s"),
        params={"name": person.name, "username": user.username, "email": person.email or "—"},
        url=person.get_absolute_url(),
    )
