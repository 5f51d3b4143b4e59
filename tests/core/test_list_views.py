"""The shared list view (tollservice/core/list_views.py): filter, paginate, export from one report,
whose rows may come from model instances or from ``values_list()`` tuples."""

import csv
import io

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from tests.roster.factories import DepartmentFactory, TeamFactory, user_with_role
from tollservice.core import exports
from tollservice.core.list_views import ReportListView, export_queries, page_of, query_without, requested_export
from tollservice.roster import filters, selectors

pytestmark = pytest.mark.django_db


class TeamNameReport(exports.Report):
    """A report built from tuples, as a report over many rows may be."""

    title = "Teams"
    filename = "teams"
    columns = (exports.Column("Team"), exports.Column("Department"))

    def source(self, queryset):
        return queryset.values_list("name", "department__name")

    def row(self, values) -> exports.Row:
        name, department = values
        return self.make_row([name, department])


class TeamNameListView(ReportListView):
    permission = "roster.view"
    tab = "teams"
    template_name = "penalties/report_list.html"
    filterset_class = filters.TeamFilter
    report_class = TeamNameReport
    paginate_by = 2

    def get_queryset(self):
        return selectors.team_list().order_by("name", "pk")


@pytest.fixture
def teams():
    department = DepartmentFactory()
    return [TeamFactory(name=f"收费{n}班", department=department, station=department.station) for n in range(1, 4)]


def _get(query: str):
    request = RequestFactory().get(f"/teams/?{query}")
    request.user = user_with_role("office")
    return TeamNameListView.as_view()(request)


def test_the_page_shows_its_page_of_rows_from_the_reports_source(teams):
    first = _get("status=all").context_data["page_obj"]
    assert first.count == 3 and first.next_url.startswith("?status=all&after=")
    response = _get(first.next_url[1:])
    rows = response.context_data["rows"]
    assert [row.values for row in rows] == [["收费3班", "征费室"]]
    assert [row.values for row in _get("status=all&page=last").context_data["rows"]] == [
        ["收费2班", "征费室"],
        ["收费3班", "征费室"],
    ]
    assert response.context_data["tab"] == "teams"
    # The downloads keep the filter, not the page number.
    assert response.context_data["export_queries"] == {"xlsx": "status=all&export=xlsx", "csv": "status=all&export=csv"}


def test_the_download_has_every_filtered_row_from_the_same_source(teams):
    response = _get("status=all&export=csv")
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines == [["Team", "Department"], ["收费1班", "征费室"], ["收费2班", "征费室"], ["收费3班", "征费室"]]
    assert response["Content-Disposition"].startswith('attachment; filename="teams-')


def test_an_invalid_filter_lists_and_downloads_nothing(teams):
    assert _get("department=nonsense").context_data["rows"] == []
    lines = b"".join(_get("department=nonsense&export=csv").streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["Team,Department"]


def test_the_query_helpers():
    request = RequestFactory().get("/?page=3&q=王&export=pdf&after=x")
    assert query_without(request.GET).urlencode() == "q=%E7%8E%8B&export=pdf"
    assert query_without(request.GET, "q", "export").urlencode() == "page=3&after=x"
    assert requested_export(request) == ""  # only the portal's formats
    assert requested_export(RequestFactory().get("/?export=csv")) == "csv"
    pinned = export_queries(RequestFactory().get("/?before=abc"), month="2026-11")
    assert pinned == {"xlsx": "month=2026-11&export=xlsx", "csv": "month=2026-11&export=csv"}
    assert isinstance(query_without(QueryDict("a=1")), QueryDict)


def test_page_of_pages_a_list_and_a_queryset(teams):
    objects = list(range(60))
    assert list(page_of(RequestFactory().get("/?page=last"), objects).object_list) == list(range(35, 60))
    assert list(page_of(RequestFactory().get("/?page=x"), objects, per_page=50)) == list(range(50))
    page = page_of(RequestFactory().get("/?page=last"), selectors.team_list().order_by("name", "pk"), per_page=2)
    assert [team.name for team in page] == ["收费2班", "收费3班"]


class PagedTeamListView(TeamNameListView):
    """A view can attach what its rows show to the page's rows only (``page_extras``)."""

    seen: list = []

    def page_extras(self, objects):
        PagedTeamListView.seen.append(list(objects))


def test_page_extras_gets_the_page_s_rows_only(teams):
    request = RequestFactory().get("/teams/?status=all")
    request.user = user_with_role("office")
    PagedTeamListView.as_view()(request)
    assert PagedTeamListView.seen == [[("收费1班", "征费室"), ("收费2班", "征费室")]]
