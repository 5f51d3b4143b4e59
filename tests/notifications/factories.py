import factory

from tests.roster.factories import UserFactory
from tollservice.notifications.models import Notification


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"整改通知 {n + 1}")
    body = "请在期限内完成整改。"
    url = ""
