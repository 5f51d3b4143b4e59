"""The one-time submission token of a rendered form (``tollservice.core.service_views``), for
tests that post as a browser would: open the form, then send it with the token it carried."""

from __future__ import annotations

import re

from tollservice.core.service_views import SUBMISSION_FIELD

_TOKEN = re.compile(rf'name="{SUBMISSION_FIELD}" value="([^"]+)"')


def token_from(response) -> str:
    """The token in a page's form (the first, if the page has several)."""
    match = _TOKEN.search(response.content.decode())
    assert match, f"no {SUBMISSION_FIELD} in the page"
    return match[1]


def opened(client, url: str) -> dict:
    """Open the form at ``url``; the data to add to the POST: ``{"submission_token": …}``."""
    response = client.get(url)
    assert response.status_code == 200, url
    return {SUBMISSION_FIELD: token_from(response)}
