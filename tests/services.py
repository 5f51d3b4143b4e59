"""Availability of the external services some tests need.

Two situations differ:

- A run that is *not configured* for a service (no DATABASE_URL / REDIS_URL) skips the tests
  that need it, in CI too: `.ci/run` runs the suite once on SQLite and once with PostgreSQL +
  Redis, and the second run covers them.
- A service that is configured but does not answer, or a program or browser that is missing,
  skips outside CI and fails with CI=true, because CI has all of them and a skip there would
  hide a regression. (tests/conftest.py also fails, under CI, any other skip whose reason says
  something is missing.)
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.db import connection

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = "/usr/bin/chromium"


def skip_or_fail(reason: str) -> None:
    """For something missing that CI has: skip here, fail in CI."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run in CI)")
    pytest.skip(reason)


def skip_unconfigured(reason: str) -> None:
    """For a service this run is deliberately not configured with."""
    pytest.skip(reason)


def require_postgres() -> None:
    if connection.vendor == "postgresql":
        return
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "pgsql")):
        skip_or_fail(f"DATABASE_URL points at PostgreSQL but the test database is {connection.vendor}")
    skip_unconfigured(
        "PostgreSQL only; this run is on SQLite (set DATABASE_URL=postgres://postgres@127.0.0.1:5432/tollservice)"
    )


CI_REDIS_URL = "redis://127.0.0.1:6379/0"  # CI's machine always runs Redis there


def redis_url() -> str:
    """The Redis a test that talks to Redis itself should use: this run's, or CI's in CI even on
    the SQLite pass (which runs the portal on the filesystem broker, but has Redis next door)."""
    url = settings.REDIS_URL or os.environ.get("REDIS_URL", "") or (CI_REDIS_URL if IN_CI else "")
    if not url:
        skip_unconfigured(f"Redis only; this run has no REDIS_URL (set REDIS_URL={CI_REDIS_URL})")
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=2).close()
    except OSError as exc:
        skip_or_fail(f"Redis at {url} is not reachable: {exc}")
    return url


def require_chromium() -> str:
    if not os.path.exists(CHROMIUM):
        skip_or_fail(f"needs Debian's chromium at {CHROMIUM} (apt-get install -y chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        skip_or_fail("needs the playwright Python package (requirements-dev.txt)")
    return CHROMIUM


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if not path:
        skip_or_fail(f"needs the {name} program (apt-get install -y gettext)")
    return path
