"""The rules of inspections, each one pure function (no database), each naming its plan ID.

``score`` is THE scoring function: the phone form's live total, the saved inspection, lists,
exports, the meeting circular (INS-3) and later the reports and awards all call it, so an
inspection has one score wherever it is shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from tollservice.core.errors import DomainError

ZERO = Decimal("0")
FULL_MARKS = Decimal("100")

COMPLIANT = "compliant"
NOT_APPLICABLE = "not_applicable"
BREACHED = "breached"
VERDICTS = (COMPLIANT, NOT_APPLICABLE, BREACHED)


@dataclass(frozen=True)
class ItemTerms:
    """What one checklist item weighs and what a breach costs (from ``ChecklistItem``)."""

    id: Hashable
    points: Decimal
    deduction: Decimal
    cap: Decimal | None = None
    grave_deduction: Decimal | None = None
    veto: bool = False
    team_leader_deduction: Decimal = ZERO
    shift_leader_deduction: Decimal = ZERO

    @property
    def limit(self) -> Decimal:
        """The most one inspection deducts for the item: its cap, never beyond its points."""
        return self.points if self.cap is None else min(self.cap, self.points)

    def per_occurrence(self, grave: bool) -> Decimal:
        return self.grave_deduction if grave and self.grave_deduction is not None else self.deduction

    @classmethod
    def of(cls, item) -> ItemTerms:
        """The terms of a ``ChecklistItem`` (or anything with the same attributes)."""
        return cls(
            id=item.pk,
            points=item.points,
            deduction=item.deduction,
            cap=item.cap,
            grave_deduction=item.grave_deduction,
            veto=item.is_veto,
            team_leader_deduction=item.team_leader_deduction,
            shift_leader_deduction=item.shift_leader_deduction,
        )


@dataclass(frozen=True)
class Entry:
    """One recorded result: an item compliant, not applicable, or breached ``occurrences`` times
    (by ``staff``, where there is one person concerned)."""

    key: Hashable
    item: Hashable
    verdict: str
    occurrences: int = 0
    grave: bool = False
    staff: Hashable | None = None

    @classmethod
    def of(cls, result) -> Entry:
        """The entry of an ``ItemResult``; a finding withdrawn on appeal counts as compliant."""
        verdict = COMPLIANT if result.withdrawn else result.verdict
        occurrences = 0 if result.withdrawn else result.occurrences
        return cls(
            key=result.pk,
            item=result.item_id,
            verdict=verdict,
            occurrences=occurrences,
            grave=result.grave and not result.withdrawn,
            staff=result.staff_id,
        )


@dataclass(frozen=True)
class ItemScore:
    applicable: bool
    breached: bool
    raw: Decimal  # occurrences × deduction, before the cap
    deducted: Decimal  # after the cap
    veto: bool  # a breached veto item


@dataclass(frozen=True)
class FindingScore:
    """What one finding costs each subject (joint liability, 连带责任)."""

    raw: Decimal  # occurrences × deduction, before any cap
    team: Decimal  # its share of the item's capped deduction: the inspection's (and team's) loss
    person: Decimal  # the person concerned (capped per person and item); 0 without a person
    team_leader: Decimal
    shift_leader: Decimal
    veto: bool


@dataclass(frozen=True)
class Score:
    """The result of ``score``: 100 minus the capped deductions, or 0 when a veto item was breached."""

    score: Decimal
    deduction: Decimal
    raw_deduction: Decimal
    vetoed: bool
    items: Mapping[Hashable, ItemScore] = field(default_factory=dict)
    findings: Mapping[Hashable, FindingScore] = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        return self.raw_deduction != self.deduction


def _check_entry(entry: Entry, terms: ItemTerms) -> None:
    if entry.verdict not in VERDICTS:
        raise DomainError(_("Unknown result “%(verdict)s”."), params={"verdict": entry.verdict})
    if entry.verdict == BREACHED and entry.occurrences < 1:
        raise DomainError(_("A breached item needs at least one occurrence."), field="occurrences")
    if entry.verdict != BREACHED and (entry.occurrences or entry.grave):
        raise DomainError(_("Only a breached item has occurrences."), field="occurrences")
    if entry.grave and terms.grave_deduction is None:
        raise DomainError(_("This item has no graver deduction for a grave occurrence."), field="grave")


def score(items: Iterable[ItemTerms], entries: Iterable[Entry]) -> Score:
    """Score an inspection as Chinese toll-window tables do (INS-1, INS-6 and every other kind).

    - Start from 100; each breached item deducts its deduction per occurrence (the graver one for
      a grave occurrence), never more than its cap, and never beyond its points, however many
      findings it has. The raw (uncapped) deductions are returned beside the capped ones.
    - Not applicable and compliant items deduct nothing.
    - A breached veto item (一票否决) fails the inspection: its score is 0, whatever else it found.
    - Joint liability (连带责任): the person concerned loses the finding's deduction (capped per
      person and item), the team its share of the item's capped deduction (so the team's losses
      add up to 100 − score), the team leader and the shift leader on duty their own deduction
      per occurrence (each capped at the item's limit).

    ``entries`` are taken in order: when an item's cap is reached, the earlier findings keep
    their share. Entries for items that are not in ``items`` are refused.
    """
    terms_by_id = {terms.id: terms for terms in items}
    entries = list(entries)
    by_item: dict[Hashable, list[Entry]] = {}
    for entry in entries:
        terms = terms_by_id.get(entry.item)
        if terms is None:
            raise DomainError(_("A result names an item that is not on this inspection's checklist."))
        _check_entry(entry, terms)
        by_item.setdefault(entry.item, []).append(entry)

    item_scores: dict[Hashable, ItemScore] = {}
    finding_scores: dict[Hashable, FindingScore] = {}
    for item_id, item_entries in by_item.items():
        terms = terms_by_id[item_id]
        breaches = [e for e in item_entries if e.verdict == BREACHED]
        applicable = any(e.verdict != NOT_APPLICABLE for e in item_entries)
        raw = sum((e.occurrences * terms.per_occurrence(e.grave) for e in breaches), ZERO)
        deducted = min(raw, terms.limit)
        item_scores[item_id] = ItemScore(
            applicable=applicable,
            breached=bool(breaches),
            raw=raw,
            deducted=deducted,
            veto=terms.veto and bool(breaches),
        )
        finding_scores.update(_share_out(terms, breaches))

    deduction = sum((s.deducted for s in item_scores.values()), ZERO)
    raw_deduction = sum((s.raw for s in item_scores.values()), ZERO)
    vetoed = any(s.veto for s in item_scores.values())
    total = ZERO if vetoed else max(FULL_MARKS - deduction, ZERO)
    return Score(
        score=total,
        deduction=deduction,
        raw_deduction=raw_deduction,
        vetoed=vetoed,
        items=item_scores,
        findings=finding_scores,
    )


def _share_out(terms: ItemTerms, breaches: list[Entry]) -> dict[Hashable, FindingScore]:
    """Each finding's cost to each subject, the item's limit applied per subject."""
    remaining = {"team": terms.limit, "team_leader": terms.limit, "shift_leader": terms.limit}
    person_remaining: dict[Hashable, Decimal] = {}
    shares = {}
    for entry in breaches:
        raw = entry.occurrences * terms.per_occurrence(entry.grave)
        team = min(raw, remaining["team"])
        remaining["team"] -= team
        person = ZERO
        if entry.staff is not None:
            left = person_remaining.setdefault(entry.staff, terms.limit)
            person = min(raw, left)
            person_remaining[entry.staff] = left - person
        leader = min(entry.occurrences * terms.team_leader_deduction, remaining["team_leader"])
        remaining["team_leader"] -= leader
        shift = min(entry.occurrences * terms.shift_leader_deduction, remaining["shift_leader"])
        remaining["shift_leader"] -= shift
        shares[entry.key] = FindingScore(
            raw=raw, team=team, person=person, team_leader=leader, shift_leader=shift, veto=terms.veto
        )
    return shares


def missing_items(item_ids: Iterable[Hashable], entries: Iterable[Entry]) -> list[Hashable]:
    """Items of the checklist without any result: an inspection is filed complete (INS-6 review:
    "complete")."""
    answered = {entry.item for entry in entries}
    return [item_id for item_id in item_ids if item_id not in answered]


def conflicting_items(entries: Iterable[Entry]) -> list[Hashable]:
    """Items recorded both as breached and as compliant or not applicable: one must go."""
    verdicts: dict[Hashable, set[str]] = {}
    for entry in entries:
        verdicts.setdefault(entry.item, set()).add(entry.verdict)
    return [item for item, seen in verdicts.items() if len(seen) > 1]


# --- Time limits ----------------------------------------------------------------------------------


def appeal_deadline(published_at: datetime.datetime, *, days: int) -> datetime.datetime:
    """INS-6: the visited team may appeal a finding within ``days`` of publication."""
    return published_at + datetime.timedelta(days=days)


def revisit_too_soon(previous: datetime.datetime | None, visit: datetime.datetime, *, gap_days: int) -> bool:
    """INS-6: the same supervisor visits the same team again within ``gap_days`` (a warning)."""
    return previous is not None and abs(visit - previous) < datetime.timedelta(days=gap_days)


def order_is_late(
    *, deadline: datetime.date, answered_on: datetime.date | None, awaiting_answer: bool, today: datetime.date
) -> bool:
    """INS-2: an order counts as late when it waits for the team's answer past its deadline, or
    its last answer came after the deadline (a returned order answered again late is late)."""
    if awaiting_answer and deadline < today:
        return True
    return answered_on is not None and answered_on > deadline


def overdue_threshold_reached(late_orders: int, *, threshold: int) -> bool:
    """INS-4 / INS-5: a team with ``threshold`` late orders in a month is put to the office."""
    return threshold > 0 and late_orders >= threshold


def coverage_missed(inspections_count: int, *, target: int) -> bool:
    """The office's coverage target: each team inspected at least ``target`` times a month."""
    return inspections_count < target
