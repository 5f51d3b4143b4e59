"""Links from the awards' pages to the records behind a figure, in the other modules.

The inspections' and complaints' own pages are being built at the same time as these (their
screens land on ``main`` separately), so a link to one of them is made only where that page
exists: ``optional_url`` gives "" for a URL name that is not (yet) installed, and the page then
shows the record without a link. Every name used here is listed in ``RECORD_PAGES``; once those
screens are merged, ``tests/awards/test_links.py`` checks that each of them resolves.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

# The other modules' pages the awards link to, with their URL keyword arguments.
RECORD_PAGES = {
    "inspections:inspection_detail": ("pk",),
    "inspections:inspection_list": (),
    "inspections:order_detail": ("pk",),
    "inspections:order_list": (),
    "inspections:report_detail": ("pk",),
    "complaints:detail": ("pk",),
    "complaints:list": (),
}


def optional_url(name: str, query: dict | None = None, **kwargs) -> str:
    """The URL of a page of another module, or "" while that page does not exist."""
    if name not in RECORD_PAGES:  # a typo must fail loudly, not hide a link
        raise LookupError(f"{name!r} is not one of awards.links.RECORD_PAGES")
    try:
        url = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url
