"""Inspections of the generated station (INS-1, INS-2, INS-6): ``scale.rows`` item results.

Each inspection records a result for every item of the checklist in force (the default one the
migrations seed, 13 items), so ``rows / items`` inspections give ``rows`` results — 200,000 at
``--rows 200000``. Kinds as a station files them: the office's routine checks most, then the
leadership group's unannounced inspections (with two inspectors), supervisors' open and covert
visits (reviewed and published by the office the next day) and CCTV reviews (vehicles sampled).
The team on shift and the shift leader on duty come from the roster's shift-leader assignments.

Scores come from ``inspections.rules.score`` (the one scoring function), stored on the
inspection and its results, with every subject's deductions (连带责任). Veto items are never
breached here (their INS-5 consequences are the penalties part's revocations). Older
inspections are closed, every finding with an outcome — a critical suggestion or a rectification
order answered and verified; those of the last weeks are filed with orders open, answered or
overdue; the last days hold drafts and supervisors' visits awaiting the office's review, and a
few covert visits are void (the visitor was recognised).
"""

from __future__ import annotations

import datetime

from bench.generator import World, part
from bench.generator.audit import Action, audit_entry
from inspections import rules
from inspections.models import (
    ChecklistVersion,
    Deduction,
    FindingOutcome,
    Inspection,
    ItemResult,
    RectificationOrder,
)
from inspections.services._effects import deductions_of
from tollservice.core.list_views import PAGE_SIZE
from tollservice.roster.models import Booth, Lane, ShiftLeaderAssignment, Supervisor
from tollservice.roster.selectors import shift_at

Kind = Inspection.Kind
Status = Inspection.Status
Verdict = ItemResult.Verdict
OrderStatus = RectificationOrder.Status

KINDS = (Kind.OFFICE_ROUTINE, Kind.LEADERSHIP, Kind.SUPERVISOR_OPEN, Kind.SUPERVISOR_COVERT, Kind.CCTV)
KIND_WEIGHTS = (40, 15, 15, 15, 15)
CHUNK = 2_000  # inspections written at a time
ORDER_SHARE = 0.4  # of the findings of closed or filed inspections: a rectification order
NOTES = {
    "JC-02": "收费员与司机交流时未使用文明用语。",
    "JC-03": "未唱收唱付。",
    "JC-04": "交接班未列队。",
    "JC-06": "排队超过五辆未及时开启备用车道。",
    "JC-07": "收费亭内吸烟。",
    "JC-08": "工作期间离岗串亭。",
    "JC-09": "当班期间玩手机。",
    "JC-10": "当班期间睡岗。",
}
SUGGESTION = "请班组加强教育，当事人写出书面检查。"
# At least a page of rows for every measured reader (see ``build``).
FULL_PAGE = PAGE_SIZE
SUMMARIES = ("整体服务规范，个别问题已当场指出。", "班组精神面貌良好。", "", "", "车道秩序良好，收费规范。")


