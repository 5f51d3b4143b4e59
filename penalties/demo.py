"""A year of penalties for the demo station (``manage.py seed_demo``).

About twenty penalties from January to November across the rules — PEN-1 violations, a PEN-2
repeat approved by the leadership group and one still waiting, PEN-3 verified complaints (one
with suspension, one whose dismissal was rejected), a PEN-4 pair — with collections, a waiver
approved by two people (one of the leadership group), a pending waiver, a corrected receipt, a
revocation, a withdrawn proposal, talks (INS-4), a loss of award eligibility (INS-5), circulars,
a policy change, and the books closed month by month through October.

Everything goes through the services, so events, notifications, the audit trail and the ledger
are real. The services stamp each step with ``timezone.now()``; to spread the steps over the
year the seeder runs each one under a demo clock set to that step's moment
(``tollservice.core.clock.clock_at``). The
calendar is fixed: the demo year is the last one whose calendar (up to 20 November) has passed,
so when seeded in late 2026 it is 2026.
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from inspections.models import Prohibition, ServiceProvision
from penalties import services
from penalties.models import LedgerEntry, Penalty
from tollservice.core.clock import clock_at as _clock
from tollservice.roster.models import Department, Staff, Station, Team

Rule = Penalty.Rule
Source = Penalty.Source
LAST_DAY = (11, 20)  # the calendar's last step: 20 November


def demo_year(today: datetime.date) -> int:
    """The last year whose demo calendar has passed entirely."""
    return today.year if today >= datetime.date(today.year, *LAST_DAY) + datetime.timedelta(days=1) else today.year - 1


class _Calendar:
    def __init__(self, year: int):
        self.year = year
        self.zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)

    def day(self, month: int, day: int) -> datetime.date:
        return datetime.date(self.year, month, day)

    def at(self, month: int, day: int, hour: int = 10, minute: int = 0):
        return _clock(datetime.datetime(self.year, month, day, hour, minute, tzinfo=self.zone))


@transaction.atomic
def seed(*, station: Station, stdout) -> None:
    """Load the demo year of penalties unless the database has penalties already (idempotent)."""
    if Penalty.objects.exists():
        stdout.write("Penalties: already loaded.")
        return
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__in=["office", "leader", "finance"])}
    if len(users) < 3:
        stdout.write("Penalties: the demo accounts are missing (seed the roster first); nothing loaded.")
        return
    _Demo(station=station, users=users, year=demo_year(timezone.localdate())).run()
    stdout.write(
        f"Penalties: {Penalty.objects.count()} penalties, {LedgerEntry.objects.count()} ledger entries, "
        f"{LedgerEntry.objects.filter(kind=LedgerEntry.Kind.COLLECTED).count()} receipts."
    )


class _Demo:
    def __init__(self, *, station: Station, users: dict, year: int):
        self.cal = _Calendar(year)
        self.office, self.leader, self.finance = users["office"], users["leader"], users["finance"]
        teams = list(Team.objects.filter(station=station).order_by("pk"))
        # Each team's members: the leader, the deputy leader, then the collectors (roster demo order).
        self.members = [list(team.members.filter(active=True).order_by("employee_number")) for team in teams]
        self.monitoring = Department.objects.get(station=station, name="监控室")
        self.provision = {p.code: p for p in ServiceProvision.objects.active()}
        self.receipts = iter(range(1, 100))

    # --- Helpers ----------------------------------------------------------------------------

    def member(self, team: int, index: int) -> Staff:
        return self.members[team - 1][index]

    def receipt(self) -> str:
        return f"CW{self.cal.year}-{next(self.receipts):04d}"

    def violation(self, staff, incident: tuple[int, int], codes: list[str], description: str, **kwargs) -> Penalty:
        """PEN-1: a service-code violation found by an inspection, proposed the day after."""
        month, day = incident
        with self.cal.at(month, day + 1 if day < 28 else day, 9):
            return services.penalty_propose(
                proposed_by=self.office,
                staff=staff,
                rule=Rule.SERVICE_CODE,
                source=kwargs.pop("source", Source.INSPECTION_FINDING),
                incident_date=self.cal.day(month, day),
                description=description,
                provisions=[self.provision[code] for code in codes],
                **kwargs,
            )

    def complaint(self, staff, incident: tuple[int, int], fine: int, reference: str, description: str, **kwargs):
        """PEN-3: a verified complaint, proposed once verified."""
        month, day = incident
        with self.cal.at(month, day + 2 if day < 27 else day, 15):
            return services.penalty_propose(
                proposed_by=self.office,
                staff=staff,
                rule=Rule.COMPLAINT,
                source=Source.VERIFIED_COMPLAINT,
                source_reference=reference,
                incident_date=self.cal.day(month, day),
                description=description,
                fine_fen=fine * 100,
                **kwargs,
            )

    def decide(self, penalty: Penalty, on: tuple[int, int], reasons: str = "", **kwargs) -> Penalty:
        with self.cal.at(*on, 16):
            return services.penalty_decide(penalty=penalty, decided_by=self.office, reasons=reasons, **kwargs)

    def collect(self, penalty: Penalty, on: tuple[int, int], *, amount: int | None = None, receipt: str = ""):
        with self.cal.at(*on, 11):
            return services.fine_collect(
                penalty=penalty,
                collected_by=self.finance,
                receipt_number=receipt or self.receipt(),
                amount_fen=amount * 100 if amount is not None else None,
            )

    # --- The year -----------------------------------------------------------------------------

    def run(self) -> None:
        at = self.cal.at
        staff1, staff2 = self.member(1, 2), self.member(1, 3)
        staff3 = self.member(2, 2)
        office_staff = self.office.staff_profile

        # January: two violations found by inspections, both paid.
        p1 = self.violation(staff1, (1, 8), ["LNG-01"], "早班督查发现该员工收费时未使用“您好”“请慢走”等文明用语。")
        self.decide(p1, (1, 10), "经查看车道监控录像，情况属实。")
        self.collect(p1, (1, 20))
        p2 = self.violation(
            self.member(2, 3), (1, 15), ["DRS-01", "DRS-02"], "不定期检查发现该员工上岗未着制服外套、未佩戴工号牌。"
        )
        self.decide(p2, (1, 17))
        self.collect(p2, (1, 26))

        # February: a violation formally waived, with two approvers, one of the leadership group.
        p3 = self.violation(
            self.member(3, 2), (2, 3), ["SRV-05"], "夜班督查发现该员工离开收费亭约十分钟，未按规定报告。"
        )
        self.decide(p3, (2, 5), "当事人承认脱岗，系接听家属急诊电话。")
        with at(2, 10):
            waiver = services.waiver_request(
                penalty=p3,
                requested_by=self.office,
                reason="当事人脱岗系因家属突发重病送医，情有可原；经征费室集体研究，申请免予罚款，保留处分记录。",
            )
        with at(2, 11):
            services.waiver_approve(waiver=waiver, approved_by=self.finance, note="财务室核实无异议。")
        with at(2, 12):
            services.waiver_approve(waiver=waiver, approved_by=self.leader, note="同意免予罚款。")

        # March: a policy change; a triple violation paid in two parts; a verified complaint (PEN-3).
        with at(3, 2, 9):
            services.penalty_policy_change(
                changed_by=self.leader,
                base_fine_fen=20000,
                complaint_fine_min_fen=20000,
                complaint_fine_max_fen=50000,
                repeat_fine_max_fen=150000,
                year_start_month=1,
                note="领导小组会议决定：年内重复违规按“十不准”处理的罚款上限调整为1500元。",
            )
        p4 = self.violation(
            staff2,
            (3, 5),
            ["SRV-01", "SRV-02", "LNG-01"],
            "暗访发现该员工车辆驶近时未起身、未唱收唱付，且未使用文明用语。",
        )
        self.decide(p4, (3, 7))
        self.collect(p4, (3, 20), amount=300)
        p5 = self.complaint(
            self.member(4, 4),
            (3, 18),
            300,
            f"TS-{self.cal.year}-007",
            "司机来电投诉该员工找零时态度生硬、语带讽刺，经调取录音录像核实属实。",
        )
        p5 = self.decide(p5, (3, 23), "投诉属实，造成不良影响。")
        with at(3, 28):
            services.circular_publish(circular=p5.circular, published_by=self.office)
        self.collect(p5, (4, 2))
        self.collect(p4, (4, 15), amount=300)

        # April: a second violation in the year (PEN-2), escalated and decided by the leadership group.
        p6 = self.violation(staff1, (4, 9), ["LNG-02"], "督查发现该员工解释通行费标准时语气不耐烦，与司机发生争执。")
        p6 = self.decide(p6, (4, 11))
        with at(4, 16, 15):
            services.penalty_approve(
                penalty=p6,
                approved_by=self.leader,
                reasons="年内第二次违反服务规范，且与司机发生争执，按“十不准”第一条处理。",
                prohibitions=[Prohibition.objects.get(number=1)],
                fine_fen=50000,
                disciplinary_action=True,
            )
        with at(4, 20, 14):
            talk = services.talk_record(
                recorded_by=self.office,
                kind="admonishment",
                held_at=timezone.now(),
                conducted_by=office_staff,
                staff=staff1,
                reason="年内两次违反规范化服务准则，整改不积极。",
                summary="指出两次违规的问题和影响，要求当事人认真学习文明用语规范，写出书面检查。",
                follow_up="班长每周检查其文明用语执行情况，一个月后复查。",
                follow_up_due=self.cal.day(5, 20),
            )
        self.collect(p6, (4, 28))
        with at(5, 18):
            services.talk_follow_up_complete(
                talk=talk, completed_by=self.office, note="经班长四次检查及录像抽查，文明用语使用规范，已提交书面检查。"
            )

        # May: a complaint mishandled so that it grew (PEN-4): the handler and the department head.
        handler = self.monitoring.staff.filter(active=True).exclude(pk=self.monitoring.head_id).order_by("pk").first()
        with at(5, 14):
            p7, p8 = services.penalty_propose_handling_violation(
                proposed_by=self.office,
                handler=handler,
                department=self.monitoring,
                incident_date=self.cal.day(5, 12),
                description="受理司机电话投诉后未登记、未按程序上报，司机多次投诉无果后向媒体反映，造成不良社会影响。",
                handler_fine_fen=30000,
                head_fine_fen=20000,
                source_reference=f"TS-{self.cal.year}-019",
            )
        p7, p8 = self.decide(p7, (5, 15)), self.decide(p8, (5, 15))
        with at(5, 20):  # drafted when the second of the pair was decided, naming both
            services.circular_publish(circular=p8.circular, published_by=self.office)
        self.collect(p7, (5, 29))

        # June: a team that does not respond actively (INS-4) and loses award eligibility (INS-5).
        team6 = self.member(6, 0).team
        with at(6, 10, 15):
            services.talk_record(
                recorded_by=self.office,
                kind="appointment",
                held_at=timezone.now(),
                conducted_by=office_staff,
                team=team6,
                reason="班组对督查发现的问题整改敷衍，多次督查同类问题重复出现。",
                summary="约见班长及全班人员，通报督查情况，要求限期整改。",
                follow_up="班组提交书面整改报告，征费室年底前复查。",
                follow_up_due=self.cal.day(12, 15),
            )
        with at(6, 15):
            services.eligibility_revoke(
                decided_by=self.office,
                year=self.cal.year,
                team=team6,
                reason="班组在规范化服务活动中消极应付，约见谈话后仍未按期整改，取消本年度评先评优资格。",
            )
        p9 = self.violation(staff3, (6, 6), ["ENV-01"], "检查发现收费亭台面摆放私人物品，未按定置图摆放。")
        self.decide(p9, (6, 8))
        p10 = self.violation(
            self.member(6, 3), (6, 20), ["SIG-03", "DRS-02"], "检查发现服务承诺牌未摆放，工号牌被遮挡。"
        )
        self.decide(p10, (6, 22))
        self.collect(p10, (7, 2))

        # July: a verified complaint with suspension, approved by the leadership group (PEN-3).
        p11 = self.complaint(
            self.member(2, 4),
            (7, 8),
            500,
            f"TS-{self.cal.year}-031",
            "司机投诉该员工拒绝解释收费标准并与其争吵，视频在网络传播，经核实属实。",
            suspension=True,
        )
        p11 = self.decide(p11, (7, 10), "投诉属实，社会影响恶劣，建议待岗学习一个月。")
        with at(7, 14, 15):
            services.penalty_approve(
                penalty=p11, approved_by=self.leader, reasons="同意征费室意见：罚款500元，待岗学习一个月。"
            )
        self.collect(p11, (7, 30))

        # August: a proposal withdrawn, and a penalty revoked by a new decision.
        p12 = self.violation(self.member(1, 4), (8, 3), ["LNG-01"], "督查记录显示该员工未使用文明用语。")
        with at(8, 5):
            services.penalty_withdraw(
                penalty=p12,
                withdrawn_by=self.office,
                reasons="复核录像时发现记录的车道号有误，该员工当时已使用文明用语。",
            )
        p13 = self.violation(self.member(3, 3), (8, 19), ["SRV-03"], "检查发现车道拥堵，单车操作时间超过规定。")
        self.decide(p13, (8, 21))
        with at(8, 28):
            services.penalty_revoke(
                penalty=p13,
                revoked_by=self.office,
                reasons="复核发现拥堵系车道设备故障所致，并非人为原因，撤销该处分。",
            )

        # September: a receipt recorded with the wrong number, corrected by a reversal.
        p14 = self.violation(self.member(5, 2), (9, 9), ["DRS-03"], "检查发现该员工上岗仪容不符合规范。")
        self.decide(p14, (9, 11))
        wrong = self.collect(p14, (9, 18))
        with at(9, 19, 9):
            services.ledger_entry_reverse(
                entry=wrong, reversed_by=self.finance, reason="收据号录入错误，冲销后按正确收据号重新登记。"
            )
        self.collect(p14, (9, 19))

        # September: a dismissal the leadership group did not approve (PEN-3).
        p15 = self.complaint(
            self.member(4, 2),
            (9, 22),
            500,
            f"TS-{self.cal.year}-044",
            "司机投诉该员工多收通行费后拒不退还，经核实系操作失误，已退还。",
            dismissal=True,
        )
        self.decide(p15, (9, 24))
        with at(9, 28, 15):
            services.penalty_reject(
                penalty=p15,
                rejected_by=self.leader,
                reasons="系操作失误且已退还，情节尚不足以解除劳动合同；请征费室按一般投诉重新提出。",
            )

        # October: a violation still outstanding; a second violation waiting for the leadership group.
        p16 = self.violation(
            self.member(4, 3), (10, 14), ["SRV-01", "LNG-04"], "暗访发现迎送手势不规范，接听咨询电话未报单位名称。"
        )
        self.decide(p16, (10, 16))
        p17 = self.violation(staff2, (10, 27), ["SRV-05"], "夜班督查发现该员工当班期间玩手机。")
        self.decide(p17, (10, 29), "年内第二次违规，提请领导小组按“十不准”处理。")

        # November: proposals awaiting the office; a collection; a waiver awaiting its second approver.
        self.complaint(
            self.member(6, 4),
            (11, 3),
            200,
            f"TS-{self.cal.year}-052",
            "司机来信投诉该员工服务态度冷淡，经核实部分属实。",
        )
        self.violation(self.member(1, 5), (11, 11), ["ENV-02"], "检查发现车道及收费亭周边有杂物未清理。")
        p20 = self.violation(self.member(3, 4), (11, 6), ["LNG-01"], "督查发现该员工未使用文明用语。")
        self.decide(p20, (11, 10))
        self.collect(p20, (11, 20))
        p21 = self.violation(self.member(2, 5), (11, 13), ["SIG-02"], "检查发现车道收费公示牌内容未及时更新。")
        self.decide(p21, (11, 16))
        with at(11, 18):
            waiver = services.waiver_request(
                penalty=p21,
                requested_by=self.finance,
                reason="公示牌更新由站务统一负责，当事人非责任人，申请免予罚款。",
            )
        with at(11, 19):
            services.waiver_approve(waiver=waiver, approved_by=self.office, note="征费室核实属实。")

        # Month-end: the finance office closed the books of each month up to October once it had
        # reconciled them, early in the following month (PEN-5).
        for month in range(1, 11):
            with at(month + 1, 5, 16):
                services.ledger_period_close(
                    month=self.cal.day(month, 1), closed_by=self.finance, note="已与财务总账核对一致。"
                )
