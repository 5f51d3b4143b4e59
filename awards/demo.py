"""Two years of the campaign for the demo station (``manage.py seed_demo``).

- **Last year, decided**: the campaign with its phases and study records; the office nominated the
  two best-ranked teams and three service stars, the leadership group's leader approved them
  (frozen with their figures), the plaques were presented and the commendation circulated.
- **This year, open**: the campaign in its phases, most employees' study confirmed (team one's by
  its leader), a reminder sent to the others, and no nomination yet — so that the demo ``office``
  ranks and nominates and ``leader`` approves (``office``, the group office's director, also sits
  in the leadership group, and may not approve what it nominated).

The ranking needs inspections in effect. Where a year has none yet (the inspections module's own
demo data may bring them), a few routine checks of every team, covert visits and a supervisor's
report with his evaluations of the teams are recorded for it, through the inspections' services.
Everything goes through the services under a demo clock, so the audit trail and the figures are
real; a fixed random seed makes every run the same.
"""

from __future__ import annotations

import datetime
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from awards import selectors, services
from awards.models import AwardKind, Campaign, StudyRecord
from inspections import services as inspection_services
from inspections.models import Inspection, ItemResult, SupervisorTeamEvaluation
from tollservice.core.demo import DemoCalendar
from tollservice.roster.models import TEAM_ORDER, Staff, Station, Team

_SEED = 2026
BREACHES = ("JC-01", "JC-02", "JC-04", "JC-05", "JC-11")  # none of them a violation (PEN-1)
RATINGS = SupervisorTeamEvaluation.Rating
TEAM_CITATIONS = [
    "全年检查平均得分名列前茅，暗访无扣分，文明用语、唱收唱付执行到位，全年无属实投诉。",
    "班组管理规范，班前会和列队上下岗坚持得好，整改通知均按期完成，司乘评价良好。",
]
STAR_CITATIONS = [
    "坚持微笑服务和文明用语，耐心解释收费政策，全年无扣分、无投诉，多次受到司乘表扬。",
    "业务熟练，收费操作快捷准确，高峰时段主动协助疏导车辆，服务规范。",
    "热情周到，主动为司乘提供便民服务，服务态度受到监督员好评。",
]


@transaction.atomic
def seed(*, station: Station, stdout) -> None:
    """Load last year's decided campaign and this year's open one, unless there is a campaign."""
    if Campaign.objects.exists():
        stdout.write("Awards: already loaded.")
        return
    users = {
        u.username: u
        for u in get_user_model().objects.filter(username__in=["office", "leader", "supervisor", "teamleader"])
    }
    if len(users) < 4:
        stdout.write("Awards: the demo accounts are missing (seed the roster first); nothing loaded.")
        return
    demo = _Demo(station=station, users=users)
    this_year = timezone.localdate().year
    demo.decided_year(this_year - 1)
    demo.open_year(this_year)
    stdout.write(
        f"Awards: campaigns {this_year - 1} (decided, {len(demo.awarded)} awards) and {this_year} (open), "
        f"{StudyRecord.objects.count()} study records."
    )


