"""The URL names the penalties screens provide, for the domain to link to.

The domain (services, eligibility reasons, notifications, reports) links to pages by these
names; the screens (``penalties/urls.py``) must define them. A wrong or missing name raises
``NoReverseMatch`` like any ``reverse``: ``tests/penalties/test_links.py`` reverses every name in
``ALL`` with the keyword arguments it declares.
"""

from __future__ import annotations

from django.urls import reverse

PENALTY_DETAIL = "penalties:penalty_detail"
APPROVAL_QUEUE = "penalties:approval_queue"
CIRCULAR_DETAIL = "penalties:circular_detail"
WAIVER_DETAIL = "penalties:waiver_detail"
TALK_DETAIL = "penalties:talk_detail"
REVOCATION_DETAIL = "penalties:eligibility_revocation_detail"

# Every name, with the keyword arguments its URL takes.
ALL: dict[str, tuple[str, ...]] = {
    PENALTY_DETAIL: ("pk",),
    APPROVAL_QUEUE: (),
    CIRCULAR_DETAIL: ("pk",),
    WAIVER_DETAIL: ("pk",),
    TALK_DETAIL: ("pk",),
    REVOCATION_DETAIL: ("pk",),
}


def portal_url(name: str, **kwargs) -> str:
    """The path of a named page (``name`` is one of ``ALL``)."""
    return reverse(name, kwargs=kwargs or None)


def portal_url_by_pk(name: str):
    """``portal_url(name, pk=…)`` for many keys: the path reversed once, with a marker key that
    each key replaces (the ``int`` converter writes a key as its digits)."""
    marker = "987654321"
    before, sep, after = portal_url(name, pk=int(marker)).rpartition(marker)
    if not sep:  # pragma: no cover - a path without the key
        return lambda pk: portal_url(name, pk=pk)
    return lambda pk: f"{before}{pk}{after}"
