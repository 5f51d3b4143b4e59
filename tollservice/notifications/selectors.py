from tollservice.notifications.models import Notification


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(*, user):
    return Notification.objects.filter(recipient=user)
