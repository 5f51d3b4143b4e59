"""Talks (INS-4) and losses of award eligibility (INS-5) of the generated station.

Talks with people (most often repeat offenders) and teams, held by the office director, half
with a follow-up (most of those due before today confirmed done); losses of award eligibility of
people and teams, a few withdrawn afterwards with reasons.
"""

from __future__ import annotations

import datetime

from bench.generator import World, part
from bench.generator.audit import Action, audit_entry
from penalties.models import EligibilityRevocation, TalkRecord

TALKS = 0.025  # of the rows (penalties)
REVOCATIONS = 0.01

REASONS = [
    "年内多次违反规范化服务准则，整改不积极。",
    "班组对督查发现的问题整改敷衍，多次督查同类问题重复出现。",
    "被投诉属实后未按要求提交书面检查。",
]
SUMMARIES = [
    "指出违规问题和影响，要求当事人认真学习文明用语规范，写出书面检查。",
    "约见班长及全班人员，通报督查情况，要求限期整改。",
    "谈话中当事人承认问题，表示将严格遵守服务规范。",
]


@part("records", after=("penalties",))
def build(world: World) -> None:
    roster = world.facts["roster"]
    rng = world.rng("records")
    office = roster.users["office"]
    cutoff = world.at(world.today, 0)
    people = [p for p in roster.penalizable if p.team_id is not None]
    talks = []
    for _ in range(world.scaled(TALKS, minimum=30)):
        held = world.at(world.day(rng.randrange(world.days)), rng.randint(9, 16))
        with_team = rng.random() < 0.15
        follow_up = rng.random() < 0.5
        due = held.date() + datetime.timedelta(days=rng.randint(14, 45)) if follow_up else None
        done = follow_up and due < world.today and rng.random() < 0.8
        done_at = world.at(due - datetime.timedelta(days=rng.randint(0, 7)), 15) if done else None
        talks.append(
            TalkRecord(
                kind=rng.choice((TalkRecord.Kind.APPOINTMENT, TalkRecord.Kind.ADMONISHMENT)),
                staff_id=None if with_team else rng.choice(people).id,
                team_id=rng.choice(roster.team_ids) if with_team else None,
                held_at=held,
                conducted_by=roster.office_staff,
                reason=rng.choice(REASONS),
                summary=rng.choice(SUMMARIES),
                follow_up="班长每周检查其执行情况，一个月后复查。" if follow_up else "",
                follow_up_due=due,
                follow_up_done_at=done_at if done_at and done_at > held else None,
                follow_up_done_by=office if done_at and done_at > held else None,
                follow_up_note="经班长检查及录像抽查，已按要求整改。" if done_at and done_at > held else "",
                recorded_by=office,
                created_at=held,
                updated_at=done_at if done_at and done_at > held else held,
            )
        )
    world.insert(talks)
    revocations = []
    for _ in range(world.scaled(REVOCATIONS, minimum=20)):
        decided = world.at(world.day(rng.randrange(world.days)), rng.randint(9, 16))
        with_team = rng.random() < 0.2
        withdrawn = decided + datetime.timedelta(days=rng.randint(5, 60)) if rng.random() < 0.08 else None
        withdrawn = withdrawn if withdrawn and withdrawn < cutoff else None
        revocations.append(
            EligibilityRevocation(
                staff_id=None if with_team else rng.choice(people).id,
                team_id=rng.choice(roster.team_ids) if with_team else None,
                year=decided.year,
                reason="在规范化服务活动中消极应付，约见谈话后仍未按期整改，取消本年度评先评优资格。",
                decided_by=office,
                decided_at=decided,
                withdrawn_at=withdrawn,
                withdrawn_by=office if withdrawn else None,
                withdrawal_reason="复核发现已按期整改，恢复评先评优资格。" if withdrawn else "",
                created_at=decided,
                updated_at=withdrawn or decided,
            )
        )
    world.insert(revocations)
    world.insert(
        audit_entry(
            type(row),
            object_id=row.pk,
            object_repr=f"#{row.pk}",
            action=Action.CREATE,
            at=row.created_at,
            actor_id=office.pk,
        )
        for row in [*talks, *revocations]
    )