@part("inspections", after=("roster",))
def build(world: World) -> None:
    roster = world.facts["roster"]
    rng = world.rng("inspections")
    version = ChecklistVersion.objects.filter(status=ChecklistVersion.Status.PUBLISHED).order_by("effective_from")[0]
    items = list(version.items.order_by("order", "code"))
    terms = [rules.ItemTerms.of(item) for item in items]
    breachable = [item for item in items if not item.is_veto and item.points > 0]
    # Supervisors file their own visits: those with an account (the demo's first at least).
    supervisors = list(Supervisor.objects.filter(user__isnull=False).order_by("pk").values_list("pk", "user_id"))
    lanes = list(Lane.objects.filter(active=True).values_list("pk", flat=True))
    booths = list(Booth.objects.filter(active=True).values_list("pk", "lane_id"))
    shifts = {
        (date, shift): (staff_id, team_id)
        for date, shift, staff_id, team_id in ShiftLeaderAssignment.objects.values_list(
            "date", "shift", "staff_id", "team_id"
        )
    }
    members: dict[int, list[int]] = {}
    for person in roster.penalizable:
        if person.team_id is not None:
            members.setdefault(person.team_id, []).append(person.id)
    leader_users = {p.id: p.user_id for p in roster.people.values()}
    office, leader, deputy = roster.users["office"], roster.users["leader"], roster.users["deputy"]
    inspectors = [leader.staff_profile.pk, deputy.staff_profile.pk]
    cutoff = world.at(world.today, 0)

    count = max(20, round(world.scale.rows / len(items)))
    moments = sorted(
        world.at(world.day(rng.randrange(world.days)), rng.choice((8, 9, 10, 14, 15, 16, 19, 22)), rng.randrange(60))
        for _ in range(count)
    )
    totals = {"inspections": 0, "results": 0, "findings": 0, "orders": 0}
    # What the measured readers see, for the floor below: findings in effect of the team
    # leader's team, and visits awaiting the office's review.
    leader_team = next(t for t, s in roster.team_leaders.items() if s == roster.users["teamleader"].staff_profile.pk)
    seen = {"team_findings": 0, "to_review": 0}

    def plan(occurred_at, kind=None, status=None):
        kind = kind or rng.choices(KINDS, weights=KIND_WEIGHTS)[0]
        shift_date, shift = shift_at(moment=occurred_at)
        shift_leader_id, team_id = shifts.get((shift_date, shift), (None, roster.team_ids[0]))
        age = (cutoff - occurred_at).days
        status = status or _status(kind, age, rng)
        supervisor = rng.choice(supervisors) if kind in Inspection.SUPERVISOR_KINDS else None
        created_by = supervisor[1] if supervisor else {Kind.LEADERSHIP: leader.pk}.get(kind, office.pk)
        if kind == Kind.CCTV:
            lane_id, booth_id = rng.choice(lanes), None
        else:
            booth_id, lane_id = rng.choice(booths)
        inspection = Inspection(
            kind=kind,
            status=status,
            occurred_at=occurred_at,
            shift_date=shift_date,
            shift=shift,
            lane_id=lane_id,
            booth_id=booth_id,
            team_id=team_id,
            team_leader_id=roster.team_leaders.get(team_id),
            shift_leader_id=shift_leader_id,
            supervisor_id=supervisor[0] if supervisor else None,
            vehicles_sampled=rng.choice((20, 30, 40)) if kind == Kind.CCTV else None,
            summary=rng.choice(SUMMARIES),
            checklist_version=version,
            created_by_id=created_by,
            created_at=occurred_at + datetime.timedelta(minutes=40),
            updated_at=occurred_at + datetime.timedelta(hours=2),
        )
        _lifecycle(inspection, age, office.pk, rng)
        results = _results(inspection, items, breachable, members.get(team_id, []), rng)
        if status != Status.DRAFT:
            outcome = rules.score(
                terms,
                [
                    rules.Entry(i, r.item_id, r.verdict, r.occurrences, r.grave, r.staff_id)
                    for i, r in enumerate(results)
                ],
            )
            inspection.score, inspection.deduction = outcome.score, outcome.deduction
            inspection.raw_deduction, inspection.vetoed = outcome.raw_deduction, outcome.vetoed
            inspection.original_score = outcome.score if status in Inspection.EFFECTIVE else None
            for index, row in enumerate(results):
                share = outcome.findings.get(index)
                row.raw_deduction = share.raw if share else rules.ZERO
                row.deduction = share.team if share else rules.ZERO
        else:
            outcome = None
        return inspection, results, outcome

    def write(plans) -> None:
        world.insert(plan[0] for plan in plans)
        for inspection, results, _outcome in plans:
            for row in results:
                row.inspection_id = inspection.pk
        world.insert(row for _i, results, _o in plans for row in results)
        through = Inspection.inspectors.through
        world.insert(
            through(inspection_id=inspection.pk, staff_id=staff_id)
            for inspection, _r, _o in plans
            if inspection.kind == Kind.LEADERSHIP
            for staff_id in inspectors
        )
        world.insert(_deductions(plans))
        orders, outcomes = _outcomes(world, plans, leader_users, office.pk, rng)
        world.insert(orders)
        for outcome in outcomes:
            if outcome.order is not None:
                outcome.order_id = outcome.order.pk
        world.insert(outcomes)
        world.insert(
            audit_entry(
                Inspection,
                object_id=inspection.pk,
                object_repr=str(inspection),
                action=Action.CREATE,
                at=inspection.created_at,
                actor_id=inspection.created_by_id,
                summary="开始检查",
            )
            for inspection, _r, _o in plans
        )
        totals["inspections"] += len(plans)
        totals["results"] += sum(len(results) for _i, results, _o in plans)
        totals["findings"] += sum(1 for _i, results, _o in plans for r in results if r.verdict == Verdict.BREACHED)
        totals["orders"] += len(orders)
        for inspection, results, _o in plans:
            seen["to_review"] += inspection.status == Status.SUBMITTED
            if inspection.team_id == leader_team and inspection.status in Inspection.EFFECTIVE:
                seen["team_findings"] += sum(r.verdict == Verdict.BREACHED for r in results)

    for start in range(0, count, CHUNK):
        write([plan(occurred_at) for occurred_at in moments[start : start + CHUNK]])

    # A ratio of two pages means something only when both show as many rows: every measured
    # reader gets at least a full page at every scale (at the base size the team leader's team
    # has a handful of findings and the review queue is mostly empty). Closed inspections of the
    # team when it is on shift, and supervisors' visits of the last two days awaiting review, open
    # and covert as the supervisors file them (an unpublished covert visit shown is logged, INS-6:
    # the base page must do that work too, as the large one does).
    floor = world.rng("inspections:floor")
    for _attempt in range(100_000):
        if seen["team_findings"] >= FULL_PAGE:
            break
        moment = world.at(world.day(floor.randrange(world.days - 30)), floor.choice((8, 10, 15, 19, 22)), 30)
        if shifts.get(shift_at(moment=moment), (None, None))[1] == leader_team:
            write([plan(moment)])
    missing = FULL_PAGE - seen["to_review"]
    if missing > 0:
        days = (world.day(world.days - 1), world.day(world.days - 2))
        visits = sorted(
            world.at(floor.choice(days), floor.choice((9, 10, 14, 15, 16)), floor.randrange(60)) for _ in range(missing)
        )
        kinds = [floor.choice((Kind.SUPERVISOR_OPEN, Kind.SUPERVISOR_COVERT)) for _ in visits]
        write([plan(moment, kind=kind, status=Status.SUBMITTED) for moment, kind in zip(visits, kinds, strict=True)])
    world.meta["inspections"] = {**totals, "items_per_inspection": len(items)}
    world.log(f"inspections: {totals}")


