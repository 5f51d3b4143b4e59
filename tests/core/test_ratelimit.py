"""The shared rate limiter (tollservice/core/ratelimit.py): counted in the cache per key and
window, every key of an attempt counted, the client address read as django-axes reads it."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings

from tollservice.core import ratelimit
from tollservice.core.ratelimit import Limit, attempt, client_address, reset, too_many_requests

PER_PHONE = Limit("tests.phone", rate=2, period=60)
PER_ADDRESS = Limit("tests.address", rate=3, period=60)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_attempts_over_the_rate_are_refused_until_the_window_ends():
    now = 1_000_000.0
    assert attempt(PER_PHONE.key("138"), now=now) is None
    assert attempt(PER_PHONE.key("138"), now=now + 1) is None
    refusal = attempt(PER_PHONE.key("138"), now=now + 2)
    assert refusal.limit == PER_PHONE and 0 < refusal.retry_after <= 60
    assert attempt(PER_PHONE.key("139"), now=now + 2) is None  # another key
    next_window = (now // 60 + 1) * 60
    assert attempt(PER_PHONE.key("138"), now=next_window) is None


def test_every_key_of_an_attempt_counts_even_when_one_refuses():
    now = 2_000_000.0
    for phone in ("1", "2", "3"):
        attempt(PER_ADDRESS.key("10.0.0.1"), PER_PHONE.key(phone), now=now)
    refusal = attempt(PER_ADDRESS.key("10.0.0.1"), PER_PHONE.key("4"), now=now)
    assert refusal.limit == PER_ADDRESS
    # The refused attempt still counted for phone 4.
    attempt(PER_PHONE.key("4"), now=now)
    assert attempt(PER_PHONE.key("4"), now=now).limit == PER_PHONE


def test_an_empty_key_is_not_counted_and_reset_forgets():
    now = 3_000_000.0
    for _ in range(5):
        assert attempt(PER_PHONE.key(""), now=now) is None
    attempt(PER_PHONE.key("5"), now=now)
    attempt(PER_PHONE.key("5"), now=now)
    reset(PER_PHONE.key("5"), now=now)
    assert attempt(PER_PHONE.key("5"), now=now) is None


def test_no_phone_number_is_written_to_the_cache():
    bucket = PER_PHONE.key("13812345678")
    key, _ends = bucket.cache_key(4_000_000.0)
    assert "13812345678" not in key


def test_a_broken_cache_lets_the_request_through(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    for _ in range(5):
        assert attempt(PER_PHONE.key("138")) is None


def test_the_client_address_is_the_remote_address_without_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_address(request) == "203.0.113.7"  # a header the client wrote is not believed


# What tollservice/settings/production.py sets for PROXY_COUNT=1, the settings django-axes reads.
@override_settings(
    AXES_IPWARE_META_PRECEDENCE_ORDER=("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    AXES_IPWARE_PROXY_COUNT=0,
    IPWARE_STRICT=False,
)
def test_behind_one_proxy_the_address_is_the_one_the_proxy_appended():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.1.1.1, 5.6.7.8")
    assert client_address(request) == "5.6.7.8"  # not the 1.1.1.1 the client wrote itself


def test_an_ipv6_client_counts_by_its_64_network():
    one = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2::1")
    other = RequestFactory().get("/", REMOTE_ADDR="2001:db8:1:2:ffff::9")
    assert client_address(one) == client_address(other) == "2001:db8:1:2::/64"
    assert client_address(RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.1")) == "192.0.2.1"


def test_the_429_page_says_when_to_try_again_in_the_users_language(db):
    request = RequestFactory().get("/")
    response = too_many_requests(request, ratelimit.Refusal(PER_PHONE, retry_after=125))
    assert response.status_code == 429 and response["Retry-After"] == "125"
    assert "3" in response.content.decode() and "请稍候" in response.content.decode()
