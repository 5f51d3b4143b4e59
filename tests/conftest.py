import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client

from tests.roster.factories import StaffFactory, StationFactory
from tests.services import IN_CI
from tollservice.core.service_views import SUBMISSION_FIELD, submission_token_issue

# A skip whose reason says a service, program or browser is missing must not pass quietly in CI,
# which has all of them (tests/services.py fails such tests itself; this catches the rest).
_MISSING_SERVICE = re.compile(
    r"\b(needs|requires|missing|not reachable|not installed|unavailable|not available|cannot connect)\b",
    re.IGNORECASE,
)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not (IN_CI and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    if _MISSING_SERVICE.search(reason):
        report.outcome = "failed"
        report.longrepr = f"CI=true, and this test was skipped for a missing service: {reason}"


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


class FormFillingClient(Client):
    """The test client posts as a browser that has opened the form: with a fresh one-time
    submission token (``tollservice.core.service_views``) when the data carries none. Put
    ``submission_token`` in the data yourself (a spent one, or "") to test the token itself."""

    def post(self, path, data=None, *args, **kwargs):
        user_id = self.session.get(SESSION_KEY)
        if user_id and (data is None or (isinstance(data, dict) and SUBMISSION_FIELD not in data)):
            user = get_user_model()(pk=int(user_id))
            data = {**(data or {}), SUBMISSION_FIELD: submission_token_issue(user)}
        return super().post(path, data, *args, **kwargs)


@pytest.fixture
def client():
    return FormFillingClient()
