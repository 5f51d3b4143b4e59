"""The inbox: scoped to its owner, unread count in the navbar, links only to this site."""

import pytest
from django.urls import reverse

from tests.notifications.factories import NotificationFactory
from tests.query_budget import assert_constant_queries, get_rows
from tests.roster.factories import user_with_role
from tollservice.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(client):
    user = user_with_role("office")
    client.force_login(user)
    return user


def test_inbox_lists_only_the_users_notifications(client, user):
    NotificationFactory(recipient=user, subject="我的通知")
    NotificationFactory(recipient=user_with_role("office"), subject="别人的通知")
    content = client.get(reverse("notifications:inbox")).content.decode()
    assert "我的通知" in content
    assert "别人的通知" not in content


def test_unread_count_is_in_the_navbar(client, user):
    NotificationFactory.create_batch(3, recipient=user)
    NotificationFactory(recipient=user_with_role("office"))
    response = client.get(reverse("dashboard:home"))
    assert response.context["unread_notifications"] == 3
    assert '<span class="badge text-bg-danger" id="unread-count">3</span>' in response.content.decode()

    client.post(reverse("notifications:mark_read"))
    response = client.get(reverse("dashboard:home"))
    assert response.context["unread_notifications"] == 0
    assert 'id="unread-count"' not in response.content.decode()


def test_mark_all_read(client, user):
    NotificationFactory.create_batch(2, recipient=user)
    other = NotificationFactory(recipient=user_with_role("office"))
    response = client.post(reverse("notifications:mark_read"))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_mark_read_is_a_post(client, user):
    assert client.get(reverse("notifications:mark_read")).status_code == 405


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/roster/", "/roster/"),
        ("", None),
        ("https://evil.example/phish", None),
        ("//evil.example/phish", None),
        ("javascript:alert(1)", None),
    ],
)
def test_open_marks_read_and_follows_only_links_to_this_site(client, user, url, expected):
    notification = NotificationFactory(recipient=user, url=url)
    response = client.post(reverse("notifications:open", kwargs={"pk": notification.pk}))
    assert response.status_code == 302
    assert response["Location"] == (expected or reverse("notifications:inbox"))
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_get_follows_the_link_but_does_not_mark_it_read(client, user):
    notification = NotificationFactory(recipient=user, url="/roster/")
    url = reverse("notifications:open", kwargs={"pk": notification.pk})
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == "/roster/"
    notification.refresh_from_db()
    assert notification.read_at is None
    # The inbox opens it with a POST form (which marks it read).
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert f'<form method="post" action="{url}"' in inbox
    assert f'href="{url}"' not in inbox


def test_someone_elses_notification_is_404(client, user):
    theirs = NotificationFactory(recipient=user_with_role("office"))
    assert client.get(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("notifications:open", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_query_count_does_not_grow_with_the_inbox(client, user):
    NotificationFactory.create_batch(5, recipient=user)
    assert_constant_queries(
        {"inbox": get_rows(client, reverse("notifications:inbox"))},
        grow=lambda: NotificationFactory.create_batch(15, recipient=user),
        max_queries=12,
    )
    NotificationFactory.create_batch(30, recipient=user)
    response = client.get(reverse("notifications:inbox"), {"page": 2})
    assert len(response.context["page_obj"].object_list) == 25
