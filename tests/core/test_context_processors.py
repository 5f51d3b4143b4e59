"""The context every page gets: the footer's complaint hotline comes from the station on the
roster, looked up once per request at most."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.roster.factories import StationFactory, user_with_role
from tollservice.core.context_processors import portal

pytestmark = pytest.mark.django_db


def _footer(client) -> str:
    page = client.get(reverse("login")).content.decode()
    return page[page.index("<footer") : page.index("</footer>")]


def test_the_footer_shows_the_stations_own_hotline(client, settings):
    # CMP-6: the hotline the station publishes, as its roster records it.
    settings.PORTAL_HOTLINE = "0791-0000000"
    StationFactory(hotline="0791-83751234")
    assert "0791-83751234" in _footer(client)
    assert "0791-0000000" not in _footer(client)


@pytest.mark.parametrize("station_hotline", [None, ""])
def test_the_setting_stands_in_while_the_station_has_no_hotline(client, settings, station_hotline):
    settings.PORTAL_HOTLINE = "0791-1111111"
    if station_hotline is not None:
        StationFactory(hotline=station_hotline)
    assert "0791-1111111" in _footer(client)


def test_a_new_hotline_on_the_station_shows_on_the_next_page(client):
    station = StationFactory(hotline="0791-83751234")
    client.force_login(user_with_role("office"))
    client.post(reverse("roster:station_edit"), {"name": station.name, "address": "", "hotline": "12122"})
    assert "12122" in _footer(client)


def test_one_query_per_request_however_often_the_hotline_is_shown(rf, django_assert_num_queries):
    StationFactory(hotline="0791-83751234")
    request = rf.get("/")
    footer = Template("{{ portal_hotline }}")
    with django_assert_num_queries(0):  # nothing until a template shows it
        first, second = portal(request), portal(request)  # e.g. a page and an included fragment
    with django_assert_num_queries(1):
        assert footer.render(Context(first)) == "0791-83751234"
        assert footer.render(Context(second)) == "0791-83751234"
        assert footer.render(Context(first)) == "0791-83751234"
