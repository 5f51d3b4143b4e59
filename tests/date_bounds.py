"""Days outside the portal's calendar, typed into a form: the ends of Python's calendar, which
date arithmetic (a deadline moved by days, a moment stored in UTC, a month's neighbour) steps out
of. Each must be refused on the form with ``validate_day``'s message, what was typed kept, and
nothing written (no audit entry, which every service records)."""

from __future__ import annotations

from tollservice.audit.models import AuditEntry

EXTREME_DAYS = ["0001-01-01", "9999-12-31"]
MESSAGES = ("Choose a day between 2000-01-01 and 2999-12-31.", "请选择 2000-01-01 至 2999-12-31 之间的日期。")


def typed(day: str, *, moment: bool) -> str:
    """What a date (``moment=False``) or date-and-time picker posts for ``day``."""
    return f"{day}T00:00" if moment else day


def assert_refused(response, value: str, *, audit_entries: int) -> None:
    html = response.content.decode()
    assert response.status_code == 200, response.status_code
    assert any(message in html for message in MESSAGES), html[:3000]
    assert f'value="{value}"' in html
    assert AuditEntry.objects.count() == audit_entries
