"""PEN-4 pairs under real concurrency, on PostgreSQL.

Deciding either half of a handler/head pair reads and may update the other half (the one
circulated criticism names both). Two clerks deciding the two halves at the same moment must
queue one behind the other: without the pair being locked together, each held its own row and
waited for the other's, and PostgreSQL broke the deadlock by failing one of them (a 500).
"""

import pytest
from django.utils import timezone

from penalties import services
from penalties.models import Circular, Penalty
from tests.penalties.concurrency import race
from tests.roster.factories import DepartmentFactory, StaffFactory
from tests.services import require_postgres

pytestmark = pytest.mark.postgres


def test_pen4_both_halves_decided_at_once_make_one_circular(transactional_db, people):
    # PEN-4: two clerks, one per half, press "decide" together, several times over.
    require_postgres()
    for attempt in range(5):
        # A fresh department each time: a second violation in the year would wait for the
        # leadership group (PEN-2) and hold the circular back.
        department = DepartmentFactory()
        department.head = StaffFactory(department=department)
        department.save()
        handler_penalty, head_penalty = services.penalty_propose_handling_violation(
            proposed_by=people.office,
            handler=StaffFactory(department=department),
            incident_date=timezone.localdate(),
            description=f"未按程序处理投诉（第{attempt + 1}次试验）。",
            handler_fine_fen=30000,
            head_fine_fen=20000,
        )
        outcomes = race(
            [
                lambda p=handler_penalty: services.penalty_decide(penalty=p, decided_by=people.office),
                lambda p=head_penalty: services.penalty_decide(penalty=p, decided_by=people.office2),
            ]
        )
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        decided = Penalty.objects.filter(pk__in=[handler_penalty.pk, head_penalty.pk])
        assert all(p.is_in_force for p in decided)
        circulars = {p.circular_id for p in decided}
        assert len(circulars) == 1 and None not in circulars  # one circular names both
    assert Circular.objects.count() == 5
