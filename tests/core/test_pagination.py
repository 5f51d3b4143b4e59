"""Keyset pagination (tollservice/core/pagination.py): every row once, in order, forwards and
backwards, whatever the ordering; the filter kept; a bad cursor is the first page."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F, Q
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory

from tests.roster.factories import DepartmentFactory, StaffFactory, TeamFactory
from tollservice.core import pagination
from tollservice.core.list_views import page_of
from tollservice.core.pagination import COUNT_CAP, ordering_of, paginate
from tollservice.roster.models import Staff, Team

pytestmark = pytest.mark.django_db


def _query(url: str = "") -> QueryDict:
    return QueryDict(urlparse(url).query, mutable=False)


def _walk_forward(objects, per_page, start: str = ""):
    """Every page from ``start`` by "Next": the rows of each page."""
    pages, url = [], start
    while True:
        page = paginate(_query(url), objects, per_page=per_page)
        pages.append(list(page.object_list))
        if not page.has_next():
            return pages
        url = page.next_url
        assert len(pages) < 100


def _walk_backward(objects, per_page):
    pages, url = [], "?page=last"
    while True:
        page = paginate(_query(url), objects, per_page=per_page)
        pages.append(list(page.object_list))
        if not page.has_previous():
            return pages[::-1]
        url = page.previous_url
        assert len(pages) < 100


@pytest.fixture
def staff():
    """Eleven people with ties in every column and NULL in some: a team or none, a leaving date
    or none, two kinds of position."""
    department = DepartmentFactory()
    teams = [TeamFactory(name=name, department=department, station=department.station) for name in ("甲", "乙")]
    people = []
    for n in range(11):
        people.append(
            StaffFactory(
                department=department,
                name=f"员工{n % 3}",
                position="收费员" if n % 2 else "班长",
                team=teams[n % 2] if n % 4 else None,
                left_on=datetime.date(2026, 1, 1 + n % 3) if n % 3 else None,
                active=n % 5 != 0,
            )
        )
    return people


ORDERINGS = [
    ("pk",),
    ("-pk",),
    ("name", "pk"),
    ("-name", "pk"),
    ("name", "-pk"),
    ("-active", "position", "-name", "pk"),
    ("left_on", "pk"),  # NULL where the database puts it
    ("-left_on", "-pk"),
    (F("left_on").asc(nulls_last=True), "pk"),
    (F("left_on").desc(nulls_first=True), "name", "-pk"),
    (F("left_on").asc(nulls_first=True), "-pk"),
    ("team__name", "pk"),  # through a nullable relation
    ("-team_id", "employee_number"),
    ("employee_number",),
]


@pytest.mark.parametrize("ordering", ORDERINGS, ids=str)
@pytest.mark.parametrize("per_page", [1, 3, 4, 11, 20])
def test_every_row_once_in_order_forwards_and_backwards(staff, ordering, per_page):
    objects = Staff.objects.order_by(*ordering)
    expected = list(objects)
    forward = _walk_forward(objects, per_page)
    assert [row for page in forward for row in page] == expected
    assert all(len(page) == per_page for page in forward[:-1])
    backward = _walk_backward(objects, per_page)
    assert [row for page in backward for row in page] == expected
    # The last page is full (the ordering reversed, its first rows), as the first one is.
    assert len(backward[-1]) == min(per_page, len(expected)) == len(forward[0])
    assert all(len(page) == per_page for page in backward[1:])


def test_values_and_values_list_rows_page_alike(staff):
    ordered = Staff.objects.order_by("name", "-pk")
    expected = list(ordered.values_list("employee_number", flat=True))
    # The key columns among the values …
    dicts = _walk_forward(ordered.values("pk", "name", "employee_number"), 4)
    assert [row["employee_number"] for page in dicts for row in page] == expected
    # … or not: the keys are read beside the rows.
    tuples = _walk_forward(ordered.values_list("employee_number", "position"), 4)
    assert [row[0] for page in tuples for row in page] == expected
    flat = _walk_backward(ordered.values_list("employee_number", flat=True), 4)
    assert [row for page in flat for row in page] == expected


def test_an_ordering_by_an_expression_pages_under_an_alias(staff):
    from tollservice.roster.selectors import shift_order

    objects = Staff.objects.order_by(shift_order("position"), "-pk")
    assert [row for page in _walk_forward(objects, 3) for row in page] == list(objects)
    assert [row for page in _walk_backward(objects, 3) for row in page] == list(objects)


def test_the_links_keep_the_filter_and_drop_the_other_cursor(staff):
    objects = Staff.objects.order_by("name", "pk")
    first = paginate(_query("?q=员工&status=all&page=1"), objects, per_page=4)
    assert not first.has_previous() and first.has_next()
    assert first.previous_url == ""
    assert parse_qs(first.first_url[1:]) == {"q": ["员工"], "status": ["all"]}
    assert parse_qs(first.last_url[1:]) == {"q": ["员工"], "status": ["all"], "page": ["last"]}
    second = paginate(_query(first.next_url), objects, per_page=4)
    assert set(parse_qs(second.next_url[1:])) == {"q", "status", "after"}
    assert set(parse_qs(second.previous_url[1:])) == {"q", "status", "before"}
    assert [s.pk for s in paginate(_query(second.previous_url), objects, per_page=4)] == [s.pk for s in first]
    last = paginate(_query(first.last_url), objects, per_page=4)
    assert last.has_previous() and not last.has_next() and last.next_url == ""
    assert list(last) == list(objects)[-4:]


@pytest.mark.parametrize(
    "query",
    [
        "after=nonsense",
        "before=nonsense",
        "after=",
        "page=7",
        "page=x",
        "after=WzFd:1tampered:signature",
    ],
)
def test_a_bad_cursor_is_the_first_page(staff, query):
    objects = Staff.objects.order_by("name", "pk")
    page = paginate(_query(f"?{query}"), objects, per_page=4)
    assert list(page) == list(objects)[:4]
    assert not page.has_previous()


def test_a_token_of_another_ordering_or_of_wrong_values_is_refused(staff):
    by_name = Staff.objects.order_by("name", "pk")
    by_pk = Staff.objects.order_by("pk")
    token = paginate(_query(), by_name, per_page=4).next_token
    assert pagination.read_token(ordering_of(by_pk), token) is None
    keys = ordering_of(Staff.objects.order_by("left_on", "pk"))
    assert pagination.read_token(keys, pagination.make_token(keys, ["not a date", 1])) is None
    assert pagination.read_token(keys, pagination.make_token(keys, [None, None])) is None  # pk is never NULL
    assert pagination.read_token(keys, pagination.make_token(keys, [1])) is None
    assert pagination.read_token(keys, pagination.make_token(keys, [None, "7"])) == [None, 7]


def test_past_either_end_the_list_shows_its_end(staff):
    objects = Staff.objects.order_by("pk")
    keys = ordering_of(objects)
    beyond = pagination.make_token(keys, [staff[-1].pk + 100])
    page = paginate(_query(f"?after={beyond}"), objects, per_page=4)
    assert list(page) == staff[-4:] and page.is_last and not page.has_next()
    before_second = pagination.make_token(keys, [staff[1].pk])
    page = paginate(_query(f"?before={before_second}"), objects, per_page=4)
    assert list(page) == staff[:1] and not page.has_previous() and page.has_next()  # short, no row twice
    before_first = pagination.make_token(keys, [staff[0].pk])
    page = paginate(_query(f"?before={before_first}"), objects, per_page=4)
    assert list(page) == staff[:4] and not page.has_previous()


def test_an_empty_list_and_a_list_of_exactly_one_page():
    empty = paginate(_query("?page=last"), Staff.objects.order_by("pk"), per_page=4)
    assert list(empty) == [] and not empty.has_other_pages() and empty.count == 0
    people = StaffFactory.create_batch(4)
    for url in ("", "?page=last"):
        page = paginate(_query(url), Staff.objects.order_by("pk"), per_page=4)
        assert list(page) == people and not page.has_other_pages()
        assert page.paginator.count == 4 and page.paginator.num_pages == 1


def test_an_ordering_that_does_not_end_with_a_unique_field_is_refused():
    for ordering in [("name",), ("name", "team__pk"), ("left_on",), ("?",), ("team",), ()]:
        with pytest.raises(ImproperlyConfigured):
            ordering_of(Staff.objects.order_by(*ordering))
    assert [key.name for key in ordering_of(Staff.objects.all())] == ["employee_number"]  # Meta.ordering
    # Every field of a unique constraint makes a total order too (a team's name is unique in its station).
    assert len(ordering_of(Team.objects.order_by("name", "-station_id"))) == 2
    with pytest.raises(ImproperlyConfigured):
        ordering_of(Team.objects.order_by("name"))


def test_the_count_stops_at_the_cap(staff, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 5)
    page = paginate(_query(), Staff.objects.order_by("pk"), per_page=4)
    assert page.count == 5 and page.count_capped
    html = render_to_string("includes/row_count.html", {"page_obj": page})
    assert "5" in html and "11" not in html
    assert COUNT_CAP == 10_000


def test_a_sequence_pages_by_position():
    objects = list(range(60))
    request = RequestFactory().get("/")
    first = page_of(request, objects)
    assert list(first) == list(range(25)) and first.count == 60
    second = page_of(RequestFactory().get(f"/{first.next_url}"), objects)
    assert list(second) == list(range(25, 50))
    assert list(page_of(RequestFactory().get(f"/{second.previous_url}"), objects)) == list(range(25))
    assert list(page_of(RequestFactory().get("/?page=last"), objects)) == list(range(35, 60))
    assert list(page_of(RequestFactory().get("/?after=bad"), objects, per_page=50)) == list(range(50))


def test_the_links_render_for_a_phone(staff):
    page = paginate(_query(), Staff.objects.order_by("pk"), per_page=4)
    html = render_to_string("includes/pagination.html", {"page_obj": page})
    assert 'id="page-next"' in html and 'id="page-last"' in html and 'id="page-previous"' not in html
    assert "flex-wrap" in html


BRANCHED_ORDERINGS = [("pk",), ("-pk",), ("name", "pk"), ("-active", "position", "-name", "pk"), ("-name", "-pk")]


@pytest.mark.parametrize("ordering", BRANCHED_ORDERINGS, ids=str)
@pytest.mark.parametrize("per_page", [1, 3, 4, 11])
def test_a_list_read_in_overlapping_parts_shows_every_row_once_in_order(staff, ordering, per_page):
    # A scope "team 甲 or a 收费员 or inactive" read part by part (in_branches): the parts overlap,
    # one row of the list is in none (the list's own filter keeps it out all the same).
    scope = Q(team__name="甲") | Q(position="收费员") | Q(active=False)
    objects = Staff.objects.filter(scope).order_by(*ordering)
    parts = [Q(team__name="甲"), Q(position="收费员"), Q(active=False), Q(pk__in=[staff[0].pk])]
    branched = pagination.in_branches(objects, parts)
    expected = list(objects)
    assert 0 < len(expected) < len(staff)
    assert [row for page in _walk_forward(branched, per_page) for row in page] == expected
    assert [row for page in _walk_backward(branched, per_page) for row in page] == expected
    assert all(len(page) == per_page for page in _walk_forward(branched, per_page)[:-1])


def test_a_list_in_parts_needs_keys_that_are_never_null(staff):
    branched = pagination.in_branches(Staff.objects.order_by("left_on", "pk"), [Q(active=True), Q(active=False)])
    with pytest.raises(ImproperlyConfigured):
        paginate(_query(), branched, per_page=3)


@pytest.mark.parametrize("cap", [1, 3, 100])
def test_a_list_read_in_parts_counts_each_row_once_up_to_the_cap(staff, cap, django_assert_num_queries):
    # The parts overlap and one can hold no row at all (an empty list of own keys): the count is
    # the union's, read in one query, and says "more" past the cap as a plain count would.
    scope = Q(team__name="甲") | Q(position="收费员") | Q(active=False)
    objects = Staff.objects.filter(scope).order_by("pk")
    parts = [Q(team__name="甲"), Q(position="收费员"), Q(active=False), Q(pk__in=[]), lambda: Q(pk__in=[staff[0].pk])]
    expected = pagination.capped_count(objects, cap)
    with django_assert_num_queries(1):
        assert pagination.capped_count(pagination.in_branches(objects, parts), cap) == expected
    assert pagination.capped_count(pagination.in_branches(objects, [Q(pk__in=[])]), cap) == (0, False)
