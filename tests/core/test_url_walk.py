"""Every URL pattern is walked: anonymous visitors reach only the public allow-list, and every
named URL is covered by a row of the role × URL table (tests/permission_matrix.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter, UUIDConverter

from tests.permission_matrix import all_cases, public_url_names

# Not ours to walk: Django's admin has its own staff check and its own tests.
EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_PREFIXES = ("admin/", "static/", "media/")

SAMPLES = {
    IntConverter: 1,
    SlugConverter: "x",
    StringConverter: "x",
    PathConverter: "x",
    UUIDConverter: uuid.UUID(int=1),
}


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str | None
    kwargs: dict

    def __str__(self) -> str:
        return f"{self.route} ({self.name or 'unnamed'})"


def _sample_kwargs(pattern, converters) -> dict:
    kwargs = {}
    for key, converter in converters.items():
        sample = next((value for kind, value in SAMPLES.items() if type(converter) is kind), None)
        if sample is None:
            sample = getattr(converter, "sample", None)
        if sample is None:
            pytest.fail(f"No sample value for converter {type(converter).__name__} in {pattern}: add one to SAMPLES")
        kwargs[key] = sample
    regex = getattr(pattern, "regex", None)
    for group in getattr(regex, "groupindex", {}):  # re_path() patterns
        kwargs.setdefault(group, "1")
    return kwargs


def walk(patterns=None, prefix="", namespace=None, converters=None):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    converters = converters or {}
    for entry in patterns:
        route = prefix + str(entry.pattern)
        entry_converters = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES or route.startswith(EXCLUDED_PREFIXES):
                continue
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from walk(entry.url_patterns, route, inner, entry_converters)
            continue
        if route.startswith(EXCLUDED_PREFIXES):
            continue
        name = ":".join(filter(None, [namespace, entry.name])) if entry.name else None
        yield Pattern(route=route, name=name, kwargs=_sample_kwargs(entry.pattern, entry_converters))


PATTERNS = list(walk())


def test_the_walk_finds_the_portal():
    names = {p.name for p in PATTERNS}
    assert {"login", "dashboard:home", "notifications:inbox"} <= names
    assert not any(name and name.startswith("admin:") for name in names)


def test_every_url_pattern_is_named():
    unnamed = [str(p) for p in PATTERNS if not p.name]
    assert not unnamed, "Name these URL patterns so that the permission table can cover them: " + ", ".join(unnamed)


def test_every_named_url_is_covered_by_the_permission_table_or_is_public():
    covered = {case.url_name for case in all_cases()} | set(public_url_names())
    missing = sorted({p.name for p in PATTERNS if p.name} - covered)
    assert not missing, (
        "Add a row to tests/<app>/permission_matrix.py CASES (or, for a page anonymous visitors may "
        "open, its name to PUBLIC) for: " + ", ".join(missing)
    )


def test_public_allow_list_names_real_urls():
    names = {p.name for p in PATTERNS}
    stale = {name: module for name, module in public_url_names().items() if name not in names}
    assert not stale, f"PUBLIC lists URLs that do not exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("pattern", [p for p in PATTERNS if p.name], ids=str)
def test_anonymous_visitor(client, pattern: Pattern):
    url = reverse(pattern.name, kwargs=pattern.kwargs or None)
    login_url = reverse("login")
    response = client.get(url)
    if pattern.name in public_url_names():
        assert response.status_code < 500, f"{url}: {response.status_code}"
        assert not response.get("Location", "").startswith(login_url + "?"), f"public {url} asks to sign in"
    else:
        assert response.status_code == 302, f"{url} answered {response.status_code} to an anonymous visitor"
        assert response["Location"].startswith(f"{login_url}?next="), f"{url} → {response['Location']}"
