"""Penalties and the fine ledger of the generated station (PEN-1 … PEN-5).

``scale.rows`` penalties over the history, each carried through the life the services would
give it, decided in the order they were decided so that the plan's rules hold:

- PEN-1 service-code violations (most), PEN-3 verified complaints (with the responsible head
  held accountable, a circulated criticism, now and then suspension or dismissal), PEN-4 pairs
  (the handler and the head of the handling department, one circular for both).
- PEN-2: a person's second violation in a year is escalated and waits for the leadership
  group, which approves it (setting the fine up to the policy's ceiling, naming prohibitions)
  or rejects it; those decided in the last weeks are still waiting.
- Proposals of the last days still wait for the office; a few are withdrawn, a few decided
  penalties revoked (their fine reversed in the ledger, a draft circular withdrawn).
- PEN-5 ledger: the fine assessed when the penalty comes into force; most collected with a
  receipt (some in two parts, a few receipts corrected by a reversal), some formally waived by
  two approvers (one of the leadership group), some waivers pending or rejected, the rest
  outstanding. Every month closed by the finance office early in the next, with its figures.
- One person (``staff1``) has many penalties, for "my penalties".

The rows themselves (penalties, events, ledger, waivers, circulars, audit entries,
notifications) are written by ``_penalty_rows``; talks and losses of award eligibility by
``records``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import translation

from bench.generator import World, part
from bench.parts import _penalty_rows as rows
from inspections.models import Prohibition, ServiceProvision
from penalties import rules
from penalties.models import Penalty, PenaltyPolicy
from tollservice.core.list_views import PAGE_SIZE

Rule = Penalty.Rule
Source = Penalty.Source
Status = Penalty.Status
FOREVER = datetime.datetime.max.replace(tzinfo=datetime.UTC)

# Shares of the rows. The rest are PEN-1 service-code violations.
COMPLAINTS = 0.13
HANDLING = 0.006  # rows in PEN-4 pairs
DEPARTMENT_STAFF = 0.08  # penalties of staff outside the teams
WITHDRAWN = 0.02
REVOKED = 0.015
SUSPENSION, DISMISSAL = 0.05, 0.01  # of complaints
# "My penalties" of the busy person: 1 % of the rows, at least 60 (three pages).
BUSY_SHARE, BUSY_MINIMUM = 0.01, 60
# Waivers still waiting for the leadership group, beside those the draw leaves pending at the
# cutoff (a handful at the base size, hundreds at 200,000 rows): the leader's queue shows a full
# page at every scale, so that its ratio compares pages of as many rows.
WAIVERS_AWAITING = PAGE_SIZE


@dataclass(eq=False)
class Pair:
    """PEN-4: the handler's and the head's penalties for one mishandled complaint."""

    department_id: int
    withdrawn: bool
    members: list[Plan] = field(default_factory=list)
    circular: object = None


@dataclass(eq=False)
class Plan:
    """One penalty's life, decided before any row is written."""

    staff: object  # roster Person
    rule: str
    source: str
    incident: datetime.date
    proposed_at: datetime.datetime
    provisions: tuple = ()
    fine: int = 0
    suspension: bool = False
    dismissal: bool = False
    disciplinary: bool = False
    pair: Pair | None = None
    is_head: bool = False
    reference: str = ""
    description: str = ""
    # The outcome.
    status: str = Status.PROPOSED
    decided_at: datetime.datetime | None = None
    escalated: bool = False
    policy: PenaltyPolicy | None = None
    year: int = 0
    responsible_head_id: int | None = None
    settled_at: datetime.datetime | None = None  # approved, rejected or withdrawn
    settled_by: object = None
    settle_reasons: str = ""
    prohibitions: tuple = ()
    in_force_from: datetime.datetime | None = None
    in_force_by: object = None  # who brought it into force and booked the fine: office or leadership
    revoked_at: datetime.datetime | None = None
    waiver_awaits: bool = False  # a waiver requested, approved by the finance office only
    # Filled in as rows are written.
    pk: int | None = None
    circular: object = None


@part("penalties", after=("roster",))
def build(world: World) -> None:
    roster = world.facts["roster"]
    rng = world.rng("penalties")
    with translation.override("zh-hans"):
        policies = _policies(world, roster)
        plans = _draw(world, roster, rng)
        _decide(world, roster, plans, policies, rng)
        _waivers_awaiting(world, plans)
        world.log(f"penalties: {len(plans):,} planned; writing the rows")
        writer = rows.Writer(world, roster, rng)
        for start in range(0, len(plans), rows.CHUNK):
            writer.write(plans[start : start + rows.CHUNK])
        writer.close_months()
    statuses = {status: sum(1 for p in plans if p.status == status) for status in Status.values}
    world.meta["penalties"] = {
        "rows": len(plans),
        "by_status": statuses,
        "busy_staff": roster.busy.name,
        "busy_rows": sum(1 for p in plans if p.staff is roster.busy),
        "closed_through": writer.closed_through.isoformat() if writer.closed_through else None,
    }
    world.log(f"penalties: {statuses}")


