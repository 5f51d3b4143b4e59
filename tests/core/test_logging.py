"""A refused request is one line in the log: no traceback, not twice."""

import io
import logging

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.log import configure_logging

from tests.roster.factories import user_with_role


@pytest.fixture
def log_output(settings):
    """What the portal's log shows (the root logger's console handler, as configured), for
    DEBUG on (``make run``) and off alike: Django's own console handler speaks only under DEBUG."""
    settings.DEBUG = True
    configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    logging.getLogger().addHandler(handler)
    # Django's own console handler writes to stderr; point it here too if it still exists.
    for django_handler in logging.getLogger("django").handlers:
        if isinstance(django_handler, logging.StreamHandler):
            django_handler.setStream(stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)


@pytest.mark.django_db
def test_a_403_logs_one_line_without_a_traceback(client, log_output):
    client.force_login(user_with_role("staff"))
    assert client.get(reverse("roster:index")).status_code == 403
    lines = [line for line in log_output.getvalue().splitlines() if line.strip()]
    forbidden = [line for line in lines if "Forbidden" in line]
    assert forbidden == ["django.request WARNING Forbidden (Permission denied): /roster/"], lines
    assert "Traceback" not in log_output.getvalue()


def test_server_errors_keep_their_traceback():
    from tollservice.core.logging import ClientErrorsWithoutTraceback

    try:
        raise RuntimeError("boom")
    except RuntimeError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal", (), sys.exc_info())
    record.status_code = 500
    assert ClientErrorsWithoutTraceback().filter(record) and record.exc_info is not None


def test_the_log_level_applies_to_django_too():
    assert logging.getLogger("django").level == logging.getLevelName(settings.LOG_LEVEL)
