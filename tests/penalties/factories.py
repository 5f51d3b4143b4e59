"""Factories and helpers for the penalties tests.

Penalties are made through the services (the only way one comes to exist), so a test's
penalty has its events, ledger entries and audit trail like a real one.
"""

import datetime

import factory
from django.utils import timezone

from inspections.models import ServiceProvision
from penalties import services
from penalties.models import LedgerEntry, Penalty, PenaltyPolicy
from tests.inspections.factories import ServiceProvisionFactory


class PenaltyPolicyFactory(factory.django.DjangoModelFactory):
    """A policy version; the migration seeds the default one (in force from 2023)."""

    class Meta:
        model = PenaltyPolicy

    effective_from = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=3650))
    base_fine_fen = 20000
    complaint_fine_min_fen = 20000
    complaint_fine_max_fen = 50000
    repeat_fine_max_fen = 100000
    year_start_month = 1
    note = "测试"


def ensure_policy() -> PenaltyPolicy:
    """The seeded policy, or a default one where a transactional test flushed the seed."""
    return PenaltyPolicy.objects.order_by("effective_from").first() or PenaltyPolicyFactory()


def provisions(n: int) -> list[ServiceProvision]:
    existing = list(ServiceProvision.objects.active()[:n])
    return existing + [ServiceProvisionFactory() for _ in range(n - len(existing))]


def proposed_service_code(*, office, staff, n: int = 1, incident_date=None, **kwargs) -> Penalty:
    """PEN-1 proposal citing ``n`` provisions: each call is another incident (tests of the
    refusal of a proposal made twice pass ``separate_incident=False``)."""
    kwargs.setdefault("separate_incident", True)
    return services.penalty_propose(
        proposed_by=office,
        staff=staff,
        rule=Penalty.Rule.SERVICE_CODE,
        source=Penalty.Source.INSPECTION_FINDING,
        incident_date=incident_date or timezone.localdate(),
        description="检查发现当班收费员未使用文明用语。",
        provisions=provisions(n),
        **kwargs,
    )


def proposed_complaint(*, office, staff, fine_fen=30000, incident_date=None, **kwargs) -> Penalty:
    """PEN-3 proposal for a verified complaint (another incident at each call)."""
    kwargs.setdefault("separate_incident", True)
    return services.penalty_propose(
        proposed_by=office,
        staff=staff,
        rule=Penalty.Rule.COMPLAINT,
        source=Penalty.Source.VERIFIED_COMPLAINT,
        incident_date=incident_date or timezone.localdate(),
        description="司机投诉收费员态度生硬，经查属实。",
        fine_fen=fine_fen,
        source_reference="TS-2024-001",
        **kwargs,
    )


def decided_service_code(*, office, staff, n: int = 1, incident_date=None) -> Penalty:
    """A PEN-1 penalty decided by the office (in force unless it is a repeat)."""
    penalty = proposed_service_code(office=office, staff=staff, n=n, incident_date=incident_date)
    return services.penalty_decide(penalty=penalty, decided_by=office)


def collection_around_the_services(penalty: Penalty, *, amount_fen: int, booked_on, recorded_by) -> LedgerEntry:
    """A collection written straight into the ledger, as no service would: the penalty's kept
    balance and the month totals never see it (what the reconciliation must catch)."""
    return LedgerEntry.objects.create(
        penalty=penalty,
        sequence=99,
        kind=LedgerEntry.Kind.COLLECTED,
        account=LedgerEntry.Account.NON_OPERATING_INCOME,
        amount_fen=amount_fen,
        booked_on=booked_on,
        receipt_number="R-X",
        recorded_by=recorded_by,
    )
