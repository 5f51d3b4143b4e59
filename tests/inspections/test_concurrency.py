"""Two office members acting on one visit at the same moment, on PostgreSQL: the row lock makes
the second wait and then find the work done (INS-6 publication, INS-2 outcomes)."""

import importlib

import pytest
from django.apps import apps

from inspections import services
from inspections.models import ChecklistVersion, Deduction, FindingOutcome, Inspection
from penalties.models import Penalty
from tests.inspections.factories import Kind, finding, inspection
from tests.penalties.concurrency import race
from tests.services import require_postgres

pytestmark = pytest.mark.postgres


@pytest.fixture
def standard(transactional_db):
    """The seeded standard and checklist, again if a transactional test flushed them."""
    if not ChecklistVersion.objects.exists():
        for name in ("0002_seed_standard", "0004_default_checklist"):
            importlib.import_module(f"inspections.migrations.{name}").seed(apps, None)


def test_ins6_two_office_members_publish_one_visit_once(standard, site):
    require_postgres()
    visit = inspection(
        by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-08": (1, site.collector)}
    )
    outcomes = race(
        [
            lambda: services.inspection_publish(inspection=visit, published_by=site.office),
            lambda: services.inspection_publish(inspection=visit, published_by=site.office2),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    visit.refresh_from_db()
    assert visit.status == Inspection.Status.FILED
    assert Deduction.objects.filter(inspection=visit, subject="team").count() == 1


def test_ins2_pen1_two_penalty_proposals_for_one_finding_make_one(standard, site):
    require_postgres()
    done = inspection(by=site.office, team=site.team_a, breaches={"JC-07": (1, site.collector)})
    smoking = finding(done, "JC-07")
    outcomes = race(
        [
            lambda: services.finding_penalty_propose(finding=smoking, proposed_by=site.office),
            lambda: services.finding_penalty_propose(finding=smoking, proposed_by=site.office2),
        ]
    )
    assert sorted(kind for kind, _ in outcomes) == ["ok", "refused"], outcomes
    assert FindingOutcome.objects.filter(finding=smoking, kind="penalty").count() == 1
    assert Penalty.objects.filter(source_object_id=str(smoking.pk)).count() == 1
