"""A year of inspections for the demo station (``manage.py seed_demo``).

About a hundred inspections over the last twelve months, of every kind: the office's routine
checks, the leadership group's unannounced inspections (INS-1), the supervisor's open and covert
visits (INS-6) — published, one still awaiting review, one returned, one void, one flagged as a
revisit — and CCTV reviews. Findings get their outcomes (INS-2): critical suggestions, a few
penalties proposed through the penalty services, and rectification orders answered, verified,
returned and left overdue, so that one team is put to the office; appeals (upheld, rejected,
pending), supervisors' reports and their decisions (INS-7), and the station affairs meeting
circulars of the last two months (INS-3). The current month leaves two teams below the coverage
target, for the office's dashboard.

Everything goes through the services under the demo clock (``tollservice.core.demo``), so
scores, deductions, reminders, notifications and the audit trail are real. A fixed random seed
makes every run the same. The penalties proposed from findings fall in the penalties demo's year
(``penalties.demo.demo_year``), and the one veto breach is of the team that already lost that
year's award eligibility there, so the penalties demo keeps its figures.
"""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from inspections import services
from inspections.models import Inspection, InspectionSettings, ItemResult, RectificationOrder
from penalties.demo import demo_year
from tollservice.core.dates import month_start
from tollservice.core.demo import demo_clock
from tollservice.roster.models import Booth, Lane, Staff, Station, Team

Kind = Inspection.Kind
Verdict = ItemResult.Verdict
_SEED = 2024
UPHELD_REASONS = "调阅录像复核：录像证实申诉属实，撤销该问题。"
REJECTED_REASONS = "调阅录像复核：录像不能推翻检查结论，维持原检查结果。"
WEEKS = 52
# Codes of the default checklist a finding may name, by how often they come up; the violations
# (JC-07 … JC-12) can lead to a penalty.
COMMON = ["JC-01", "JC-02", "JC-02", "JC-03", "JC-04", "JC-05", "JC-06", "JC-11", "JC-01", "JC-02"]
GRAVE = ["JC-07", "JC-08", "JC-09", "JC-12"]
NOTES = {
    "JC-01": "未佩戴工号牌。",
    "JC-02": "未使用“您好”“请慢走”等文明用语。",
    "JC-03": "未唱收唱付。",
    "JC-04": "班前会未按时召开，交接班未列队。",
    "JC-05": "抽查车辆中有收费超时。",
    "JC-06": "排队超过五辆车，未及时开启备用车道。",
    "JC-07": "亭内吃东西。",
    "JC-08": "离开收费亭约十分钟未报告。",
    "JC-09": "在岗使用手机。",
    "JC-11": "收费亭台面杂物未清理。",
    "JC-12": "与司机言语顶撞。",
}


def seed(*, station: Station, stdout) -> None:
    """Load a year of inspections unless the database has inspections already (idempotent)."""
    if Inspection.objects.exists():
        stdout.write("Inspections: already loaded.")
        return
    User = get_user_model()
    users = {u.username: u for u in User.objects.filter(username__in=["office", "leader", "deputy", "supervisor"])}
    if len(users) < 4:
        stdout.write("Inspections: the demo accounts are missing (seed the roster first); nothing loaded.")
        return
    with transaction.atomic():
        _Demo(station=station, users=users, today=timezone.localdate()).run()
    stdout.write(
        f"Inspections: {Inspection.objects.count()} inspections, "
        f"{ItemResult.objects.findings().count()} findings, "
        f"{RectificationOrder.objects.count()} rectification orders."
    )


