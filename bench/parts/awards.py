"""Awards of the generated station (CAM-1, CAM-2, AWD-1, AWD-2): last year decided, this year open.

Both campaigns are opened through ``awards.services.campaign_open`` (the plan's phases, both
awards with the default places, rewards and weights). Study records (CAM-2) are written in bulk:
nearly everyone studied both documents last year; this year most have, in the study phase,
confirmed by the office or their team leader, and the office reminded a share of the others.
Last year's selection is decided: the office nominated from the ranking and the leadership group
approved (four eyes), each award with its numbered certificate and plaque and the figures frozen
at approval; a nomination or two were rejected. This year a few nominations wait for approval.
"""

from __future__ import annotations

import datetime

from awards import rules
from awards.models import Award, AwardKind, Nomination, Selection, StudyRecord, StudyReminder
from awards.services import campaign_open
from bench.generator import World, part
from bench.generator.audit import Action, audit_entry
from tollservice.roster.models import Team

STUDIED_LAST_YEAR, STUDIED_THIS_YEAR = 0.97, 0.8
REMINDED = 0.5  # of those who have not studied this year
CITATIONS = {
    AwardKind.GOLD_TEAM: "全年服务规范，检查平均得分位居前列，无有效投诉，整改按期完成。",
    AwardKind.SERVICE_STAR: "文明服务、唱收唱付规范，多次受到司机表扬，全年无违规记录。",
}


@part("awards", after=("roster",))
def build(world: World) -> None:
    roster = world.facts["roster"]
    rng = world.rng("awards")
    office, leader = roster.users["office"], roster.users["leader"]
    this_year = world.today.year
    campaigns = {year: campaign_open(year=year, opened_by=office) for year in (this_year - 1, this_year)}
    people = sorted(roster.people.values(), key=lambda p: p.id)
    for year, campaign in campaigns.items():
        share = STUDIED_LAST_YEAR if year < this_year else STUDIED_THIS_YEAR
        study = rules.default_phases(year)[0]
        records, reminders = [], []
        for person in people:
            if rng.random() >= share:
                if year == this_year and rng.random() < REMINDED:
                    sent = world.at(study.ends_on + datetime.timedelta(days=rng.randint(1, 20)), 9)
                    reach = StudyReminder.Reach.INBOX if person.user_id else StudyReminder.Reach.NONE
                    reminders.append(
                        StudyReminder(campaign=campaign, staff_id=person.id, sent_by=office, sent_at=sent, reach=reach)
                    )
                continue
            day = study.starts_on + datetime.timedelta(days=rng.randrange((study.ends_on - study.starts_on).days + 1))
            confirmed_by = roster.people.get(roster.team_leaders.get(person.team_id))
            confirmer = confirmed_by.user_id if confirmed_by and confirmed_by.user_id else office.pk
            for material in StudyRecord.Material.values:
                records.append(
                    StudyRecord(
                        campaign=campaign,
                        staff_id=person.id,
                        material=material,
                        studied_on=day,
                        confirmed_by_id=confirmer,
                        confirmed_at=world.at(day, 17),
                    )
                )
        world.insert(records)
        world.insert(reminders)
    selections = {
        (s.campaign.year, s.kind): s
        for s in Selection.objects.filter(campaign__in=campaigns.values()).select_related("campaign")
    }
    _decide(world, roster, selections, this_year - 1, office, leader, rng)
    _nominate(world, roster, selections, this_year, office, rng)
    world.meta["awards"] = {"campaigns": sorted(campaigns), "awards": Award.objects.count()}
    world.log(f"awards: {world.meta['awards']}")


def _candidates(roster, kind: str, rng, count: int) -> list[tuple[int | None, int | None]]:
    """(team_id, staff_id) of ``count`` candidates of ``kind``."""
    if kind == AwardKind.GOLD_TEAM:
        return [(team_id, None) for team_id in rng.sample(roster.team_ids, count)]
    members = [p for p in roster.penalizable if p.team_id is not None]
    return [(None, person.id) for person in rng.sample(members, count)]


