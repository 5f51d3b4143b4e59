"""Template context every page needs: the user's roles, the navigation, the unread count."""

from django.conf import settings

from tollservice.access.roles import roles_for


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_hotline": settings.PORTAL_HOTLINE}
    from tollservice.notifications.selectors import unread_count

    return {
        "portal_hotline": settings.PORTAL_HOTLINE,
        "user_roles": roles_for(user),
        "unread_notifications": unread_count(user=user),
    }
