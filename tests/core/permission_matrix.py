from tests.notifications.factories import NotificationFactory
from tests.permission_matrix import EVERYONE, ROLES, Case

# Reachable without signing in. Every other URL sends an anonymous visitor to the sign-in page.
PUBLIC = ["login", "set_language", "health", "favicon", "password_reset_confirm", "password_reset_complete"]

# Any account may change its password and sign out, even one the roster no longer knows.
ANY_ACCOUNT = frozenset(ROLES)

CASES = [
    Case("dashboard:home", EVERYONE),
    Case("password_change", ANY_ACCOUNT),
    Case("password_change_done", ANY_ACCOUNT),
    Case("logout", ANY_ACCOUNT, method="post", ok_status=302),
    Case("notifications:inbox", EVERYONE),
    Case("notifications:mark_read", EVERYONE, method="post", ok_status=302),
    # Only its recipient opens a notification; to everyone else it does not exist.
    Case(
        "notifications:open",
        frozenset({"office"}),
        kwargs=lambda scene: {"pk": NotificationFactory(recipient=scene.users["office"]).pk},
        ok_status=302,
        denied_status=404,
        status_for={"none": 403},
    ),
    Case(
        "notifications:open",
        frozenset({"office"}),
        kwargs=lambda scene: {"pk": NotificationFactory(recipient=scene.users["office"]).pk},
        method="post",
        ok_status=302,
        denied_status=404,
        status_for={"none": 403},
    ),
]
