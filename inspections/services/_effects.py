"""What follows when an inspection takes effect or is amended: its score stored, the deductions
of each subject written (joint liability, 连带责任), and a breached veto item's consequences (INS-5).

Every score comes from ``inspections.rules.score``; nothing here computes one.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext

from inspections import rules
from inspections.models import Deduction, Inspection, ItemResult, VetoConsequence
from penalties import rules as penalty_rules
from penalties import services as penalty_services
from penalties.models import EligibilityRevocation
from penalties.selectors import policy_in_force


def results_of(inspection: Inspection) -> list[ItemResult]:
    return list(inspection.results.select_related("item").order_by("position", "pk"))


def terms_of(inspection: Inspection) -> list[rules.ItemTerms]:
    return [rules.ItemTerms.of(item) for item in inspection.checklist_version.items.all()]


def compute(inspection: Inspection, results: list[ItemResult] | None = None) -> rules.Score:
    results = results_of(inspection) if results is None else results
    return rules.score(terms_of(inspection), [rules.Entry.of(r) for r in results])


def store_score(inspection: Inspection, results: list[ItemResult]) -> rules.Score:
    """Compute the score and keep it on the inspection and on each result (not saved: the caller
    saves the inspection)."""
    result = compute(inspection, results)
    inspection.score = result.score
    inspection.deduction = result.deduction
    inspection.raw_deduction = result.raw_deduction
    inspection.vetoed = result.vetoed
    for row in results:
        share = result.findings.get(row.pk)
        row.raw_deduction = share.raw if share else rules.ZERO
        row.deduction = share.team if share else rules.ZERO
    ItemResult.objects.bulk_update(results, ["raw_deduction", "deduction"])
    return result


def write_deductions(inspection: Inspection, results: list[ItemResult], score: rules.Score) -> None:
    """One row per finding and subject, replacing what an earlier version of the inspection wrote."""
    Deduction.objects.filter(inspection=inspection).delete()
    common = {"inspection": inspection, "kind": inspection.kind, "occurred_on": inspection.shift_date}
    rows = []
    for finding in results:
        share = score.findings.get(finding.pk)
        if share is not None:
            rows.extend(deductions_of(inspection, finding, share, finding=finding, **common))
    Deduction.objects.bulk_create(rows)


def deductions_of(inspection: Inspection, result: ItemResult, share, /, **fields) -> list[Deduction]:
    """What one finding's (``result``'s) share costs each subject (unsaved rows with ``fields``): the team always,
    the person named, and the team leader and shift leader on duty where the item makes them answer
    for it too (连带责任)."""
    base = {**fields, "vetoed": share.veto}
    rows = [Deduction(subject=Deduction.Subject.TEAM, team_id=inspection.team_id, points=share.team, **base)]
    if result.staff_id:
        rows.append(Deduction(subject=Deduction.Subject.PERSON, staff_id=result.staff_id, points=share.person, **base))
    if inspection.team_leader_id and share.team_leader:
        rows.append(
            Deduction(
                subject=Deduction.Subject.TEAM_LEADER,
                staff_id=inspection.team_leader_id,
                points=share.team_leader,
                **base,
            )
        )
    if inspection.shift_leader_id and share.shift_leader:
        rows.append(
            Deduction(
                subject=Deduction.Subject.SHIFT_LEADER,
                staff_id=inspection.shift_leader_id,
                points=share.shift_leader,
                **base,
            )
        )
    return rows


def apply_vetoes(inspection: Inspection, results: list[ItemResult], score: rules.Score, *, actor) -> None:
    """INS-5: a breached veto item takes that year's award eligibility from the team and the person,
    through ``penalties.services.eligibility_revoke`` with the inspection as the reason. A loss
    already recorded for that year is linked rather than recorded twice."""
    year = penalty_rules.year_of(inspection.shift_date, policy=policy_in_force())
    for finding in results:
        share = score.findings.get(finding.pk)
        if share is None or not share.veto:
            continue
        subjects = [{"team": inspection.team, "staff": None}]
        if finding.staff_id:
            subjects.append({"team": None, "staff": finding.staff})
        for subject in subjects:
            revocation = EligibilityRevocation.objects.effective().filter(year=year, **subject).first()
            if revocation is None:
                revocation = penalty_services.eligibility_revoke(
                    decided_by=actor, year=year, reason=_veto_reason(inspection, finding), **subject
                )
            VetoConsequence.objects.get_or_create(inspection=inspection, finding=finding, revocation=revocation)


def _veto_reason(inspection: Inspection, finding: ItemResult) -> str:
    return gettext("Inspection %(reference)s on %(date)s: veto item “%(item)s” breached.") % {
        "reference": inspection.reference,
        "date": timezone.localtime(inspection.occurred_at).date().isoformat(),
        "item": finding.item.title,
    }


def take_effect(inspection: Inspection, *, actor) -> rules.Score:
    """Score the inspection, write every subject's deductions and apply veto consequences."""
    results = results_of(inspection)
    score = store_score(inspection, results)
    write_deductions(inspection, results, score)
    apply_vetoes(inspection, results, score, actor=actor)
    return score
