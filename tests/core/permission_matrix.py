from tests.permission_matrix import EVERYONE, Case

CASES = [
    Case("dashboard:home", EVERYONE),
    Case("notifications:inbox", EVERYONE),
    Case("notifications:mark_read", EVERYONE, method="post", ok_status=302),
]
