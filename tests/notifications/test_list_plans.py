"""Issue 9: the inbox reads a person's notifications, newest first, through an index."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.list_plans import assert_list_pages_indexed
from tests.roster.factories import user_with_role
from tollservice.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_inbox_reads_its_pages_through_an_index(client):
    client.force_login(user_with_role("leadership"))
    assert_list_pages_indexed(
        client,
        reverse("notifications:inbox"),
        ordering=Notification.objects.all(),
        boundary=[timezone.make_aware(datetime.datetime(2026, 5, 1, 9)), 1000],
        tables=[Notification],
    )