def _status(kind: str, age: int, rng) -> str:
    """Where an inspection of ``kind``, ``age`` days old, stands today."""
    if age < 2 and rng.random() < 0.3:
        return Status.DRAFT
    if kind in Inspection.SUPERVISOR_KINDS:
        if age < 2:
            return Status.SUBMITTED
        if kind == Kind.SUPERVISOR_COVERT and rng.random() < 0.03:
            return Status.VOID
    return Status.CLOSED if age > 21 else Status.FILED


def _lifecycle(inspection: Inspection, age: int, office_id: int, rng) -> None:
    """The filing, publication and closing moments the services would have stamped."""
    status, occurred = inspection.status, inspection.occurred_at
    if status == Status.DRAFT:
        return
    supervisor = inspection.kind in Inspection.SUPERVISOR_KINDS
    filed = occurred.replace(hour=21, minute=5) if supervisor else occurred + datetime.timedelta(hours=1)
    if filed <= occurred:
        filed = occurred + datetime.timedelta(hours=1)
    inspection.submitted_at, inspection.submitted_by_id = filed, inspection.created_by_id
    if status == Status.VOID:
        inspection.void_reason = "暗访人员在车道被收费员认出，本次暗访作废。"
        inspection.updated_at = filed + datetime.timedelta(days=1)
        return
    if status == Status.SUBMITTED:
        inspection.updated_at = filed
        return
    published = filed + datetime.timedelta(days=1) if supervisor else filed
    inspection.published_at = published
    inspection.published_by_id = office_id if supervisor else inspection.created_by_id
    inspection.updated_at = published
    if status == Status.CLOSED:
        inspection.closed_at = published + datetime.timedelta(days=rng.randint(12, 16), hours=2)
        inspection.closed_by_id = office_id
        inspection.updated_at = inspection.closed_at


