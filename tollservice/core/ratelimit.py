"""Rate limits for the pages anonymous visitors may post to (the drivers' complaint form, the
look-up by tracking number and access code), counted in the shared cache.

A limit allows ``rate`` attempts per ``period`` seconds for one key (a phone number, a tracking
number, a client address). A page counts each attempt on every key it concerns at once and is
refused (429) when any of them is over its limit — so a request that is refused stores nothing
else, and an attempt that fails for another reason (a honeypot, a wrong code) still counts::

    SUBMIT_PER_PHONE = Limit("complaints.submit.phone", rate=5, period=3600)
    SUBMIT_PER_ADDRESS = Limit("complaints.submit.address", rate=60, period=3600)

    refusal = attempt(
        SUBMIT_PER_ADDRESS.key(client_address(request)),
        SUBMIT_PER_PHONE.key(phone),          # an empty key is not counted
    )
    if refusal is not None:
        return too_many_requests(request, refusal, template="app/form.html", context={"form": form})

Counters are fixed windows (``period`` long, starting at the first attempt) in Django's default
cache: the process-local cache in tests and under ``make run``, Redis in production, where every
web process shares them. ``cache.add`` + ``cache.incr`` are atomic on both. A cache that is down
lets the request through (logged): a complaint is never lost to a broken counter.

The client address is django-axes' own (``axes.helpers.get_client_ip_address``), so it follows
``PROXY_COUNT`` exactly as the sign-in lockout does. An IPv6 client is counted by its /64
network, which is what one subscriber gets.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class Limit:
    """At most ``rate`` attempts per ``period`` seconds for one key."""

    name: str
    rate: int
    period: int

    def key(self, value: str) -> Bucket:
        return Bucket(self, str(value or "").strip())


@dataclass(frozen=True)
class Bucket:
    """One limit applied to one key (say, the submissions of phone 13812345678)."""

    limit: Limit
    value: str

    def cache_key(self, now: float) -> tuple[str, int]:
        window = int(now // self.limit.period)
        digest = hashlib.sha256(self.value.encode()).hexdigest()[:32]  # no phone number in the cache
        return f"{KEY_PREFIX}:{self.limit.name}:{digest}:{window}", (window + 1) * self.limit.period


@dataclass(frozen=True)
class Refusal:
    """The limit an attempt went over, and in how many seconds its window ends."""

    limit: Limit
    retry_after: int


def _count(bucket: Bucket, now: float) -> int | None:
    key, window_ends = bucket.cache_key(now)
    timeout = max(1, int(window_ends - now) + 1)
    try:
        cache.add(key, 0, timeout=timeout)
        return cache.incr(key)
    except ValueError:  # expired between add and incr: this attempt opens a new window
        cache.set(key, 1, timeout=timeout)
        return 1
    except Exception:  # noqa: BLE001 - a broken cache must not refuse the public
        logger.exception("Rate limit %s could not be counted; the request is let through", bucket.limit.name)
        return None


def attempt(*buckets: Bucket, now: float | None = None) -> Refusal | None:
    """Count one attempt on each bucket with a key; the first limit exceeded, or ``None``."""
    now = time.time() if now is None else now
    refusal = None
    for bucket in buckets:
        if not bucket.value:
            continue
        count = _count(bucket, now)
        if refusal is None and count is not None and count > bucket.limit.rate:
            _key, window_ends = bucket.cache_key(now)
            refusal = Refusal(bucket.limit, max(1, int(window_ends - now)))
    return refusal


def reset(*buckets: Bucket, now: float | None = None) -> None:
    """Forget the attempts counted in the current window (tests, or an office unblocking a phone)."""
    now = time.time() if now is None else now
    cache.delete_many([bucket.cache_key(now)[0] for bucket in buckets])


def client_address(request) -> str:
    """The client's address as django-axes reads it (``PROXY_COUNT``); an IPv6 one as its /64."""
    from axes.helpers import get_client_ip_address

    address = get_client_ip_address(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 4:
        return str(parsed)
    if parsed.ipv4_mapped is not None:  # ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
        return str(parsed.ipv4_mapped)
    return str(ipaddress.ip_network(f"{parsed}/64", strict=False))


def too_many_requests(request, refusal: Refusal, *, message=None, template: str = "errors/429.html", context=None):
    """The 429 answer, in the visitor's language, saying when to try again: the generic page, or
    the page the visitor was on (``template`` with its ``context``) so that what they typed stays."""
    minutes = max(1, -(-refusal.retry_after // 60))
    message = message or _("Too many attempts from here in a short time.")
    response = render(
        request,
        template,
        {**(context or {}), "message": message, "refused_message": message, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after)
    response["Cache-Control"] = "no-store"
    return response
