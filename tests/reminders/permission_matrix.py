from tests.permission_matrix import Case

TALK_KIND = "penalties.talk_follow_up"

# The office sets when reminders go out; nobody else sees the settings.
CASES = [
    Case("reminders:settings", frozenset({"office"})),
    Case("reminders:policy_change", frozenset({"office"}), kwargs=lambda scene: {"kind": TALK_KIND}),
]
