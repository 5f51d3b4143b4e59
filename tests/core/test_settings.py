"""Production settings pass `check --deploy`; every response carries the security headers."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.services import redis_url
from tollservice.celery import BROKER_FOLDER_OPTIONS, ensure_broker_folders

BASE_DIR = Path(settings.BASE_DIR)


def _run_python(args, **env):
    """Run Python in a fresh process with ``env`` added; a variable given as ``None`` is unset."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(env)
    environment = {key: value for key, value in environment.items() if value is not None}
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _production_env(**extra):
    return {
        "DJANGO_SETTINGS_MODULE": "tollservice.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "DJANGO_ALLOWED_HOSTS": "portal.example.com",
        # Only read, never connected to, by these tests.
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        **extra,
    }


def test_production_settings_pass_check_deploy_with_zero_warnings():
    result = _run_python(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **_production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = _production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _run_python(["manage.py", "check"], **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


_CACHE_AND_BROKER = (
    "from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND'].rsplit('.', 1)[1], s.CELERY_BROKER_URL, s.CELERY_TIMEZONE)"
)


def test_production_cache_and_broker_are_redis():
    result = _run_python(["-c", _CACHE_AND_BROKER], **_production_env(REDIS_URL="redis://redis.example:6379/1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["RedisCache", "redis://redis.example:6379/1", "Asia/Shanghai"]


@pytest.mark.parametrize("redis", [None, ""])
def test_production_refuses_to_start_without_redis(redis):
    # A filesystem broker would look fine on one machine while workers elsewhere never got a task.
    result = _run_python(["manage.py", "check"], **_production_env(REDIS_URL=redis))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "Set the REDIS_URL environment variable" in result.stderr


@pytest.mark.parametrize(("redis", "backend"), [(None, "LocMemCache"), ("redis://127.0.0.1:6379/0", "RedisCache")])
def test_local_cache_and_broker_follow_redis_url(redis, backend):
    # make run needs nothing installed: without REDIS_URL, a filesystem broker under var/.
    result = _run_python(
        ["-c", _CACHE_AND_BROKER], DJANGO_SETTINGS_MODULE="tollservice.settings.local", REDIS_URL=redis
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [backend, redis or "filesystem://localhost//", "Asia/Shanghai"]


# The address django-axes counts a sign-in failure against, for a request from 5.6.7.8 that wrote
# 1.1.1.1 into X-Forwarded-For itself, through PROXY_COUNT proxies (the nearest is REMOTE_ADDR).
_AXES_CLIENT_IP = """
import django; django.setup()
from axes.helpers import get_client_ip_address
from django.test import RequestFactory
import sys
forwarded, remote = sys.argv[1:3]
request = RequestFactory().post("/accounts/login/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
print(get_client_ip_address(request))
"""


@pytest.mark.parametrize(
    ("proxy_count", "forwarded", "remote", "client"),
    [
        # No proxy: the header is the client's own word, so it is ignored.
        (None, "1.1.1.1", "5.6.7.8", "5.6.7.8"),
        # One proxy (nginx) appends the address it was reached from.
        ("1", "1.1.1.1, 5.6.7.8", "10.0.0.2", "5.6.7.8"),
        ("1", "5.6.7.8", "10.0.0.2", "5.6.7.8"),
        ("1", "192.168.1.20", "127.0.0.1", "192.168.1.20"),  # a client on the station's network
        # A load balancer, then nginx: nginx appends the load balancer's address.
        ("2", "1.1.1.1, 5.6.7.8, 10.0.0.3", "10.0.0.2", "5.6.7.8"),
    ],
)
def test_sign_in_lockouts_count_the_client_behind_the_proxies(proxy_count, forwarded, remote, client):
    env = _production_env(PROXY_COUNT=proxy_count) if proxy_count else _production_env()
    result = _run_python(["-c", _AXES_CLIENT_IP, forwarded, remote], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == client


def test_a_negative_proxy_count_is_refused():
    result = _run_python(["manage.py", "check"], **_production_env(PROXY_COUNT="-1"))
    assert result.returncode != 0
    assert "PROXY_COUNT" in result.stderr


@pytest.mark.redis
def test_redis_cache_round_trip():
    from django.core.cache.backends.redis import RedisCache

    cache = RedisCache(redis_url(), {"KEY_PREFIX": f"test-{secrets.token_hex(4)}"})
    cache.set("greeting", "你好", timeout=10)
    assert cache.get("greeting") == "你好"
    cache.delete("greeting")


@pytest.mark.django_db
def test_responses_carry_csp_and_frame_denial(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    # An injected <base href> cannot move the page's relative links and forms to another site.
    assert directives["base-uri"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


# The policy allows only scripts and styles from our own files: no inline code in templates.
INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE), "inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "style attribute"),
    (re.compile(r"<style[\s>]", re.IGNORECASE), "<style> element"),
    (re.compile(r"javascript:", re.IGNORECASE), "javascript: URL"),
]


def test_templates_hold_no_inline_code_the_csp_would_block():
    problems = []
    for template in sorted((BASE_DIR / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE_CODE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                problems.append(f"{template.relative_to(BASE_DIR)}:{line}: {what}")
    assert not problems, "Move these to static/js/portal.js or static/css/portal.css:\n" + "\n".join(problems)


def test_filesystem_broker_folders_are_created_when_celery_is_configured(tmp_path):
    from celery import Celery

    options = {key: str(tmp_path / key) for key in BROKER_FOLDER_OPTIONS}
    app = Celery("folders-test", set_as_current=False)
    app.on_after_configure.connect(ensure_broker_folders, weak=False)
    app.conf.update(broker_url="filesystem://", broker_transport_options=options)
    assert not any((tmp_path / key).exists() for key in BROKER_FOLDER_OPTIONS)

    assert app.conf.broker_url == "filesystem://"  # the first read configures the app

    assert all((tmp_path / key).is_dir() for key in BROKER_FOLDER_OPTIONS)
    app.close()


def test_the_portal_app_creates_its_broker_folders_on_configuration():
    from tollservice.celery import app

    receivers = [receiver for _, receiver in app.on_after_configure.receivers]
    assert ensure_broker_folders in receivers
    if not settings.REDIS_URL:
        # Every folder the transport uses is configured under var/, none in the working directory.
        options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
        assert set(BROKER_FOLDER_OPTIONS) <= options.keys()
        assert all(Path(options[key]).is_relative_to(BASE_DIR / "var") for key in BROKER_FOLDER_OPTIONS)


def _procfile_command(process: str) -> str:
    for line in (BASE_DIR / "Procfile").read_text(encoding="utf-8").splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"Procfile has no {process} process")


def _expanded(command: str, **env) -> str:
    """The command as the Procfile runner's shell expands it, with only ``env`` set."""
    return subprocess.run(
        ["/bin/sh", "-c", f"echo {command}"], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True
    ).stdout.strip()


@pytest.mark.parametrize(
    ("env", "bind"),
    [
        ({}, "127.0.0.1:8000"),  # gunicorn is reached only through the proxy on the same machine
        ({"PORT": "9000"}, "127.0.0.1:9000"),
        ({"BIND": "0.0.0.0:8080"}, "0.0.0.0:8080"),  # listening on every interface is a choice
    ],
)
def test_gunicorn_listens_on_the_loopback_unless_told_otherwise(env, bind):
    assert f"--bind {bind} " in _expanded(_procfile_command("web"), **env)
