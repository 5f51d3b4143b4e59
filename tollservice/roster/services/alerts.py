"""The leadership group hears of every change that could let someone act with more rights.

Who may sign in as whom, and with which rights, is decided by the roster and its accounts. The
services that change them audit the change; this module also tells the leadership group (ORG-1,
which supervises the office that keeps the roster) in their inbox and by email, so that a
password reset, a new account or a post granted by mistake — or on purpose — is seen at once:

- a password reset or a set-password link sent for an existing account;
- a new login account for a roster entry;
- a new post that carries a role: a team leader, a seat in the leadership group or its office,
  a post in the finance office (also when a department becomes the finance office);
- a changed email address on an account (set-password links are sent there).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tollservice.notifications.services import notification_send
from tollservice.roster.names import person_name
from tollservice.roster.selectors import leadership_group_users


def leadership_alert(*, actor, subject, params: dict | None = None, url: str = "") -> int:
    """Notify the leadership group's accounts (all but ``actor``) of a change ``actor`` made;
    returns how many were notified. ``subject`` is a translatable message with ``params``.

    The text is written in the station's language, since its readers are others than the actor.
    Changes the system makes itself (``actor=None``: ``seed_demo``) notify no one.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        text = str(subject) % (params or {})
        body = str(
            _("Made by %(actor)s at %(time)s. If the leadership group did not agree to it, have it checked.")
        ) % {"actor": person_name(actor), "time": timezone.localtime().strftime("%Y-%m-%d %H:%M")}
    recipients = leadership_group_users().exclude(pk=actor.pk)
    for user in recipients:
        notification_send(recipient=user, subject=text, body=body, url=url)
    return len(recipients)


# Labels of the posts ``role_granted_alert`` names, in the station's language when sent.
POST_TEAM_LEADER = pgettext_lazy("post granted", "team leader of %(team)s")
POST_FINANCE = pgettext_lazy("post granted", "a post in the finance office (%(department)s)")
POST_LEADERSHIP = pgettext_lazy("post granted", "a seat in the leadership group (%(role)s)")
POST_OFFICE = pgettext_lazy("post granted", "a seat in the group office (%(role)s)")


def role_granted_alert(*, actor, staff, post, params: dict | None = None) -> None:
    """Tell the leadership group that ``staff`` now holds ``post``, which carries a role (a team
    leader, a seat in the leadership group or its office, a finance post). ``params`` fill in
    ``post`` and may be translatable labels: they are read in the station's language too."""
    with translation.override(settings.LANGUAGE_CODE):
        post_text = str(post) % {key: str(value) for key, value in (params or {}).items()}
    leadership_alert(
        actor=actor,
        subject=_("Roster: %(name)s now holds a post with more rights: %(post)s"),
        params={"name": staff.name, "post": post_text},
        url=staff.get_absolute_url(),
    )
