from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from django.views.i18n import set_language

from tollservice.core import views as core_views

# Sign-in, sign-out and password change, and the page of the link a new account's owner is emailed
# to choose a password (tollservice.roster.services.accounts). There is no self-service "forgot my
# password" form: the system administrator resets passwords.
account_patterns = [
    path("login/", core_views.PortalLoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password_change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path(
        "set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(post_reset_login=False),
        name="password_reset_confirm",
    ),
    path("set-password/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]

urlpatterns = [
    path("", include("tollservice.dashboard.urls")),
    path("accounts/", include(account_patterns)),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("health/", core_views.health, name="health"),
    # Browsers ask for /favicon.ico whatever the pages link. The icon's URL is looked up per request
    # (lazily) because in production it carries the manifest's hash; a temporary redirect, so a
    # browser never keeps an old hash.
    path(
        "favicon.ico",
        login_not_required(RedirectView.as_view(url=lazy(static, str)("img/favicon.svg"))),
        name="favicon",
    ),
    # Search-as-you-type for choosing people (tollservice/core/choosers.py, static/js/chooser.js).
    path("choose/<slug:name>/", core_views.chooser_search, name="chooser"),
    path("roster/", include("tollservice.roster.urls")),
    path("notifications/", include("tollservice.notifications.urls")),
    path("reminders/", include("tollservice.reminders.urls")),
    path("penalties/", include("penalties.urls")),
    path("inspections/", include("inspections.urls")),
    path("complaints/", include("complaints.urls")),
    path("calendar/", include("tollservice.core.calendar.urls")),
    path("awards/", include("awards.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "tollservice.core.views.permission_denied"
handler404 = "tollservice.core.views.page_not_found"
handler500 = "tollservice.core.views.server_error"

if settings.DEBUG:
    urlpatterns += [path("__debug__/500/", core_views.raise_error, name="debug_500")]
