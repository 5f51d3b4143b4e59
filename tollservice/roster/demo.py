"""The demo station's roster (``manage.py seed_demo``).

A realistic expressway toll station: four departments, six toll-collection teams, about sixty
staff with Chinese names, the leadership group and its office (ORG-1, ORG-2), finance staff,
supervisors (ORG-6) and shift leaders for the last thirty and the next seven days (ORG-5).
Everything is written through the roster services, so the audit trail starts with the demo,
and a fixed random seed makes every run produce the same station.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tollservice.roster import services
from tollservice.roster.models import (
    Department,
    LeadershipMembership,
    OfficeMembership,
    ShiftLeaderAssignment,
    Staff,
    Station,
    Supervisor,
)

DEMO_PASSWORD = "demo-pass-2026"
STATION = {
    "name": "昌泰高速公路收费所",
    "code": "changtai",
    "address": "江西省南昌市新建区昌泰高速公路K12+300",
    "hotline": "0791-83751234",
}
_SEED = 2023
# Common surnames and given-name characters, in two halves to keep the lines short.
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
_SURNAMES += "彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金廖熊邹万"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉力斌"
_GIVEN += "宇浩凯鹏丹婷雪琳晨欣怡佳颖思雨涵晓俊志海波宁慧倩蕾燕亮峰鑫健蓉"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Promise  # shown on the sign-in page (under DEBUG) and printed by seed_demo
    team: str = ""
    is_superuser: bool = False

    def __str__(self) -> str:
        return f"{self.role} · {self.team}" if self.team else str(self.role)


# The one list of the demo accounts: seed_demo makes them (the roster entries they belong to are
# made below) and prints them, and the sign-in page lists them when DEBUG is on.
DEMO_LOGINS = [
    DemoLogin("admin", _("System administrator"), is_superuser=True),
    DemoLogin("leader", _("Leader of the leadership group")),
    DemoLogin("deputy", _("Deputy leader of the leadership group")),
    DemoLogin("office", _("Director of the group office (concurrent post)")),
    DemoLogin("finance", _("Finance office")),
    DemoLogin("teamleader", _("Team leader"), team="收费一班"),
    DemoLogin("supervisor", _("Supervisor")),
    DemoLogin("staff1", _("Toll collector"), team="收费一班"),
    DemoLogin("staff2", _("Toll collector"), team="收费一班"),
    DemoLogin("staff3", _("Toll collector"), team="收费二班"),
]
DEMO_USERNAMES = tuple(login.username for login in DEMO_LOGINS)


class _Names:
    """Distinct, realistic Chinese names from a fixed random sequence."""

    def __init__(self, rng: random.Random):
        self.rng, self.used = rng, set()

    def __call__(self) -> str:
        while True:
            given = "".join(self.rng.choice(_GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
            name = self.rng.choice(_SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name


def create_station() -> Station:
    return services.station_create(actor=None, **STATION)


@transaction.atomic
def seed(*, station: Station, stdout) -> None:
    """Load the demo roster into ``station`` unless it already has departments (idempotent)."""
    if station.departments.exists():
        stdout.write("Roster: already loaded.")
        return
    rng = random.Random(_SEED)
    name = _Names(rng)
    today = timezone.localdate()
    numbers = iter(range(1, 1000))

    def phone() -> str:
        return rng.choice(("138", "139", "158", "187", "135")) + "".join(rng.choice("0123456789") for _ in range(8))

    def person(department: Department, position: str, *, team=None, fixed_name: str | None = None) -> Staff:
        employee_number = f"CT{next(numbers):04d}"
        return services.staff_create(
            actor=None,
            employee_number=employee_number,
            name=fixed_name or name(),
            position=position,
            department=department,
            team=team,
            phone=phone(),
            # So the demo's notifications are also emailed (as files in var/mail/ under make run).
            email=f"{employee_number.lower()}@changtai.invalid",
        )

    def department(dept_name: str, kind: str, hotline: str = "") -> Department:
        return services.department_create(actor=None, station=station, name=dept_name, kind=kind, hotline=hotline)

    toll = department("征费室", Department.Kind.TOLL_OFFICE, "0791-83751235")
    finance = department("财务室", Department.Kind.FINANCE, "0791-83751236")
    general = department("办公室", Department.Kind.GENERAL_OFFICE, "0791-83751237")
    monitoring = department("监控室", Department.Kind.OTHER, "0791-83751238")

    # Station leadership sits in the general office.
    head = person(general, "所长")
    deputies = [person(general, "副所长"), person(general, "副所长")]
    general_head = person(general, "办公室主任")
    clerks = [person(general, "文员"), person(general, "综合管理员")]

    toll_head = person(toll, "征费室主任")
    toll_deputy = person(toll, "征费室副主任")
    inspectors = [person(toll, "稽查员"), person(toll, "稽查员")]
    person(toll, "票证管理员")

    finance_head = person(finance, "财务室主任")
    accountant = person(finance, "会计")
    person(finance, "出纳")

    monitoring_head = person(monitoring, "监控室主任")
    for _index in range(4):
        person(monitoring, "监控员")

    team_names = ["收费一班", "收费二班", "收费三班", "收费四班", "收费五班", "收费六班"]
    teams, team_members = [], {}
    for position, team_name in enumerate(team_names, start=1):
        # Listed 一班, 二班, 三班 … (by display order; their names alone would sort 一, 三, 二 …).
        team = services.team_create(actor=None, name=team_name, department=toll, display_order=position * 10)
        leader = person(toll, "班长", team=team)
        team = services.team_update(
            actor=None, team=team, name=team.name, department=toll, leader=leader, active=True, display_order=None
        )
        members = [leader, person(toll, "副班长", team=team)]
        members += [person(toll, "收费员", team=team) for _ in range(5)]
        teams.append(team)
        team_members[team.pk] = members

    for dept, dept_head in (
        (general, general_head),
        (toll, toll_head),
        (finance, finance_head),
        (monitoring, monitoring_head),
    ):
        services.department_update(
            actor=None,
            department=dept,
            name=dept.name,
            kind=dept.kind,
            head=dept_head,
            hotline=dept.hotline,
            active=True,
        )

    # ORG-1: the leadership group, with one former member so that its history shows.
    group_start = datetime.date(today.year - 2, 8, 1)
    Role = LeadershipMembership.Role
    former = person(general, "副所长")
    services.leadership_membership_add(actor=None, staff=former, role=Role.DEPUTY, start_date=group_start)
    services.staff_deactivate(actor=None, staff=former, left_on=datetime.date(today.year - 1, 6, 30))
    services.leadership_membership_add(actor=None, staff=head, role=Role.LEADER, start_date=group_start)
    services.leadership_membership_add(actor=None, staff=deputies[0], role=Role.DEPUTY, start_date=group_start)
    services.leadership_membership_add(
        actor=None, staff=deputies[1], role=Role.DEPUTY, start_date=datetime.date(today.year - 1, 7, 1)
    )
    for member in (toll_head, finance_head, general_head, monitoring_head, toll_deputy):
        services.leadership_membership_add(actor=None, staff=member, role=Role.MEMBER, start_date=group_start)

    # ORG-2: its office, seated in the toll-collection office, directed concurrently by that office's head.
    services.office_membership_add(
        actor=None, staff=toll_head, role=OfficeMembership.Role.DIRECTOR, start_date=group_start, concurrent=True
    )
    for member in (toll_deputy, *inspectors, clerks[0]):
        services.office_membership_add(
            actor=None, staff=member, role=OfficeMembership.Role.MEMBER, start_date=group_start
        )

    # ORG-6: supervisors with two-year terms; one whose term has ended.
    term_start = datetime.date(today.year - 1, 8, 1)
    supervisors = [
        services.supervisor_create(
            actor=None,
            name=name(),
            organisation=organisation,
            phone=phone(),
            pass_number=f"CTJD-{term_start.year}-{index:03d}",
            email=f"ctjd{index:03d}@changtai.invalid",
            term_start=term_start,
            term_end=datetime.date(term_start.year + 2, 7, 31),
        )
        for index, organisation in enumerate(
            ["南昌市人大代表", "江西交通广播 记者", "昌泰物流有限公司 驾驶员代表"], start=1
        )
    ]
    services.supervisor_create(
        actor=None,
        name=name(),
        organisation="新建区消费者协会",
        phone=phone(),
        pass_number=f"CTJD-{term_start.year - 2}-004",
        term_start=datetime.date(term_start.year - 2, 8, 1),
        term_end=datetime.date(term_start.year, 7, 31),
    )

    # ORG-5: shift leaders, three shifts a day, the teams taking turns.
    shifts = [ShiftLeaderAssignment.Shift.NIGHT, ShiftLeaderAssignment.Shift.DAY, ShiftLeaderAssignment.Shift.MIDDLE]
    for offset in range(-30, 8):
        date = today + datetime.timedelta(days=offset)
        for index, shift in enumerate(shifts):
            team = teams[(date.toordinal() * 3 + index) % len(teams)]
            leader, deputy = team_members[team.pk][:2]
            services.shift_leader_assignment_create(
                actor=None, date=date, shift=shift, staff=leader if date.toordinal() % 3 else deputy, team=team
            )

    accounts = {
        "leader": head,
        "deputy": deputies[0],
        "office": toll_head,
        "finance": accountant,
        "teamleader": team_members[teams[0].pk][0],
        "supervisor": supervisors[0],
        "staff1": team_members[teams[0].pk][2],
        "staff2": team_members[teams[0].pk][3],
        "staff3": team_members[teams[1].pk][2],
    }
    User = get_user_model()
    for login in DEMO_LOGINS:
        if login.is_superuser:
            if not User.objects.filter(username=login.username).exists():
                User.objects.create_superuser(login.username, f"{login.username}@changtai.invalid", DEMO_PASSWORD)
        else:
            services.account_link(
                actor=None, person=accounts[login.username], username=login.username, password=DEMO_PASSWORD
            )

    stdout.write(
        f"Roster: {Staff.objects.filter(active=True).count()} staff in {len(teams)} teams, "
        f"{Supervisor.objects.count()} supervisors, {ShiftLeaderAssignment.objects.count()} shift-leader assignments."
    )
