"""The awards link to the records behind each figure in the inspections' and complaints' pages,
which land on main separately: a link appears once its page exists, and a page name that does not
resolve once its module's pages are installed fails here (a renamed page would otherwise lose its
links silently)."""

import pytest
from django.urls import get_resolver

from awards.links import RECORD_PAGES, optional_url


def test_every_record_page_resolves_once_its_module_has_pages():
    installed = get_resolver().namespace_dict
    for name, kwarg_names in RECORD_PAGES.items():
        url = optional_url(name, **dict.fromkeys(kwarg_names, 1))
        if name.split(":")[0] in installed:
            assert url, f"{name} is not a page of its module"
        else:
            assert url == ""  # not yet: the page shows the record without a link


def test_a_filtered_list_keeps_its_query():
    url = optional_url("inspections:inspection_list", query={"team": 3, "start": "2026-01-01"})
    assert url == "" or url.endswith("?team=3&start=2026-01-01")


def test_an_unknown_page_name_fails_loudly():
    with pytest.raises(LookupError):
        optional_url("inspections:no_such_page")
