"""How the portal names a person who has a login account: by their name on the roster.

A login name (``deputy``, ``wang01``) means nothing to a reader of the history, an export or a
notification; the roster says who the account belongs to. ``person_name`` is the one place that
decides, for every page, export and summary.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet

# The reverse one-to-one relations from an account to its roster entry.
PROFILE_RELATIONS = ("staff_profile", "supervisor_profile")


def person_name(user) -> str:
    """The roster name of the staff member or supervisor the account belongs to, else the
    account's full name, else its username; "" for no user.

    Reads the roster entry once per user object (Django caches it, a missing one included); a
    list of entries loads them with ``with_person_names`` so that naming costs no query per row.
    """
    if user is None:
        return ""
    for relation in PROFILE_RELATIONS:
        try:
            profile = getattr(user, relation)
        except ObjectDoesNotExist:
            continue
        if profile is not None and profile.name:
            return profile.name
    return user.get_full_name() or user.get_username()


def person_name_related(*user_fields: str) -> list[str]:
    """The ``select_related`` paths that let ``person_name`` name the users behind
    ``user_fields`` (foreign keys to the user model) without a query of its own."""
    return [f"{field}__{relation}" for field in user_fields for relation in PROFILE_RELATIONS]


def with_person_names(queryset: QuerySet, *user_fields: str) -> QuerySet:
    """``queryset`` with the roster entries of its ``user_fields`` joined in (see ``person_name``)."""
    return queryset.select_related(*user_fields, *person_name_related(*user_fields))
