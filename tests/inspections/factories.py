"""Factories for the standard (six unifications, service code, ten prohibitions) and helpers
that make inspections through the services."""

import datetime

import factory
from django.utils import timezone

from inspections import services
from inspections.models import ChecklistVersion, Inspection, ItemResult, Prohibition, ServiceCategory, ServiceProvision


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"规范{n}")


class ServiceProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvision

    category = factory.SubFactory(ServiceCategoryFactory)
    code = factory.Sequence(lambda n: f"T-{n:03d}")
    text = factory.Sequence(lambda n: f"测试条款{n}")


class ProhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prohibition

    number = factory.Sequence(lambda n: 100 + n)
    text = factory.Sequence(lambda n: f"不准测试事项{n}。")


# --- Inspections ---------------------------------------------------------------------------------
# Inspections are made through the services (the only way one comes to exist), so a test's
# inspection has its score, deductions and audit trail like a real one.

Kind = Inspection.Kind


def default_version() -> ChecklistVersion:
    return ChecklistVersion.objects.filter(is_default=True).get()


def item(code: str, version: ChecklistVersion | None = None):
    return (version or default_version()).items.get(code=code)


def results_for(inspection: Inspection, breaches=None, *, not_applicable=()) -> list[services.ResultInput]:
    """Every item compliant, except ``breaches``: ``{code: (occurrences, staff)}`` or
    ``{code: [(occurrences, staff, grave), ...]}``, and the codes in ``not_applicable``."""
    breaches = breaches or {}
    rows = []
    for entry in inspection.checklist_version.items.order_by("order"):
        found = breaches.get(entry.code)
        if found is None:
            verdict = ItemResult.Verdict.COMPLIANT
            if entry.code in not_applicable:
                verdict = ItemResult.Verdict.NOT_APPLICABLE
            rows.append(services.ResultInput(item=entry, verdict=verdict))
            continue
        for occurrences, staff, *grave in found if isinstance(found, list) else [found]:
            rows.append(
                services.ResultInput(
                    item=entry,
                    verdict=ItemResult.Verdict.BREACHED,
                    occurrences=occurrences,
                    staff=staff,
                    grave=bool(grave and grave[0]),
                    note="现场检查发现",
                )
            )
    return rows


def a_moment(days_ago: int = 2, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def inspection(
    *,
    by,
    team,
    kind: str = Kind.OFFICE_ROUTINE,
    breaches=None,
    not_applicable=(),
    occurred_at=None,
    file: bool = True,
    publish_by=None,
    **start_kwargs,
) -> Inspection:
    """An inspection started by ``by``, its results recorded and (by default) filed; a supervisor's
    visit is also published when ``publish_by`` is given."""
    if kind == Kind.CCTV:
        start_kwargs.setdefault("vehicles_sampled", 20)
    started = services.inspection_start(
        created_by=by, kind=kind, occurred_at=occurred_at or a_moment(), team=team, **start_kwargs
    )
    services.inspection_results_save(
        inspection=started, saved_by=by, results=results_for(started, breaches, not_applicable=not_applicable)
    )
    if file:
        started = services.inspection_file(inspection=started, filed_by=by)
    if publish_by is not None:
        started = services.inspection_publish(inspection=started, published_by=publish_by)
    started.refresh_from_db()
    return started


def finding(inspection: Inspection, code: str) -> ItemResult:
    return inspection.results.findings().get(item__code=code)