class _Demo:
    def __init__(self, *, station: Station, users: dict, today: datetime.date):
        self.rng = random.Random(_SEED)
        self.today = today
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
        self.penalty_year = demo_year(today)
        self.office, self.leader, self.deputy = users["office"], users["leader"], users["deputy"]
        self.supervisor = users["supervisor"]
        self.teams = list(Team.objects.filter(station=station, active=True).order_by("display_order", "name"))
        self.members = {
            team.pk: list(team.members.filter(active=True).order_by("employee_number")) for team in self.teams
        }
        self.booths = list(Booth.objects.filter(station=station, active=True).select_related("lane"))
        self.lanes = list(Lane.objects.filter(station=station, active=True))
        self.penalties_left = 3
        self.veto_done = False
        self.inspectors = [self.leader.staff_profile, self.deputy.staff_profile]

    # --- Helpers ------------------------------------------------------------------------------

    def at(self, day: datetime.date, hour: int = 10, minute: int = 0):
        """Run a step at that moment of ``day`` — or now, if that moment is still to come today (a
        demo loaded at 04:00 must not show an inspection closed at 08:00 or a notice sent at 07:00)."""
        moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)
        return demo_clock(min(moment, timezone.now()))

    def moment(self, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=self.zone)

    def collector(self, team: Team) -> Staff:
        return self.rng.choice(self.members[team.pk][1:])

    def results(self, inspection: Inspection, breaches: dict) -> list[services.ResultInput]:
        rows = []
        for item in inspection.checklist_version.items.order_by("order"):
            found = breaches.get(item.code)
            if found is None:
                not_applicable = inspection.kind == Kind.CCTV and item.code in ("JC-04", "JC-11")
                rows.append(
                    services.ResultInput(
                        item=item, verdict=Verdict.NOT_APPLICABLE if not_applicable else Verdict.COMPLIANT
                    )
                )
                continue
            occurrences, staff, grave = found
            rows.append(
                services.ResultInput(
                    item=item,
                    verdict=Verdict.BREACHED,
                    occurrences=occurrences,
                    staff=staff,
                    grave=grave and item.grave_deduction is not None,
                    note=NOTES.get(item.code, ""),
                )
            )
        return rows

    def breaches(self, team: Team, day: datetime.date) -> dict:
        draw = self.rng.random()
        count = 0 if draw < 0.45 else 1 if draw < 0.85 else 2
        found = {}
        for _ in range(count):
            serious = self.rng.random() < 0.25
            code = self.rng.choice(GRAVE if serious else COMMON)
            occurrences = 1 if serious else self.rng.choice([1, 1, 2, 3])
            staff = None if code in ("JC-04", "JC-06", "JC-11") else self.collector(team)
            found[code] = (occurrences, staff, code == "JC-06" and self.rng.random() < 0.5)
        return found

    def place(self, kind: str) -> dict:
        if kind == Kind.CCTV:
            return {"lane": self.rng.choice(self.lanes)}
        booth = self.rng.choice(self.booths)
        return {"booth": booth, "lane": booth.lane}

    # --- One inspection, through the services -----------------------------------------------------

    def inspect(self, *, kind: str, team: Team, day: datetime.date, hour: int, breaches=None, file=True):
        """Start, record and file an inspection at ``day``/``hour``; a supervisor's visit is filed
        that evening. Returns the inspection (a supervisor's visit not yet reviewed)."""
        occurred_at = self.moment(day, hour)
        by = {Kind.LEADERSHIP: self.leader, Kind.SUPERVISOR_OPEN: self.supervisor}.get(kind, self.office)
        if kind == Kind.SUPERVISOR_COVERT:
            by = self.supervisor
        extra = {"inspectors": self.inspectors} if kind == Kind.LEADERSHIP else {}
        if kind == Kind.CCTV:
            extra["vehicles_sampled"] = self.rng.choice([20, 30, 40])
        breaches = self.breaches(team, day) if breaches is None else breaches
        with self.at(day, hour, 40):
            inspection = services.inspection_start(
                created_by=by, kind=kind, occurred_at=occurred_at, team=team, **self.place(kind), **extra
            )
            services.inspection_results_save(
                inspection=inspection, saved_by=by, results=self.results(inspection, breaches)
            )
        if file:
            with self.at(day, 21 if kind in Inspection.SUPERVISOR_KINDS else hour + 1):
                inspection = services.inspection_file(inspection=inspection, filed_by=by)
        return inspection

    def publish(self, inspection: Inspection, day: datetime.date) -> Inspection:
        with self.at(day, 9, 30):
            return services.inspection_publish(inspection=inspection, published_by=self.office)

    # --- Outcomes ----------------------------------------------------------------------------------

    def settle(self, inspection: Inspection, day: datetime.date) -> None:
        """INS-2: an outcome for every finding of an inspection in effect, a week or more old:
        a suggestion, an order (answered and verified, or returned), or a penalty proposal."""
        findings = list(inspection.results.findings().select_related("item", "staff"))
        if not findings:
            with self.at(day + datetime.timedelta(days=2), 16):
                services.inspection_close(inspection=inspection, closed_by=self.office)
            return
        closable = True
        for finding in findings:
            item = finding.item
            penalty_ok = (
                item.is_violation
                and finding.staff_id
                and self.penalties_left
                and inspection.shift_date.year == self.penalty_year
                and 2 <= inspection.shift_date.month <= 10
            )
            with self.at(day + datetime.timedelta(days=1), 15):
                if penalty_ok:
                    self.penalties_left -= 1
                    services.finding_penalty_propose(finding=finding, proposed_by=self.office)
                    continue
                # Orders go to team leaders who answer them in the portal; the others get suggestions.
                answers = inspection.team.leader is not None and inspection.team.leader.user_id is not None
                if not answers or self.rng.random() < 0.45:
                    services.finding_suggest(
                        finding=finding, suggested_by=self.office, text="请班组加强教育，当事人写出书面检查。"
                    )
                    continue
                order = services.rectification_order_issue(
                    finding=finding,
                    issued_by=self.office,
                    instructions=f"针对“{item.title}”组织整改，班组长督促落实。",
                    deadline=day + datetime.timedelta(days=8),
                )
            answered = day + datetime.timedelta(days=self.rng.choice([3, 5, 7, 9]))
            with self.at(answered, 17):
                services.rectification_answer(
                    order=order, answered_by=inspection.team.leader.user, answer="已组织班组学习并整改到位。"
                )
            if self.rng.random() < 0.2:  # returned once, answered again, then verified
                with self.at(answered + datetime.timedelta(days=1), 10):
                    services.rectification_return(
                        order=order, returned_by=self.office, reasons="整改照片未体现整改结果，请补充。"
                    )
                answered += datetime.timedelta(days=3)
                with self.at(answered, 17):
                    services.rectification_answer(
                        order=order, answered_by=inspection.team.leader.user, answer="已补充整改照片。"
                    )
            with self.at(answered + datetime.timedelta(days=1), 10):
                services.rectification_verify(order=order, verified_by=self.office, note="现场复查，已整改。")
        if closable:
            with self.at(day + datetime.timedelta(days=12), 16):
                services.inspection_close(inspection=inspection, closed_by=self.office)

    # --- The year ----------------------------------------------------------------------------------

    def run(self) -> None:
        InspectionSettings.current()
        start = self.today - datetime.timedelta(days=7 * WEEKS)
        this_month = month_start(self.today)
        for week in range(WEEKS):
            monday = start + datetime.timedelta(days=7 * week)
            # Every other week the office's routine check and a covert visit; every third week the
            # leadership group; every fourth an open visit; every sixth a CCTV review.
            kinds = [Kind.OFFICE_ROUTINE, Kind.SUPERVISOR_COVERT] if week % 2 == 0 else [Kind.OFFICE_ROUTINE]
            kinds += [Kind.LEADERSHIP] if week % 3 == 1 else []
            kinds += [Kind.SUPERVISOR_OPEN] if week % 4 == 3 else []
            kinds += [Kind.CCTV] if week % 6 == 5 else []
            for index, kind in enumerate(kinds):
                day = monday + datetime.timedelta(days=self.rng.randrange(5))
                if day >= this_month - datetime.timedelta(days=3) or day >= self.today:
                    continue  # the weeks before this month; this month is seeded below
                team = self.teams[(week * 2 + index) % len(self.teams)]
                self.one(kind, team, day)
        self.veto()
        self.this_month()
        self.awaiting_verification()
        self.late_orders()
        self.appeals()
        self.reports()
        self.circulars()
        with self.at(self.today, 7):
            services.overdue_proposals_refresh(today=self.today)

    def one(self, kind: str, team: Team, day: datetime.date) -> Inspection:
        hour = self.rng.choice([9, 10, 14, 15, 19, 22] if kind == Kind.SUPERVISOR_COVERT else [9, 10, 14, 15])
        inspection = self.inspect(kind=kind, team=team, day=day, hour=hour)
        if inspection.needs_review:
            inspection = self.publish(inspection, day + datetime.timedelta(days=1))
        self.settle(inspection, day + datetime.timedelta(days=1))
        return inspection

    def veto(self) -> None:
        """A CCTV review finds a vehicle let through unpaid (一票否决) in the team that lost the
        year's award eligibility in the penalties demo; the collector is yet to be identified."""
        # Within the year seeded and the penalties' year, before this month.
        first = max(self.today - datetime.timedelta(days=7 * WEEKS - 3), datetime.date(self.penalty_year, 1, 10))
        day = min(datetime.date(self.penalty_year, 11, 12), month_start(self.today) - datetime.timedelta(days=1))
        if day < first:
            return
        team = self.teams[5]
        inspection = self.inspect(kind=Kind.CCTV, team=team, day=day, hour=15, breaches={"JC-99": (1, None, False)})
        with self.at(day + datetime.timedelta(days=1), 11):
            services.finding_suggest(
                finding=inspection.results.findings().get(),
                suggested_by=self.office,
                text="录像显示车辆未缴费通过，监控室核查当班收费员后按规定处理。",
            )

    def this_month(self) -> None:
        """This month so far: every team but two inspected (the dashboard's coverage); a covert visit
        of team one awaits review, another was returned, one is void; a revisit is flagged."""
        first = month_start(self.today)
        days = [first + datetime.timedelta(days=n) for n in range((self.today - first).days)] or [first]
        for index, team in enumerate(self.teams[:4]):
            day = days[min(index, len(days) - 1)]
            if day >= self.today:
                continue
            for kind in (Kind.OFFICE_ROUTINE, Kind.LEADERSHIP) if index < 2 else (Kind.OFFICE_ROUTINE,):
                inspection = self.inspect(kind=kind, team=team, day=day, hour=10 if kind == Kind.OFFICE_ROUTINE else 15)
                self.settle_recent(inspection, day)
        recent = self.today - datetime.timedelta(days=2)
        team1, team2, team3 = self.teams[0], self.teams[1], self.teams[2]
        # INS-6: awaiting the office's review, hidden from team one until published.
        self.inspect(
            kind=Kind.SUPERVISOR_COVERT,
            team=team1,
            day=recent,
            hour=20,
            breaches={"JC-09": (1, self.members[team1.pk][2], False)},
        )
        returned = self.inspect(
            kind=Kind.SUPERVISOR_COVERT, team=team2, day=recent - datetime.timedelta(days=3), hour=21
        )
        with self.at(recent - datetime.timedelta(days=2), 9):
            services.inspection_return(
                inspection=returned, returned_by=self.office, reasons="车道号与监控记录不符，请核对后重新提交。"
            )
        void = self.inspect(kind=Kind.SUPERVISOR_COVERT, team=team3, day=recent - datetime.timedelta(days=5), hour=19)
        with self.at(recent - datetime.timedelta(days=4), 9):
            services.inspection_void(
                inspection=void, voided_by=self.office, reason="监督员暗访时被当班人员认出，本次暗访作废。"
            )
        # The same supervisor again at team two within the minimum gap: flagged for the reviewer.
        revisit = self.inspect(kind=Kind.SUPERVISOR_OPEN, team=team2, day=recent - datetime.timedelta(days=1), hour=10)
        if revisit.revisit_warning:
            self.publish(revisit, recent)

    def awaiting_verification(self) -> None:
        """Team one's leader answered two orders yesterday: one waits for the office to verify it,
        the other the office returned this morning for more work."""
        yesterday = self.today - datetime.timedelta(days=1)
        team = self.teams[0]
        inspection = self.inspect(
            kind=Kind.OFFICE_ROUTINE,
            team=team,
            day=yesterday,
            hour=9,
            breaches={"JC-11": (1, None, False), "JC-04": (1, None, False)},
        )
        for finding, returned in zip(inspection.results.findings().select_related("item"), (False, True), strict=True):
            with self.at(yesterday, 11):
                order = services.rectification_order_issue(
                    finding=finding,
                    issued_by=self.office,
                    instructions=f"针对“{finding.item.title}”组织整改，拍照上报。",
                    deadline=self.today + datetime.timedelta(days=5),
                )
            with self.at(yesterday, 18):
                services.rectification_answer(order=order, answered_by=team.leader.user, answer="已整改并拍照留存。")
            if returned:
                with self.at(self.today, 8):
                    services.rectification_return(
                        order=order, returned_by=self.office, reasons="照片看不出整改结果，请补充班前会记录。"
                    )

    def settle_recent(self, inspection: Inspection, day: datetime.date) -> None:
        """Findings of this month: orders still running, due in the coming days."""
        for finding in inspection.results.findings():
            with self.at(day, 17):
                services.rectification_order_issue(
                    finding=finding,
                    issued_by=self.office,
                    instructions=f"针对“{finding.item.title}”组织整改。",
                    deadline=max(self.today + datetime.timedelta(days=2), day + datetime.timedelta(days=7)),
                )

    def late_orders(self) -> None:
        """Team three leaves two orders of last month unanswered past their deadline: overdue, and
        the team is put to the office (INS-4 / INS-5)."""
        team = self.teams[2]
        last_month = month_start(month_start(self.today) - datetime.timedelta(days=1))
        for offset in (3, 10):
            day = last_month + datetime.timedelta(days=offset)
            if day >= self.today:
                continue
            inspection = self.inspect(
                kind=Kind.OFFICE_ROUTINE,
                team=team,
                day=day,
                hour=10,
                breaches={"JC-11": (1, None, False), "JC-04": (1, None, False)},
            )
            for finding in inspection.results.findings():
                with self.at(day, 16):
                    services.rectification_order_issue(
                        finding=finding,
                        issued_by=self.office,
                        instructions="限期整改并上报整改照片。",
                        deadline=day + datetime.timedelta(days=5),
                    )

    def appeals(self) -> None:
        """INS-6: team one's leader appeals findings of published visits: one upheld, one rejected,
        one awaiting a decision."""
        team = self.teams[0]
        leader_user = team.leader.user
        collector = self.members[team.pk][3]
        for days_ago, decision in ((40, "upheld"), (25, "rejected"), (2, None)):
            day = self.today - datetime.timedelta(days=days_ago + 1)
            visit = self.inspect(
                kind=Kind.SUPERVISOR_OPEN, team=team, day=day, hour=11, breaches={"JC-02": (2, collector, False)}
            )
            self.publish(visit, day + datetime.timedelta(days=1))
            finding = visit.results.findings().get()
            with self.at(day + datetime.timedelta(days=2), 15):
                appeal = services.appeal_lodge(
                    finding=finding, lodged_by=leader_user, grounds="车道录像显示当事人已使用文明用语，请复核。"
                )
            if decision:
                with self.at(day + datetime.timedelta(days=5), 10):
                    services.appeal_decide(
                        appeal=appeal,
                        decided_by=self.leader,
                        decision=decision,
                        reasons="调阅录像复核。"
                        + ("录像证实申诉属实，撤销该问题。" if decision == "upheld" else "录像不能推翻检查结论。"),
                    )

    def reports(self) -> None:
        """INS-6 / INS-7: the supervisor's monthly written reports and the leadership group's decisions."""
        for months_ago, decision in ((3, "accepted"), (2, "partly"), (1, None)):
            end = month_start(self.today)
            for _ in range(months_ago - 1):
                end = month_start(end - datetime.timedelta(days=1))
            end = end - datetime.timedelta(days=1)
            start = month_start(end)
            visits = list(
                Inspection.objects.filter(
                    supervisor__user=self.supervisor, shift_date__range=(start, end), status__in=Inspection.EFFECTIVE
                )
            )
            teams = {visit.team for visit in visits} or {self.teams[0]}
            submitted = end + datetime.timedelta(days=2)
            if submitted >= self.today:
                submitted = self.today - datetime.timedelta(days=1)
            with self.at(submitted, 16):
                report = services.supervisor_report_submit(
                    submitted_by=self.supervisor,
                    period_start=start,
                    period_end=end,
                    summary="本月明查暗访总体情况良好，窗口服务规范化水平稳步提升，个别班组文明用语和唱收唱付仍有欠缺。",
                    evaluations=[
                        (team, self.rng.choice(["excellent", "good", "good", "fair"]), "服务态度较好，着装规范。")
                        for team in sorted(teams, key=lambda t: t.display_order)
                    ],
                    suggestions="建议加强高峰期备用车道的开启管理。",
                    penalty_suggestions="",
                    visits=visits,
                )
            if decision:
                with self.at(submitted + datetime.timedelta(days=6), 10):
                    services.supervisor_report_decide(
                        report=report,
                        decided_by=self.leader,
                        decision=decision,
                        actions="领导小组会议研究，责成征费室督促相关班组整改，纳入月度考核。",
                    )

    def circulars(self) -> None:
        """INS-3: the circulars of the last two months, published at the start of the next."""
        first = month_start(self.today)
        for _ in range(2):
            end = first - datetime.timedelta(days=1)
            start = month_start(end)
            with self.at(first, 9):
                circular = services.meeting_circular_draft(
                    created_by=self.office,
                    period_start=start,
                    period_end=end,
                    title=f"{start.year}年{start.month}月所务会通报",
                    remarks="请各班组对照通报问题逐项整改，班组长负责督促落实。",
                )
                services.meeting_circular_publish(circular=circular, published_by=self.office)
            first = start