def _results(inspection: Inspection, items, breachable, team_members: list[int], rng) -> list[ItemResult]:
    """A result for every item: 0 to 2 breaches (a named collector where the item has one)."""
    draw = rng.random()
    breaches = 0 if draw < 0.45 else 1 if draw < 0.85 else 2
    breached = {item.pk: item for item in rng.sample(breachable, breaches)}
    results = []
    for position, item in enumerate(items):
        row = ItemResult(
            item_id=item.pk,
            verdict=Verdict.COMPLIANT,
            occurrences=0,
            position=position,
            occurred_at=inspection.occurred_at,
            inspection_team_id=inspection.team_id,
            created_at=inspection.created_at,
            updated_at=inspection.updated_at,
        )
        if item.pk in breached:
            row.verdict = Verdict.BREACHED
            row.occurrences = rng.choice((1, 1, 1, 2, 3))
            row.grave = item.grave_deduction is not None and rng.random() < 0.3
            row.staff_id = (
                None if item.code in ("JC-04", "JC-06", "JC-11") or not team_members else rng.choice(team_members)
            )
            row.note = NOTES.get(item.code, "")
        elif inspection.kind == Kind.CCTV and item.code in ("JC-04", "JC-11"):
            row.verdict = Verdict.NOT_APPLICABLE
        results.append(row)
    return results


def _deductions(plans) -> list[Deduction]:
    """What each finding costs each subject, for inspections in effect (``_effects.write_deductions``)."""
    rows = []
    for inspection, results, outcome in plans:
        if inspection.status not in Inspection.EFFECTIVE:
            continue
        common = {"inspection_id": inspection.pk, "kind": inspection.kind, "occurred_on": inspection.shift_date}
        for index, finding in enumerate(results):
            share = outcome.findings.get(index)
            if share is not None:
                rows.extend(deductions_of(inspection, finding, share, finding_id=finding.pk, **common))
    return rows


def _outcomes(world: World, plans, leader_users: dict, office_id: int, rng):
    """INS-2: every finding of a closed inspection has an outcome; a filed one's findings have
    theirs when older than two days. Orders go to the team leader, who answers in the portal."""
    today = world.today
    orders, outcomes = [], []
    for inspection, results, _outcome in plans:
        if inspection.status not in Inspection.EFFECTIVE:
            continue
        decided = inspection.published_at + datetime.timedelta(days=1)
        if inspection.status == Status.FILED and decided.date() >= today - datetime.timedelta(days=1):
            continue
        for finding in results:
            if finding.verdict != Verdict.BREACHED:
                continue
            assignee = inspection.team_leader_id
            answers = assignee is not None and leader_users.get(assignee) is not None
            if not answers or rng.random() > ORDER_SHARE:
                outcomes.append(
                    FindingOutcome(
                        finding_id=finding.pk,
                        kind=FindingOutcome.Kind.SUGGESTION,
                        text=SUGGESTION,
                        created_by_id=office_id,
                        created_at=decided,
                        updated_at=decided,
                    )
                )
                continue
            deadline = decided.date() + datetime.timedelta(days=8)
            order = RectificationOrder(
                finding_id=finding.pk,
                inspection_id=inspection.pk,
                team_id=inspection.team_id,
                inspection_team_id=inspection.team_id,
                assignee_id=assignee,
                instructions="针对检查发现的问题组织整改，班组长督促落实。",
                deadline=deadline,
                status=OrderStatus.OPEN,
                issued_by_id=office_id,
                created_at=decided,
                updated_at=decided,
            )
            answered = decided + datetime.timedelta(days=rng.choice((3, 5, 7, 9)), hours=2)
            closed = inspection.status == Status.CLOSED
            if closed or answered.date() < today:
                order.status = OrderStatus.ANSWERED
                order.answer = "已组织班组学习并整改到位。"
                order.answered_by_id = leader_users[assignee]
                order.answered_at, order.answered_on = answered, answered.date()
                order.updated_at = answered
                verified = answered + datetime.timedelta(days=1)
                if closed or (verified.date() < today and rng.random() < 0.7):
                    order.status = OrderStatus.VERIFIED
                    order.verified_by_id, order.verified_at = office_id, verified
                    order.verification_note = "现场复查，已整改。"
                    order.updated_at = verified
                elif verified.date() < today and rng.random() < 0.3:
                    order.status = OrderStatus.RETURNED  # answered, sent back with reasons
                    order.verification_note = "整改照片未体现整改结果，请补充。"
                    order.updated_at = verified
            orders.append(order)
            outcomes.append(
                FindingOutcome(
                    finding_id=finding.pk,
                    kind=FindingOutcome.Kind.RECTIFICATION,
                    order=order,
                    created_by_id=office_id,
                    created_at=decided,
                    updated_at=decided,
                )
            )
    return orders, outcomes
