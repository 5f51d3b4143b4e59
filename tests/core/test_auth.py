"""Sign-in, lockout, password change and sign-out (django-axes guards the login form)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.roster.factories import DEFAULT_PASSWORD, user_with_role

pytestmark = pytest.mark.django_db


def _in(language: str, message: str) -> str:
    with translation.override(language):
        return translation.gettext(message)


def _sign_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_staff_member_signs_in_and_lands_on_the_dashboard(client):
    user = user_with_role("office")
    response = _sign_in(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client):
    user = user_with_role("office")
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": DEFAULT_PASSWORD, "next": reverse("notifications:inbox")},
    )
    assert response["Location"] == reverse("notifications:inbox")


def test_wrong_password_shows_the_form_again(client):
    user = user_with_role("office")
    response = _sign_in(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get(reverse("dashboard:home")).status_code == 302


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_repeated_failures_lock_the_account_in_the_users_language(client, language):
    user = user_with_role("office")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.username, "wrong-password").status_code == 200

    response = _sign_in(client, user.username, "wrong-password")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert f'lang="{language}"' in content
    assert _in(language, "Too many failed sign-in attempts") in content
    # Even the right password is refused while the lockout lasts.
    response = _sign_in(client, user.username, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_lockout_is_per_username(client):
    locked, other = user_with_role("office"), user_with_role("office")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, locked.username, "wrong-password")
    assert _sign_in(client, other.username, DEFAULT_PASSWORD).status_code == 302


def test_password_change(client):
    user = user_with_role("staff")
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Toll-gate-7788", "new_password2": "Toll-gate-7788"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("password_change_done")).status_code == 200

    client.logout()
    assert _sign_in(client, user.username, DEFAULT_PASSWORD).status_code == 200
    assert _sign_in(client, user.username, "Toll-gate-7788").status_code == 302


def test_sign_out_is_a_post(client):
    client.force_login(user_with_role("office"))
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.get(reverse("dashboard:home")).status_code == 302


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_sign_in_page_names_the_portal_and_offers_both_languages(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert response.status_code == 200
    assert f'lang="{language}"' in content
    assert _in(language, "Toll Station Service Standardization Portal") in content
    assert f'action="{reverse("set_language")}"' in content
    assert 'value="zh-hans"' in content and 'value="en"' in content


def test_demo_logins_are_listed_only_when_debug(client, settings):
    settings.DEBUG = False
    assert "demo-pass-2026" not in client.get(reverse("login")).content.decode()

    settings.DEBUG = True
    content = client.get(reverse("login")).content.decode()
    assert "demo-pass-2026" in content
    # Every account seed_demo creates, deputy and the collectors included, with its role in Chinese.
    for username in ("admin", "leader", "deputy", "office", "finance", "teamleader", "supervisor"):
        assert f"<code>{username}</code>" in content
    for username in ("staff1", "staff2", "staff3"):
        assert f"<code>{username}</code> 收费员 · 收费" in content
    assert "<code>deputy</code> 领导小组副组长" in content


def test_the_sign_in_hint_and_seed_demo_share_one_list_of_demo_accounts():
    from tollservice.roster.demo import DEMO_LOGINS, DEMO_USERNAMES

    assert tuple(login.username for login in DEMO_LOGINS) == DEMO_USERNAMES
    assert {"deputy", "staff1", "staff2", "staff3"} <= set(DEMO_USERNAMES)


def test_language_switch_sets_the_cookie_and_returns(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert 'lang="en"' in client.get(reverse("login")).content.decode()