def _policies(world: World, roster) -> list[PenaltyPolicy]:
    """The plan's default policy (a migration) and one change by the leadership group, half-way
    through the history: the ceiling for repeat violations raised to 1,500 yuan."""
    first = PenaltyPolicy.objects.order_by("effective_from").first()
    change_day = world.day(world.days // 2)
    changed = PenaltyPolicy(
        effective_from=world.at(change_day, 9),
        base_fine_fen=first.base_fine_fen,
        complaint_fine_min_fen=first.complaint_fine_min_fen,
        complaint_fine_max_fen=first.complaint_fine_max_fen,
        repeat_fine_max_fen=150_000,
        year_start_month=first.year_start_month,
        note="领导小组会议决定：年内重复违规按“十不准”处理的罚款上限调整为1500元。",
        created_by=roster.users["leader"],
        created_at=world.at(change_day, 9),
    )
    world.insert([changed])
    return [first, changed]


def _policy_at(policies: list[PenaltyPolicy], moment: datetime.datetime) -> PenaltyPolicy:
    return [p for p in policies if p.effective_from <= moment][-1]


def _draw(world: World, roster, rng) -> list[Plan]:
    """What happened: who, when, under which rule, proposed when."""
    provisions = list(ServiceProvision.objects.active())
    team_staff = [p for p in roster.penalizable if p.team_id is not None and p is not roster.busy]
    cutoff = world.at(world.today, 0)
    total = world.scale.rows
    busy_rows = min(total // 4, max(BUSY_MINIMUM, round(total * BUSY_SHARE)))
    plans: list[Plan] = []
    references = iter(range(1, 10**9))
    while len(plans) < total:
        incident = world.day(rng.randrange(world.days))
        proposed_on = incident + datetime.timedelta(days=rng.choice((0, 1, 1, 2, 3)))
        proposed_at = world.at(proposed_on, rng.randint(9, 16), rng.randrange(60))
        if proposed_at >= cutoff:
            proposed_at = world.at(incident, 18, rng.randrange(60))
        roll = rng.random()
        if roll < HANDLING and roster.handling and total - len(plans) >= 2:
            handler, head = rng.choice(roster.handling)
            pair = Pair(department_id=handler.department_id, withdrawn=rng.random() < WITHDRAWN)
            reference = f"TS-{incident.year}-{next(references):05d}"
            for person, is_head in ((handler, False), (head, True)):
                plan = Plan(
                    staff=person,
                    rule=Rule.HANDLING_HEAD if is_head else Rule.HANDLING_HANDLER,
                    source=Source.VERIFIED_COMPLAINT,
                    incident=incident,
                    proposed_at=proposed_at,
                    fine=rng.choice((20_000, 30_000)) if is_head else rng.choice((30_000, 40_000, 50_000)),
                    disciplinary=True,
                    pair=pair,
                    is_head=is_head,
                    reference=reference,
                    description=rng.choice(rows.HANDLING_TEXTS),
                )
                pair.members.append(plan)
                plans.append(plan)
            continue
        if len(plans) < busy_rows:
            person = roster.busy
        elif rng.random() < DEPARTMENT_STAFF and roster.department_staff:
            person = rng.choice(roster.department_staff)
        else:
            person = rng.choice(team_staff)
        if roll < HANDLING + COMPLAINTS and _responsible_head(roster, person) is not None:
            serious = rng.random()
            plans.append(
                Plan(
                    staff=person,
                    rule=Rule.COMPLAINT,
                    source=Source.VERIFIED_COMPLAINT,
                    incident=incident,
                    proposed_at=proposed_at,
                    fine=rng.choice((20_000, 20_000, 30_000, 30_000, 40_000, 50_000)),
                    suspension=serious < SUSPENSION,
                    dismissal=SUSPENSION <= serious < SUSPENSION + DISMISSAL,
                    reference=f"TS-{incident.year}-{next(references):05d}",
                    description=rng.choice(rows.COMPLAINT_TEXTS),
                )
            )
            continue
        cited = rng.sample(provisions, rng.choices((1, 2, 3), weights=(70, 22, 8))[0])
        plans.append(
            Plan(
                staff=person,
                rule=Rule.SERVICE_CODE,
                source=rng.choices(
                    (Source.INSPECTION_FINDING, Source.SUPERVISOR_SUGGESTION, Source.OFFICE), weights=(70, 20, 10)
                )[0],
                incident=incident,
                proposed_at=proposed_at,
                provisions=tuple(sorted(cited, key=lambda p: p.code)),
                description=rng.choice(rows.VIOLATION_TEXTS),
            )
        )
    # In the order they were proposed (and so numbered); a PEN-4 handler before its head.
    plans.sort(key=lambda p: (p.proposed_at, p.is_head))
    return plans


def _waivers_awaiting(world: World, plans: list[Plan]) -> None:
    """The latest fines in force (not revoked), a week or more before the cutoff, wait for a
    waiver the leadership group has not approved yet (``WAIVERS_AWAITING``)."""
    latest = world.at(world.day(world.days - 7), 0)
    candidates = [p for p in plans if p.in_force_from is not None and p.revoked_at is None and p.in_force_from < latest]
    candidates.sort(key=lambda p: p.in_force_from)
    for plan in candidates[-WAIVERS_AWAITING:]:
        plan.waiver_awaits = True


def _responsible_head(roster, person) -> int | None:
    """PEN-3: the team leader, or for a team leader or staff outside a team the department head."""
    leader = roster.team_leaders.get(person.team_id)
    if leader is not None and leader != person.id:
        return leader
    head = roster.department_heads.get(person.department_id)
    return head if head is not None and head != person.id else None


def _decide(world: World, roster, plans: list[Plan], policies: list[PenaltyPolicy], rng) -> None:
    """The office's decisions and the leadership's approvals, in the order they were taken, so
    that PEN-2 sees exactly the violations that counted at each decision."""
    cutoff = world.at(world.today, 0)
    office, approvers = roster.users["office"], (roster.users["leader"], roster.users["deputy"])
    prohibitions = list(Prohibition.objects.filter(active=True))
    for plan in plans:
        delay = datetime.timedelta(days=rng.choice((1, 1, 2, 2, 3, 4, 6)), hours=rng.randint(0, 5))
        plan.decided_at = plan.proposed_at + delay
        if plan.pair is not None and plan.is_head:
            plan.decided_at = plan.pair.members[0].decided_at
    # Per (person, year): since when violations count for good, and the spans of those that
    # counted for a while (until rejected or revoked).
    counting: dict[tuple[int, int], tuple[datetime.datetime, list]] = {}
    for plan in sorted(plans, key=lambda p: (p.decided_at, p.is_head)):
        if plan.decided_at >= cutoff:
            continue  # still waits for the office
        withdrawn = plan.pair.withdrawn if plan.pair is not None else rng.random() < WITHDRAWN
        if withdrawn:
            plan.status, plan.settled_at, plan.settled_by = Status.WITHDRAWN, plan.decided_at, office
            plan.settle_reasons = "复核监控录像后发现记录有误，撤回该处分建议。"
            continue
        policy = _policy_at(policies, plan.decided_at)
        plan.policy, plan.year = policy, rules.year_of(plan.incident, policy=policy)
        key = (plan.staff.id, plan.year)
        forever, spans = counting.get(key, (FOREVER, []))
        plan.escalated = forever < plan.decided_at or any(start < plan.decided_at < end for start, end in spans)
        if plan.rule == Rule.SERVICE_CODE:
            plan.fine = rules.pen1_fine_for(len(plan.provisions), policy)
        if plan.rule == Rule.COMPLAINT:
            plan.responsible_head_id = _responsible_head(roster, plan.staff)
        until = FOREVER
        if rules.needs_leadership_approval(
            escalated=plan.escalated, suspension=plan.suspension, dismissal=plan.dismissal
        ):
            answered = plan.decided_at + datetime.timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 4))
            if answered >= cutoff:
                plan.status = Status.AWAITING_APPROVAL
            elif rng.random() < (0.6 if plan.dismissal else 0.04):
                plan.status, plan.settled_at, plan.settled_by = Status.REJECTED, answered, rng.choice(approvers)
                plan.settle_reasons = "情节尚不足以按此处理，请征费室按一般违规重新提出。"
                until = answered
            else:
                plan.status, plan.settled_at, plan.settled_by = Status.APPROVED, answered, rng.choice(approvers)
                plan.in_force_from, plan.in_force_by = answered, plan.settled_by
                if plan.escalated:
                    own = plan.fine
                    ceiling = max(policy.repeat_fine_max_fen, own)
                    plan.fine = own + rng.randint(0, (ceiling - own) // 10_000) * 10_000
                    plan.prohibitions = tuple(rng.sample(prohibitions, rng.choice((1, 1, 2))))
                    plan.disciplinary = plan.disciplinary or rng.random() < 0.25
                    plan.settle_reasons = "年内再次违反服务规范，按“十不准”有关规定处理。"
                else:
                    plan.settle_reasons = "同意征费室意见。"
        else:
            plan.status, plan.in_force_from, plan.in_force_by = Status.DECIDED, plan.decided_at, office
        if plan.in_force_from is not None and rng.random() < REVOKED:
            revoked_at = plan.in_force_from + datetime.timedelta(days=rng.randint(3, 20), hours=1)
            if revoked_at < cutoff:
                plan.status, plan.revoked_at, until = Status.REVOKED, revoked_at, revoked_at
        if until is FOREVER:
            counting[key] = (min(forever, plan.decided_at), spans)
        else:
            spans.append((plan.decided_at, until))
            counting[key] = (forever, spans)
