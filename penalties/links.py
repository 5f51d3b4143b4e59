"""The URL names the penalties screens provide, and a safe way to link to them.

The domain (services, eligibility reasons, notifications) links to pages by these names; the
screens (``penalties/urls.py``) must define them. Until a page exists, ``portal_url`` returns
"" so that a notification is still sent, without a link.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

PENALTY_DETAIL = "penalties:penalty_detail"  # kwargs: pk
APPROVAL_QUEUE = "penalties:approval_queue"
CIRCULAR_DETAIL = "penalties:circular_detail"  # kwargs: pk
WAIVER_DETAIL = "penalties:waiver_detail"  # kwargs: pk
TALK_DETAIL = "penalties:talk_detail"  # kwargs: pk
REVOCATION_DETAIL = "penalties:eligibility_revocation_detail"  # kwargs: pk

ALL = (PENALTY_DETAIL, APPROVAL_QUEUE, CIRCULAR_DETAIL, WAIVER_DETAIL, TALK_DETAIL, REVOCATION_DETAIL)


def portal_url(name: str, **kwargs) -> str:
    """The path of a named page, or "" while the page is not routed yet."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