class _Demo:
    def __init__(self, *, station: Station, users: dict):
        self.rng = random.Random(_SEED)
        self.office, self.leader = users["office"], users["leader"]
        self.supervisor, self.teamleader = users["supervisor"], users["teamleader"]
        self.teams = list(Team.objects.filter(station=station, active=True).order_by(*TEAM_ORDER))
        self.awarded = []

    # --- The figures the ranking reads ---------------------------------------------------------------

    def _inspections(self, clock: DemoCalendar) -> None:
        """Routine checks of every team every other month, and a covert visit to three teams."""
        if Inspection.objects.filter(shift_date__year=clock.year).exists():
            return
        for month in (3, 5, 7, 9, 11):
            for index, team in enumerate(self.teams):
                day = 4 + index * 3
                if clock.passed(month, day + 1):
                    self._inspection(clock, team, month, day, Inspection.Kind.OFFICE_ROUTINE)
        for index, team in enumerate(self.teams[:3]):
            if clock.passed(10, 12 + index):
                self._inspection(clock, team, 10, 10 + index, Inspection.Kind.SUPERVISOR_COVERT)
        if clock.passed(11, 30):
            with clock.at(11, 30, 16):
                inspection_services.supervisor_report_submit(
                    submitted_by=self.supervisor,
                    period_start=datetime.date(clock.year, 1, 1),
                    period_end=datetime.date(clock.year, 11, 30),
                    summary="全年明查暗访各班组，整体服务规范，个别人员文明用语不到位。",
                    evaluations=[
                        (
                            team,
                            self.rng.choice([RATINGS.EXCELLENT, RATINGS.GOOD, RATINGS.GOOD, RATINGS.FAIR]),
                            "服务规范。",
                        )
                        for team in self.teams
                    ],
                    suggestions="加强高峰时段的服务规范检查。",
                    penalty_suggestions="",
                    visits=[],
                )

    def _inspection(self, clock: DemoCalendar, team: Team, month: int, day: int, kind: str) -> None:
        author = self.supervisor if kind == Inspection.Kind.SUPERVISOR_COVERT else self.office
        members = list(team.members.filter(active=True).order_by("employee_number"))
        with clock.at(month, day, 15):
            inspection = inspection_services.inspection_start(
                created_by=author, kind=kind, occurred_at=clock.moment(month, day, 10), team=team
            )
            breached = dict.fromkeys(self.rng.sample(BREACHES, self.rng.choice((0, 1, 1, 2))))
            for code in breached:
                breached[code] = (self.rng.choice((1, 1, 2, 3)), self.rng.choice(members))
            results = []
            for item in inspection.checklist_version.items.order_by("order"):
                if item.code in breached:
                    occurrences, staff = breached[item.code]
                    results.append(
                        inspection_services.ResultInput(
                            item=item,
                            verdict=ItemResult.Verdict.BREACHED,
                            occurrences=occurrences,
                            staff=staff,
                            note="检查发现",
                        )
                    )
                else:
                    results.append(inspection_services.ResultInput(item=item, verdict=ItemResult.Verdict.COMPLIANT))
            inspection_services.inspection_results_save(inspection=inspection, saved_by=author, results=results)
            inspection = inspection_services.inspection_file(inspection=inspection, filed_by=author)
        if kind == Inspection.Kind.SUPERVISOR_COVERT:
            with clock.at(month, day + 1, 9):
                inspection_services.inspection_publish(inspection=inspection, published_by=self.office)

    # --- The campaign ------------------------------------------------------------------------------------

    def _campaign(self, clock: DemoCalendar) -> Campaign:
        month, day = (7, 20) if clock.passed(7, 20) else (timezone.localdate().month, timezone.localdate().day)
        with clock.at(month, day, 9):
            return services.campaign_open(year=clock.year, opened_by=self.office)

    def _study(self, clock: DemoCalendar, campaign: Campaign, *, left_out: int) -> None:
        """Most employees studied both documents in August; team one's leader confirmed his own team."""
        people = list(Staff.objects.filter(active=True).select_related("team").order_by("employee_number"))
        skipped = set(self.rng.sample([p.pk for p in people if p.team_id], left_out))
        team_one = self.teams[0].pk
        for day in range(3, 13):
            if not clock.passed(8, day):
                return
            batch = [p for p in people if p.pk not in skipped and p.pk % 10 == day % 10]
            own = [p for p in batch if p.team_id == team_one]
            others = [p for p in batch if p.team_id != team_one]
            with clock.at(8, day, 16):
                for confirmer, group in ((self.teamleader, own), (self.office, others)):
                    if group:
                        services.study_record(
                            campaign=campaign,
                            staff=group,
                            materials=StudyRecord.Material.values,
                            studied_on=datetime.date(clock.year, 8, day),
                            confirmed_by=confirmer,
                        )

    def decided_year(self, year: int) -> None:
        clock = DemoCalendar(year)
        self._inspections(clock)
        campaign = self._campaign(clock)
        self._study(clock, campaign, left_out=2)
        for kind, places, citations in (
            (AwardKind.GOLD_TEAM, 2, TEAM_CITATIONS),
            (AwardKind.SERVICE_STAR, 3, STAR_CITATIONS),
        ):
            selection = campaign.selections.get(kind=kind)
            with clock.at(12, 15):
                ranking = selectors.compute_ranking(selection=selection)
                chosen = [row for row in ranking.rows if row.rank is not None][:places]
                nominations = [
                    services.nomination_create(
                        selection=selection, nominated_by=self.office, candidate_id=row.key, citation=citation
                    )
                    for row, citation in zip(chosen, citations, strict=False)
                ]
            with clock.at(12, 20, 15):
                for nomination in nominations:
                    self.awarded.append(services.nomination_approve(nomination=nomination, approved_by=self.leader))
        with clock.at(12, 28, 11):
            for award in self.awarded:
                services.plaque_record(
                    award=award, recorded_by=self.office, presented_on=datetime.date(year, 12, 28), location="荣誉墙"
                )
        with clock.at(12, 30, 9):
            commendation = services.commendation_draft(campaign=campaign, drafted_by=self.office)
            services.commendation_publish(commendation=commendation, published_by=self.office)

    def open_year(self, year: int) -> None:
        clock = DemoCalendar(year)
        self._inspections(clock)
        campaign = self._campaign(clock)
        self._study(clock, campaign, left_out=6)
        if clock.passed(8, 13):
            with clock.at(8, 13, 9):
                services.study_remind(campaign=campaign, sent_by=self.office)
