"""Verdicts: may this user take this step on this object — yes, or no with the reason.

A module writes each of its object-level checks once, as a ``can_…`` function returning a
``Verdict``. Its services call ``verdict.check()`` before they write (the refusal becomes the
one ``DomainError``), and its pages offer a button only where the same verdict is true, so a
button and its guard cannot disagree (``penalties.permissions``, ``awards.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError


@dataclass(frozen=True)
class Verdict:
    """Allowed, or refused with a reason (a translatable message and its parameters)."""

    allowed: bool = True
    reason: str | Promise = ""
    code: str = ""
    params: dict = field(default_factory=dict)

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        return str(self.reason % self.params) if self.params else str(self.reason)

    def check(self, *, field: str | None = None) -> None:
        """Raise the refusal, as every service does before it writes."""
        if not self.allowed:
            raise DomainError(self.reason, field=field, code=self.code, params=self.params)


ALLOWED = Verdict()


def refused(reason, code: str, **params) -> Verdict:
    return Verdict(False, reason, code, params)


NOT_ALLOWED = refused(_("You are not allowed to do this."), "permission_denied")


def first_refusal(*verdicts) -> Verdict:
    """The first refusal among checks taken in order (each a ``Verdict`` or a callable giving one,
    so that later, costlier checks run only when the earlier ones pass)."""
    for verdict in verdicts:
        verdict = verdict() if callable(verdict) else verdict
        if not verdict:
            return verdict
    return ALLOWED


def holds(user, permission: str) -> Verdict:
    """The role check (``tollservice.access.permissions``) as a verdict."""
    return ALLOWED if has_permission(user, permission) else NOT_ALLOWED


def require_permission(user, permission: str) -> None:
    """A service's own role check before it writes, so that no view can skip it."""
    holds(user, permission).check()
