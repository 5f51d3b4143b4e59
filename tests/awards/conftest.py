"""The awards' tests run on the inspections' small station (``site``: two teams with leaders and
collectors, the office — one of its members in team A —, the leadership group, supervisors)."""

import pytest

from tests.inspections import conftest as inspections_conftest
from tests.inspections import test_concurrency as inspections_concurrency
from tests.inspections.factories import a_moment

site = inspections_conftest.site  # the fixture, shared
standard = inspections_concurrency.standard  # the seeded checklist, again if a transactional test flushed it


@pytest.fixture
def year(site):
    """The campaign's year: the year of the inspections the factories make (two days ago)."""
    return a_moment().date().year