def _decide(world: World, roster, selections, year: int, office, leader, rng) -> None:
    """Last year: nominated in December, approved a week later; one rejected per award."""
    teams = dict(Team.objects.values_list("pk", "name"))
    nominations, plans = [], []
    for kind in AwardKind.values:
        selection = selections[(year, kind)]
        candidates = _candidates(roster, kind, rng, selection.places + 1)
        for rank, (team_id, staff_id) in enumerate(candidates, start=1):
            nominated = world.at(datetime.date(year, 12, 10), 10, rank)
            approved = rank <= selection.places
            closed = nominated + datetime.timedelta(days=7)
            nominations.append(
                Nomination(
                    selection=selection,
                    team_id=team_id,
                    staff_id=staff_id,
                    citation=CITATIONS[kind],
                    rank_at_nomination=rank,
                    score_at_nomination=f"{98 - rank * 0.7:.2f}",
                    nominated_by=office,
                    nominated_at=nominated,
                    status=Nomination.Status.APPROVED if approved else Nomination.Status.REJECTED,
                    closed_by=leader,
                    closed_at=closed,
                    closing_reason="" if approved else "与其他候选相比事迹不够突出。",
                    created_at=nominated,
                    updated_at=closed,
                )
            )
            plans.append((selection, approved, rank))
    world.insert(nominations)
    awards = []
    sequences: dict[str, int] = {}
    for nomination, (selection, approved, _rank) in zip(nominations, plans, strict=True):
        if not approved:
            continue
        sequences[selection.kind] = sequences.get(selection.kind, 0) + 1
        team = nomination.team_id
        person = roster.people.get(nomination.staff_id)
        name = teams[team] if team else person.name
        awards.append(
            Award(
                nomination=nomination,
                selection=selection,
                kind=selection.kind,
                year=year,
                team_id=nomination.team_id,
                staff_id=nomination.staff_id,
                winner_name=name,
                team_name="" if team else teams.get(person.team_id, ""),
                citation=nomination.citation,
                certificate_number=rules.certificate_number(
                    year=year, kind=selection.kind, sequence=sequences[selection.kind]
                ),
                reward_fen=selection.reward_fen,
                figures={"composite": nomination.score_at_nomination, "weights": selection.weights, "measures": {}},
                approved_by=leader,
                approved_at=nomination.closed_at,
                plaque_number=rules.plaque_number(year=year, sequence=len(awards) + 1),
                plaque_inscription=f"{year}年度{selection.get_kind_display()}",
            )
        )
    world.insert(awards)
    world.insert(
        audit_entry(
            Award,
            object_id=award.pk,
            object_repr=str(award),
            action=Action.CREATE,
            at=award.approved_at,
            actor_id=leader.pk,
            summary="批准评选结果",
        )
        for award in awards
    )


def _nominate(world: World, roster, selections, year: int, office, rng) -> None:
    """This year: a few nominations waiting for the leadership group."""
    nominations = []
    for kind in AwardKind.values:
        selection = selections[(year, kind)]
        for rank, (team_id, staff_id) in enumerate(_candidates(roster, kind, rng, 2), start=1):
            nominated = world.at(world.today - datetime.timedelta(days=1), 10, rank)
            nominations.append(
                Nomination(
                    selection=selection,
                    team_id=team_id,
                    staff_id=staff_id,
                    citation=CITATIONS[kind],
                    rank_at_nomination=rank,
                    score_at_nomination=f"{97 - rank * 0.5:.2f}",
                    nominated_by=office,
                    nominated_at=nominated,
                    created_at=nominated,
                    updated_at=nominated,
                )
            )
    world.insert(nominations)


@part(
    "award_rankings",
    after=("awards", "inspections", "complaints", "penalties", "records"),
    sources=(
        "awards/rules.py",
        "awards/selectors/ranking.py",
        "awards/selectors/stored.py",
        "awards/services/rankings.py",
    ),
)
def rankings(world: World) -> None:
    """This year's stored rankings of both awards, as the nightly run leaves them
    (``awards.services.ranking_refresh``, the portal's one computation), once every module's
    records are in: the ranking page reads them."""
    from awards.services import ranking_refresh

    for kind in AwardKind.values:
        stored = ranking_refresh(year=world.today.year, kind=kind, trigger="schedule", today=world.today)
        world.log(f"award_rankings: {kind} {stored.candidates} candidates")
