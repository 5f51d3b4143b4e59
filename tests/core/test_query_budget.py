"""The measure-twice helper (tests/query_budget.py) fails where a flat limit would pass."""

import pytest

from tests.query_budget import assert_constant_queries
from tests.roster.factories import DepartmentFactory, TeamFactory
from tollservice.roster.models import Team

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    return DepartmentFactory()


def _more_teams(department, count=3):
    return lambda: TeamFactory.create_batch(count, department=department, station=department.station)


def _names_joined():
    return len([team.department.name for team in Team.objects.select_related("department")])


def _names_one_query_each():
    return len([team.department.name for team in Team.objects.all()])  # a query per row


def test_a_list_read_in_one_query_passes(department):
    _more_teams(department)()
    [(few, many)] = assert_constant_queries(_names_joined, grow=_more_teams(department), max_queries=1).values()
    assert (few.queries, few.rows, many.queries, many.rows) == (1, 3, 1, 6)


def test_a_query_per_row_fails_and_names_the_repeated_statement(department):
    _more_teams(department)()
    with pytest.raises(AssertionError, match="grew with the rows") as failure:
        assert_constant_queries({"teams": _names_one_query_each}, grow=_more_teams(department))
    assert "teams: 4 → 7 queries" in str(failure.value) and "roster_department" in str(failure.value)


def test_rows_that_do_not_grow_prove_nothing(department):
    _more_teams(department)()
    with pytest.raises(AssertionError, match="did not grow"):
        assert_constant_queries(_names_joined, grow=lambda: None)


def test_the_budget_is_a_ceiling_too(department):
    _more_teams(department)()
    with pytest.raises(AssertionError, match="over the budget of 0 queries"):
        assert_constant_queries(_names_joined, grow=_more_teams(department), max_queries=0)
