import pytest

from tests.roster.factories import StaffFactory, StationFactory


@pytest.fixture(autouse=True)
def _english_free_defaults(settings):
    # Tests see the product as users do: Chinese first. Individual tests switch when needed.
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture
def station(db):
    return StationFactory()


@pytest.fixture
def staff_member(db):
    return StaffFactory()
