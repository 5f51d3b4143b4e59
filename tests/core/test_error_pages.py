"""Friendly 403/404/500 pages in both languages, as users see them (DEBUG=False)."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.notifications.factories import NotificationFactory
from tests.roster.factories import user_with_role

pytestmark = [pytest.mark.django_db, pytest.mark.parametrize("language", ["zh-hans", "en"])]


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


@pytest.fixture(autouse=True)
def _production_like(settings):
    settings.DEBUG = False


def _client(language: str, **kwargs) -> Client:
    client = Client(**kwargs)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_403_is_friendly(language):
    client = _client(language)
    client.force_login(user_with_role("none"))  # an account the roster does not know
    response = client.get(reverse("dashboard:home"))
    content = response.content.decode()
    assert response.status_code == 403
    assert "errors/403.html" in [t.name for t in response.templates]
    assert f'lang="{language}"' in content
    assert _in(language, "Your roles do not allow this page.") in content


def test_404_is_friendly(language):
    client = _client(language)
    client.force_login(user_with_role("office"))
    response = client.get("/no-such-page/")
    content = response.content.decode()
    assert response.status_code == 404
    assert f'lang="{language}"' in content
    assert _in(language, "This page does not exist, or it is not yours to see.") in content


def test_an_object_outside_the_users_scope_is_the_same_404(language):
    """Someone else's notification looks exactly like a missing one."""
    owner, other = user_with_role("office"), user_with_role("office")
    notification = NotificationFactory(recipient=owner)
    client = _client(language)
    client.force_login(other)

    out_of_scope = client.get(reverse("notifications:open", kwargs={"pk": notification.pk}))
    missing = client.get(reverse("notifications:open", kwargs={"pk": notification.pk + 1000}))

    assert out_of_scope.status_code == missing.status_code == 404
    assert "errors/404.html" in [t.name for t in out_of_scope.templates]
    assert _in(language, "This page does not exist, or it is not yours to see.") in out_of_scope.content.decode()
    notification.refresh_from_db()
    assert notification.read_at is None


def test_500_is_friendly(language, settings):
    settings.ROOT_URLCONF = "tests.core.urls_errors"
    client = _client(language, raise_request_exception=False)
    client.force_login(user_with_role("office"))
    response = client.get("/broken/")
    content = response.content.decode()
    assert response.status_code == 500
    assert f'lang="{language}"' in content
    message = "Something went wrong on our side. Nothing you saved was lost; please try again in a moment."
    assert _in(language, message) in content
