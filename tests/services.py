"""Availability of the external services some tests need.

Outside CI a missing service skips the test with the reason; with CI=true it fails,
because CI has PostgreSQL, Redis and Chromium and a skip there would hide a regression.
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
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run in CI)")
    pytest.skip(reason)


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        skip_or_fail("needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/tollservice")


def redis_url() -> str:
    url = settings.REDIS_URL or os.environ.get("REDIS_URL", "")
    if not url:
        skip_or_fail("needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0")
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
