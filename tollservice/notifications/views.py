from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from tollservice.access.views import permission_required
from tollservice.core.list_views import page_of
from tollservice.notifications.selectors import inbox as inbox_selector
from tollservice.notifications.services import notification_mark_read


@permission_required("portal.use")
def inbox(request):
    page = page_of(request, inbox_selector(user=request.user))
    return render(request, "notifications/inbox.html", {"page_obj": page})


@permission_required("portal.use")
@require_POST
def mark_read(request):
    notification_mark_read(user=request.user)
    return redirect("notifications:inbox")


@permission_required("portal.use")
@require_http_methods(["GET", "POST"])
def open_notification(request, pk: int):
    """Follow a notification's link. Only the inbox's POST form marks it read: a GET must change
    nothing, or any page (another site's image, a link preview) could mark a notification read
    before its recipient saw it."""
    # Scoped to the recipient: someone else's notification is a 404.
    notification = get_object_or_404(inbox_selector(user=request.user), pk=pk)
    if request.method == "POST":
        notification_mark_read(user=request.user, notification_ids=[notification.pk])
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")
