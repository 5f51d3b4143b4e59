"""Pages are in Simplified Chinese unless the user chose English with the language switch."""

import pytest
from django.conf import settings
from django.urls import reverse


@pytest.mark.parametrize("accept_language", ["en-US,en;q=0.9", "zh-CN,zh;q=0.9", ""])
def test_the_browsers_language_does_not_change_the_default(client, db, accept_language):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.headers["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()


def test_the_users_choice_is_kept(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.headers["Content-Language"] == "en"
    assert "Sign in" in response.content.decode()


@pytest.mark.parametrize("cookie", ["xx", "", "fr"])
def test_an_unknown_choice_falls_back_to_chinese(client, db, cookie):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    response = client.get(reverse("login"))
    assert response.headers["Content-Language"] == "zh-hans"
