from django.urls import reverse

from tests.roster.factories import user_with_role


def test_signed_in_user_sees_the_dashboard_in_chinese(client, db):
    user = user_with_role("office")
    client.force_login(user)
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    assert 'lang="zh-hans"' in response.content.decode()


def test_anonymous_user_is_sent_to_sign_in(client, db):
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
