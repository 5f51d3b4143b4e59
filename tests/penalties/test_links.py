"""Every page name the penalties domain links to exists: a wrong name fails here, not in a notification."""

import pytest
from django.urls import NoReverseMatch, resolve

from penalties import links


@pytest.mark.parametrize("name", sorted(links.ALL))
def test_every_link_name_reverses_with_its_keyword_arguments(name):
    sample = dict.fromkeys(links.ALL[name], 7)
    path = links.portal_url(name, **sample)
    assert resolve(path).view_name == name
    assert resolve(path).kwargs == sample


def test_a_wrong_link_name_raises_instead_of_sending_no_link():
    with pytest.raises(NoReverseMatch):
        links.portal_url("penalties:no_such_page", pk=1)
    with pytest.raises(NoReverseMatch):  # the right name without the argument its URL needs
        links.portal_url(links.PENALTY_DETAIL)
