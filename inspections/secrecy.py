"""INS-6: every read of a covert visit before it is published is logged — who, when, how.

Written by the selectors that show a visit (detail, evidence) and by the pages and exports that
list visits, through these two functions; kept apart from the services so that the read layer
needs nothing of the write layer.
"""

from __future__ import annotations

from collections.abc import Iterable

from inspections.models import CovertRead, Inspection


def covert_read_record(*, inspection: Inspection, user, context: str = "detail") -> bool:
    """INS-6: log that ``user`` read a covert visit before it was published. True if logged."""
    if not inspection.is_secret or user is None or not user.is_authenticated:
        return False
    CovertRead.objects.create(inspection=inspection, user=user, context=context)
    return True


def covert_reads_record(*, inspections: Iterable[Inspection], user, context: str) -> int:
    """Log one read per unpublished covert visit among ``inspections`` (a list page, an export)."""
    rows = [
        CovertRead(inspection=inspection, user=user, context=context)
        for inspection in inspections
        if inspection.is_secret
    ]
    CovertRead.objects.bulk_create(rows)
    return len(rows)
