"""A year of complaints for the demo station (``manage.py seed_demo``).

About forty complaints from January to November through every channel — the web form (from a
lane's poster), phone calls, letters, drivers at the window, transfers by the duty leader, the
media and 12328/12345 work orders — most of them answered, visited and closed; duplicates of one
incident linked to their primary; upheld verdicts with apologies and PEN-3 penalties (one decided);
a PEN-4 pair for a missed limit; an extension; a wait on the driver; dissatisfied drivers whose
review reopened one complaint and upheld the handling of another; a voided entry; and a few
November complaints still open and past their limits. The lanes (if the roster has none), the
departments' published methods (CMP-10) come with it.

Everything goes through the services under the demo clock (``tollservice.core.demo``), so the
ledger numbers, timelines, notifications, reminders and the audit trail are real.
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from complaints import services
from complaints.models import Complaint, DepartmentComplaintMethod
from penalties import services as penalty_services
from tollservice.core.demo import DemoCalendar, demo_year
from tollservice.roster.demo import seed_lanes
from tollservice.roster.models import Department, Lane, Staff, Station, Team

Channel = Complaint.Channel
Category = Complaint.Category

STORIES = {
    Category.ATTITUDE: "收费员态度生硬，我询问收费标准时不耐烦，还催我快走。",
    Category.CHARGING: "通行费比平时多收了十五元，收费员没有解释原因。",
    Category.DELAY: "人工车道只开了一个，排队二十多分钟。",
    Category.FACILITIES: "ETC车道栏杆不抬杆，后面车辆一直按喇叭。",
    Category.OTHER: "收费亭附近的指示牌看不清，差点走错车道。",
}
REPLIES = {
    "upheld": "经调阅监控核实，您反映的情况属实。我们已当面向您致歉，并对当事收费员进行了批评教育和处理。",
    "partly_upheld": "经核实，您反映的情况部分属实。我们已向您说明情况并致歉，相关问题已整改。",
    "not_upheld": "经调阅监控和收费记录核实，收费员按规定操作，收费标准无误。感谢您的监督。",
}


@transaction.atomic
def seed(*, station: Station, stdout) -> None:
    """Load the demo year of complaints unless the database has complaints already (idempotent)."""
    if Complaint.objects.exists():
        stdout.write("Complaints: already loaded.")
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["office", "teamleader", "leader"])}
    if len(users) < 3:
        stdout.write("Complaints: the demo accounts are missing (seed the roster first); nothing loaded.")
        return
    _Demo(station=station, users=users, year=demo_year(timezone.localdate())).run()
    stdout.write(
        f"Complaints: {Complaint.objects.count()} registered, {Complaint.objects.exclude(primary=None).count()} "
        f"linked as duplicates, {Complaint.objects.open().count()} open, {Lane.objects.count()} lanes."
    )


class _Demo:
    def __init__(self, *, station: Station, users: dict, year: int):
        self.station = station
        self.cal = DemoCalendar(year)
        self.office, self.teamleader, self.leader = users["office"], users["teamleader"], users["leader"]
        self.teams = list(Team.objects.filter(station=station).order_by("pk"))
        self.members = [list(team.members.filter(active=True).order_by("employee_number")) for team in self.teams]
        self.lanes = self._lanes()
        self.phones = (f"13{n % 10}{(n * 7919) % 100000000:08d}" for n in itertools.count(11))
        self.work_orders = itertools.count(1)

    def _lanes(self) -> list[Lane]:
        seed_lanes(self.station)  # the roster's demo lanes, unless the station has its own
        return list(Lane.objects.filter(station=self.station, active=True).order_by("order", "number"))

    # --- Helpers ------------------------------------------------------------------------------------

    def at(self, month, day, hour=10, minute=0):
        return self.cal.at(month, day, hour, minute)

    def moment(self, month, day, hour=10, minute=0) -> datetime.datetime:
        return self.cal.moment(month, day, hour, minute)

    def collector(self, team: int, index: int = 2) -> Staff:
        return self.members[team - 1][index]

    def register(self, month, day, *, channel=Channel.PHONE, category=Category.ATTITUDE, team=1, lane=0, **kwargs):
        """A complaint about an incident an hour and a half before it reached the station."""
        incident = kwargs.pop("incident_at", None) or self.moment(month, day, 8, 30)
        by = kwargs.pop("by", self.office)
        defaults = {
            "category": category,
            "description": STORIES[category],
            "incident_at": incident,
            "phone": next(self.phones),
            "lane": self.lanes[lane % len(self.lanes)],
            "plate": kwargs.pop("plate", f"赣A{month:02d}{day:02d}{lane}"),
        }
        with self.at(month, day, 10):
            if channel == Channel.WEB:
                defaults.pop("incident_at")
                return services.complaint_submit_online(incident_at=incident, **defaults, **kwargs).complaint
            details = {"team": self.teams[team - 1]}
            if channel == Channel.HOTLINE:
                details |= {
                    "work_order_centre": kwargs.pop("centre", Complaint.Centre.HOTLINE_12328),
                    "work_order_number": f"GD{self.cal.year}{next(self.work_orders):05d}",
                    "work_order_deadline": self.moment(month, day, 10) + datetime.timedelta(days=5),
                }
            elif channel == Channel.MEDIA:
                details |= {"media_outlet": "江西交通广播", "media_date": self.cal.day(month, day)}
            elif channel == Channel.DUTY_LEADER:
                details |= {"duty_leader": self.leader.staff_profile}
            return services.complaint_register(
                registered_by=by, channel=channel, **defaults, **details, **kwargs
            ).complaint

    def investigate(self, complaint, month, day, *, outcome="upheld", fault="station", staff=None, by=None):
        by = by or complaint.owner or self.office
        staff = staff or self.collector(1)
        with self.at(month, day, 9):
            if complaint.owner_id is None:
                services.complaint_take_up(complaint=complaint, by=by)
            services.complaint_contact_record(complaint=complaint, by=by, method="phone", note="已联系司机了解情况")
        with self.at(month, day, 14):
            services.complaint_subjects_set(complaint=complaint, by=by, staff=[staff])
            services.complaint_statement_record(
                complaint=complaint, by=by, staff=staff, account="当时车流量大，解释不够耐心。"
            )
        with self.at(month, day + 1, 10):
            services.complaint_verdict_record(
                complaint=complaint,
                by=by,
                outcome=outcome,
                fault=fault,
                findings="调阅车道监控录像和收费记录核实。",
                cctv_reference=f"CAM-{complaint.lane.number if complaint.lane_id else '00'}",
                lane=complaint.lane,
                staff_involved=[staff],
                staff_at_fault=[staff] if outcome != "not_upheld" and fault in ("station", "both") else [],
            )
            if fault in ("station", "both") and outcome != "not_upheld":
                services.complaint_apology_record(
                    complaint=complaint, by=by, apologised_by=staff, role="person_concerned", method="phone"
                )
        return complaint

    def answer(self, complaint, month, day, *, outcome="upheld", by=None):
        by = by or complaint.owner or self.office
        extra = {}
        if complaint.is_work_order:
            extra = {
                "facts": "情况属实。",
                "handling": "已致歉并批评教育当事人。",
                "grounds": "收费所规范化服务实施方案。",
            }
        with self.at(month, day, 16):
            return services.complaint_answer(complaint=complaint, by=by, reply=REPLIES[outcome], **extra)

    def visit(self, complaint, month, day, result="satisfied", *, close=True, by=None):
        by = by or complaint.owner or self.office
        with self.at(month, day, 10):
            services.complaint_return_visit_record(complaint=complaint, by=by, result=result, method="phone")
        if close and result != "dissatisfied":
            with self.at(month, day, 11):
                services.complaint_close(complaint=complaint, by=by)

    def full(self, month, day, *, outcome="upheld", fault="station", result="satisfied", **kwargs):
        """Registered, investigated, answered two days later, visited and closed."""
        staff = kwargs.pop("staff", None)
        complaint = self.register(month, day, **kwargs)
        self.investigate(complaint, month, day + 1, outcome=outcome, fault=fault, staff=staff)
        complaint = self.answer(complaint, month, day + 3, outcome=outcome)
        self.visit(complaint, month, day + 5, result)
        return complaint

    # --- The year ------------------------------------------------------------------------------------

    def run(self) -> None:
        self.methods()
        channels = [Channel.PHONE, Channel.WEB, Channel.LETTER, Channel.IN_PERSON, Channel.HOTLINE]
        categories = list(Category.values)
        outcomes = [("upheld", "station"), ("not_upheld", "none"), ("partly_upheld", "both"), ("not_upheld", "driver")]
        results = ["satisfied", "basically", "satisfied", "satisfied"]
        n = 0
        for month in range(1, 11):
            for day in (6, 17):
                outcome, fault = outcomes[n % len(outcomes)]
                self.full(
                    month,
                    day,
                    channel=channels[n % len(channels)],
                    category=categories[n % len(categories)],
                    outcome=outcome,
                    fault=fault,
                    result=results[n % len(results)],
                    team=n % len(self.teams) + 1,
                    lane=n,
                    staff=self.collector(n % len(self.teams) + 1, 2 + n % 3),
                )
                n += 1
        self.other_channels()
        self.duplicates()
        self.penalties()
        self.reviews()
        self.extension_and_pause()
        self.voided()
        self.open_and_overdue()

    def methods(self) -> None:
        """CMP-10: the toll-collection and general offices publish their method and hotline."""
        texts = {
            "征费室": "受理后24小时内与投诉人联系，5个工作日内答复；当班负责人现场协调，征费室主任负责复核。",
            "办公室": "接待来信来访，登记后转领导小组办公室办理，并跟踪答复情况。",
        }
        for department in Department.objects.filter(station=self.station, name__in=texts):
            if DepartmentComplaintMethod.objects.filter(department=department).exists():
                continue
            with self.at(1, 3, 9):
                services.department_method_set(
                    actor=self.office,
                    department=department,
                    method=texts[department.name],
                    hotline=department.hotline or "0791-83751235",
                    published=True,
                )

    def other_channels(self) -> None:
        """The duty leader's transfer and a media report, both upheld."""
        self.full(3, 10, channel=Channel.DUTY_LEADER, category=Category.DELAY, lane=2, team=2, staff=self.collector(2))
        self.full(
            6, 10, channel=Channel.MEDIA, category=Category.CHARGING, lane=5, team=3, outcome="partly_upheld",
            fault="both", staff=self.collector(3),
        )  # fmt: skip

    def duplicates(self) -> None:
        """CMP-1: one incident complained of through the web form and the 12328 hotline; another by
        phone and in person. Each is investigated and answered once, on its primary."""
        primary = self.register(4, 8, channel=Channel.WEB, category=Category.ATTITUDE, lane=4, plate="赣A88888")
        hotline = self.register(
            4, 8, channel=Channel.HOTLINE, category=Category.ATTITUDE, lane=4, plate="赣A88888", team=2
        )
        with self.at(4, 8, 15):
            services.complaint_link_duplicate(
                complaint=hotline, primary=primary, by=self.office, reason="同一车辆同一时段"
            )
        self.investigate(primary, 4, 9, staff=self.collector(2, 3))
        primary = self.answer(primary, 4, 11)
        with self.at(4, 11, 17):  # the linked order's own report to its centre, once the incident is answered
            services.complaint_work_order_report(
                complaint=hotline, by=self.office, facts="情况属实。", handling="已致歉。", grounds="规范化服务准则。"
            )
        self.visit(primary, 4, 13)
        hotline.refresh_from_db()
        self.visit(hotline, 4, 13, "basically")

        phone = self.register(8, 19, category=Category.CHARGING, lane=6, plate="赣C66666", team=4)
        at_window = self.register(
            8, 19, channel=Channel.IN_PERSON, category=Category.CHARGING, lane=6, plate="赣C66666"
        )
        with self.at(8, 19, 15):
            services.complaint_link_duplicate(complaint=at_window, primary=phone, by=self.office, reason="同一事件")
        self.investigate(phone, 8, 20, outcome="not_upheld", fault="none", staff=self.collector(4))
        phone = self.answer(phone, 8, 22, outcome="not_upheld")
        self.visit(phone, 8, 24)
        at_window.refresh_from_db()
        self.visit(at_window, 8, 24)

    def penalties(self) -> None:
        """PEN-3 from two upheld complaints (one decided by the office in November: the finance
        office has closed its books through October), and a PEN-4 pair for a complaint answered
        after its limit."""
        for month, team, decide in ((5, 5, False), (9, 6, True)):
            staff = self.collector(team, 4)
            complaint = self.register(month, 12, category=Category.ATTITUDE, team=team, lane=month)
            self.investigate(complaint, month, 13, staff=staff)
            with self.at(month, 14, 16):
                link = services.complaint_penalty_propose(
                    complaint=complaint, proposed_by=self.office, staff=staff, fine_fen=30000
                )
            if decide:
                with self.at(11, 10, 10):
                    penalty_services.penalty_decide(
                        penalty=link.penalty, decided_by=self.office, reasons="投诉经查属实，情节一般。"
                    )
            complaint = self.answer(complaint, month, 15)
            self.visit(complaint, month, 18)

        late = self.register(7, 1, category=Category.DELAY, team=3, lane=3, by=self.teamleader)
        self.investigate(late, 7, 14, outcome="partly_upheld", fault="both", staff=self.collector(3, 5))
        late = self.answer(late, 7, 16)
        self.visit(late, 7, 17)
        with self.at(7, 20, 10):
            services.complaint_handling_violation_propose(
                complaint=late,
                proposed_by=self.office,
                handler=self.teamleader.staff_profile,
                handler_fine_fen=20000,
                head_fine_fen=20000,
                description="投诉受理后未按时限答复，超期一周。",
            )

    def reviews(self) -> None:
        """Dissatisfied drivers: one review reopens the complaint (handled again and closed), the
        other finds that the handling stands."""
        reopened = self.register(9, 3, category=Category.CHARGING, team=2, lane=1)
        self.investigate(reopened, 9, 4, outcome="not_upheld", fault="none", staff=self.collector(2))
        reopened = self.answer(reopened, 9, 7, outcome="not_upheld")
        self.visit(reopened, 9, 9, "dissatisfied")
        with self.at(9, 10, 15):
            services.complaint_review_decide(
                review=reopened.reviews.get(),
                by=self.office,
                reopen_case=True,
                reasons="未调取入口车道记录，需重新核查。",
            )
        reopened.refresh_from_db()
        with self.at(9, 11, 10):
            services.complaint_verdict_record(
                complaint=reopened,
                by=self.office,
                outcome="partly_upheld",
                fault="both",
                findings="补查入口记录：计费里程有误，已退还差额。",
                staff_involved=[self.collector(2)],
                staff_at_fault=[self.collector(2)],
            )
            services.complaint_apology_record(
                complaint=reopened,
                by=self.office,
                apologised_by=self.members[1][0],
                role="team_leader",
                method="phone",
            )
        reopened = self.answer(reopened, 9, 11, outcome="partly_upheld")
        self.visit(reopened, 9, 14, "satisfied")

        stands = self.register(10, 9, category=Category.DELAY, team=4, lane=2)
        self.investigate(stands, 10, 10, outcome="not_upheld", fault="none", staff=self.collector(4))
        stands = self.answer(stands, 10, 13, outcome="not_upheld")
        self.visit(stands, 10, 15, "dissatisfied")
        with self.at(10, 16, 15):
            services.complaint_review_decide(
                review=stands.reviews.get(),
                by=self.office,
                reopen_case=False,
                reasons="监控显示排队属节假日高峰，处理得当。",
            )
        with self.at(10, 17, 9):
            services.complaint_close(complaint=stands, by=self.office, note="复核维持原处理意见")

    def extension_and_pause(self) -> None:
        """A complex case extended (approved by the leadership), and one that waited on the driver."""
        complex_case = self.register(10, 20, channel=Channel.HOTLINE, category=Category.CHARGING, team=5, lane=7)
        with self.at(10, 21, 10):
            extension = services.complaint_extension_request(
                complaint=complex_case,
                by=self.office,
                reason="需调取多个收费站的通行记录",
                new_due=self.cal.day(10, 31),
            )
        with self.at(10, 21, 15):
            services.complaint_extension_decide(extension=extension, by=self.leader, approve=True)
        self.investigate(complex_case, 10, 27, outcome="not_upheld", fault="none", staff=self.collector(5))
        complex_case = self.answer(complex_case, 10, 30, outcome="not_upheld")
        self.visit(complex_case, 11, 2, "basically")

        waiting = self.register(11, 3, channel=Channel.WEB, category=Category.FACILITIES, lane=6)
        with self.at(11, 3, 14):
            services.complaint_take_up(complaint=waiting, by=self.teamleader)
            services.complaint_pause(
                complaint=waiting,
                by=self.teamleader,
                reason="请司机提供行驶证照片",
                request_to_driver="请补充车辆照片。",
            )
        with self.at(11, 5, 9):
            services.complaint_resume(complaint=waiting, by=self.teamleader, note="司机电话补充了情况")

    def voided(self) -> None:
        mistake = self.register(2, 14, category=Category.OTHER, lane=1)
        with self.at(2, 14, 11, 30):
            services.complaint_void(complaint=mistake, by=self.office, reason="误将咨询登记为投诉")

    def open_and_overdue(self) -> None:
        """November: complaints still open, past their limits (the dashboard and reminders show them)."""
        self.register(11, 12, channel=Channel.WEB, category=Category.DELAY, lane=3)  # nobody took it up
        escalated = self.register(11, 13, category=Category.ATTITUDE, team=1, lane=0, by=self.teamleader)
        with self.at(11, 14, 9):
            services.complaint_contact_record(complaint=escalated, by=self.teamleader, method="phone")
            services.complaint_escalate(complaint=escalated, by=self.teamleader, reason="司机情绪激动，要求领导处理")
        waiting_visit = self.register(11, 16, channel=Channel.HOTLINE, category=Category.CHARGING, team=2, lane=5)
        self.investigate(waiting_visit, 11, 17, outcome="upheld", staff=self.collector(2, 5))
        self.answer(waiting_visit, 11, 19)
