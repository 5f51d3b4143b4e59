"""Template context every page needs: the user's roles, the navigation, the unread count."""

from django.conf import settings
from django.utils.functional import lazy

from tollservice.access.roles import roles_for

_HOTLINE_ATTR = "_portal_hotline"


def _hotline(request) -> str:
    """The complaint hotline in the footer: the station's own, as the roster records it, or the
    ``PORTAL_HOTLINE`` setting while the station has none. One query per request at most — a
    page may render several templates — and none for a response that does not show it."""
    hotline = getattr(request, _HOTLINE_ATTR, None)
    if hotline is None:
        from tollservice.roster.selectors import station_hotline

        hotline = station_hotline() or settings.PORTAL_HOTLINE
        setattr(request, _HOTLINE_ATTR, hotline)
    return hotline


def portal(request):
    hotline = lazy(_hotline, str)(request)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_hotline": hotline}
    from tollservice.notifications.selectors import unread_count

    return {
        "portal_hotline": hotline,
        "user_roles": roles_for(user),
        "unread_notifications": unread_count(user=user),
    }
