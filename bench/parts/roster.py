"""The roster of the generated station.

The demo station comes first, through the roster services (``tollservice.roster.demo``): the
leadership group and its office, the finance office, supervisors and the demo accounts, so that
``office``, ``leader``, ``finance``, ``teamleader`` and ``staff1`` sign in with their real roles.
It is then grown in bulk to ``scale.staff`` people in ``scale.teams`` teams and eight
departments: every team has a leader and a deputy, every department a head; team leaders and one
collector in five have an account; a few people have left. Lanes and booths, and a shift leader
for every shift of the history, complete it.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from bench.generator import World, part
from bench.generator.audit import Action, audit_entry, created
from tollservice.roster import demo, services
from tollservice.roster.models import Booth, Department, Lane, ShiftLeaderAssignment, Staff, Station, Team

# Staff on a team; the others work in the departments.
IN_TEAMS = 0.85
LEFT = 0.03  # have left the station (inactive, with the date they left)
ACCOUNT_EVERY = 5  # one collector in five has a portal account
NEW_DEPARTMENTS = [
    ("稽查室", "稽查员"),
    ("机电维护室", "机电维护员"),
    ("安全保卫室", "安全员"),
    ("综合服务室", "服务员"),
]
# Surnames and given-name characters (data, not the demo's helper: a bench station may have
# far more people than distinct names).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢钟谭陆汪范金廖熊邹万"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红建文辉力斌"
    "宇浩凯鹏丹婷雪琳晨欣怡佳颖思雨涵晓俊志海波宁慧倩蕾燕亮峰鑫健蓉"
)
DIGITS = "零一二三四五六七八九"


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    team_id: int | None
    department_id: int
    user_id: int | None
    email: str  # on the roster: where a person without an account is told of a decision


@dataclass
class RosterFacts:
    """What the later parts need from the roster."""

    station: Station
    users: dict  # demo username → User: office, leader, deputy, finance, teamleader, staff1 …
    office_staff: Staff  # the office director, who conducts talks
    penalizable: list[Person]  # collectors and department staff, not the people who decide
    department_staff: list[Person]  # of those, the ones outside a team
    handling: list[tuple[Person, Person]]  # PEN-4: (handler, head of the handler's department)
    people: dict[int, Person]  # every active person, by id
    team_leaders: dict[int, int]  # team id → leader's staff id
    department_heads: dict[int, int]  # department id → head's staff id
    team_ids: list[int]
    leadership_user_ids: list[int]  # notified of what waits for the leadership group
    busy: Person  # staff1, whose "my penalties" gets many rows


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 21 → 二十一 (team names: 收费二十一班)."""
    tens, ones = divmod(n, 10)
    if n < 10:
        return DIGITS[n]
    return (DIGITS[tens] if tens > 1 else "") + "十" + (DIGITS[ones] if ones else "")


@part("roster", sources=("tollservice/roster/demo.py",))
def build(world: World) -> None:
    rng = world.rng("roster")
    station = demo.create_station()
    demo.seed(station=station, stdout=io.StringIO())
    password = PBKDF2PasswordHasher().encode(demo.DEMO_PASSWORD, "benchsalt2026")
    # The demo logins work when the portal runs on the file (make run's settings check PBKDF2).
    get_user_model().objects.update(password=password)

    toll = Department.objects.get(station=station, kind=Department.Kind.TOLL_OFFICE)
    new_departments = [
        services.department_create(actor=None, station=station, name=name, kind=Department.Kind.OTHER)
        for name, _position in NEW_DEPARTMENTS
    ]
    new_teams = [
        services.team_create(actor=None, name=f"收费{chinese_number(n)}班", department=toll, display_order=n * 10)
        for n in range(Team.objects.filter(station=station).count() + 1, world.scale.teams + 1)
    ]
    teams = list(Team.objects.filter(station=station).order_by("pk"))
    # Staff outside a team: the toll office's clerks, the general office, the monitoring room and
    # the new departments (never the finance office, whose members hold the finance role).
    desks = [
        (toll, "票证管理员"),
        (Department.objects.get(station=station, kind=Department.Kind.GENERAL_OFFICE), "综合管理员"),
        (Department.objects.get(station=station, name="监控室"), "监控员"),
        *zip(new_departments, [position for _name, position in NEW_DEPARTMENTS], strict=True),
    ]
    _grow_staff(world, rng, teams=teams, new_teams=new_teams, desks=desks, password=password)
    for team in new_teams:
        leader = team.members.order_by("employee_number").first()
        services.team_update(actor=None, team=team, name=team.name, department=toll, leader=leader, active=True)
    for department in new_departments:
        head = department.staff.filter(active=True).order_by("employee_number").first()
        services.department_update(
            actor=None,
            department=department,
            name=department.name,
            kind=department.kind,
            head=head,
            hotline="",
            active=True,
        )
    _lanes(world, station)
    _shift_leaders(world, teams=list(Team.objects.filter(station=station).order_by("pk")))
    world.facts["roster"] = _facts(station)
    world.meta["logins"] = {
        "office": "office",
        "leader": "leader",
        "deputy": "deputy",
        "finance": "finance",
        "teamleader": "teamleader",
        "staff": "staff1",
        "admin": "admin",
    }
    world.log(f"roster: {Staff.objects.count():,} staff in {len(teams)} teams")


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _grow_staff(world: World, rng, *, teams, new_teams, desks, password: str) -> None:
    User = get_user_model()
    to_add = max(0, world.scale.staff - Staff.objects.count())
    in_teams = round(to_add * IN_TEAMS)
    plans = []
    for index in range(to_add):
        number = f"BG{index + 1:06d}"
        # Each new team gets its leader and its deputy first; the members then go round all teams.
        if index < 2 * len(new_teams):
            team = new_teams[index % len(new_teams)]
            position, key = ("班长" if index < len(new_teams) else "副班长"), True
        elif index < in_teams:
            team, position, key = teams[index % len(teams)], "收费员", False
        else:
            team = None
            department, position = desks[(index - in_teams) % len(desks)]
            key = index - in_teams < len(desks)  # the first of each desk heads a new department
        department_id = team.department_id if team is not None else department.pk
        left = not key and rng.random() < LEFT
        account = not left and (key or (team is not None and index % ACCOUNT_EVERY == 0))
        joined = world.first_day - datetime.timedelta(days=rng.randint(30, 3650))
        email = f"{number.lower()}@changtai.invalid" if rng.random() < 0.3 else ""
        plans.append((number, _name(rng), team, department_id, position, left, account, joined, email))

    users = {}
    for chunk in _chunks([plan for plan in plans if plan[6]], 5_000):
        batch = [
            User(
                username=number.lower(),
                password=password,
                first_name=name,
                email=email,
                date_joined=world.at(joined, 9),
            )
            for number, name, *_rest, joined, email in chunk
        ]
        users.update((user.username, user.pk) for user in world.insert(batch))

    desk_names = {department.pk: department.name for department, _position in desks}
    for chunk in _chunks(plans, 5_000):
        staff = []
        for number, name, team, department_id, position, left, _account, joined, email in chunk:
            left_on = world.day(rng.randrange(world.days)) if left else None
            staff.append(
                Staff(
                    employee_number=number,
                    name=name,
                    position=position,
                    department_id=department_id,
                    team_id=team.pk if team is not None else None,
                    phone=rng.choice(("138", "139", "158", "187", "135")) + f"{rng.randrange(10**8):08d}",
                    email=email,
                    active=not left,
                    left_on=left_on,
                    user_id=users.get(number.lower()),
                    created_at=world.at(joined, 9),
                    updated_at=world.at(left_on or joined, 9),
                )
            )
        world.insert(staff)
        # staff_create's audit entry (the leaving, by staff_deactivate, is left out).
        world.insert(
            audit_entry(
                Staff,
                object_id=person.pk,
                object_repr=str(person),
                action=Action.CREATE,
                at=person.created_at,
                changes=created(
                    {
                        "employee_number": person.employee_number,
                        "name": person.name,
                        "position": person.position,
                        "department": desk_names.get(person.department_id, "征费室"),
                        "team": team.name if team is not None else "",
                        "phone": person.phone,
                        "email": person.email,
                        "active": "✓",
                    }
                ),
            )
            for person, (_number, _name_, team, *_rest) in zip(staff, chunk, strict=True)
        )


def _lanes(world: World, station: Station) -> None:
    if Lane.objects.filter(station=station).exists():
        return
    lanes = []
    for direction, prefix, heading in (
        (Lane.Direction.ENTRY, "1", "往南昌方向"),
        (Lane.Direction.EXIT, "2", "往九江方向"),
    ):
        for n in range(1, 9):
            kind = Lane.Kind.ETC if n <= 2 else (Lane.Kind.MIXED if n <= 5 else Lane.Kind.MANUAL)
            lanes.append(
                Lane(
                    station=station,
                    number=f"{prefix}{n:02d}",
                    direction=direction,
                    heading=heading,
                    kind=kind,
                    order=len(lanes),
                )
            )
    lanes = world.insert(lanes)
    world.insert(
        Booth(station=station, number=f"T{lane.number}", lane=lane) for lane in lanes if lane.kind != Lane.Kind.ETC
    )


def _shift_leaders(world: World, *, teams: list[Team]) -> None:
    """ORG-5: a shift leader for every shift of the history the demo did not cover."""
    taken = set(ShiftLeaderAssignment.objects.values_list("date", "shift"))
    shifts = [ShiftLeaderAssignment.Shift.NIGHT, ShiftLeaderAssignment.Shift.DAY, ShiftLeaderAssignment.Shift.MIDDLE]
    rows = []
    for offset in range(world.days):
        date = world.day(offset)
        for index, shift in enumerate(shifts):
            if (date, shift) in taken:
                continue
            team = teams[(date.toordinal() * 3 + index) % len(teams)]
            rows.append(ShiftLeaderAssignment(date=date, shift=shift, staff_id=team.leader_id, team=team))
    world.insert(rows)


def _facts(station: Station) -> RosterFacts:
    from tollservice.roster.models import LeadershipMembership

    User = get_user_model()
    users = {
        user.username: user for user in User.objects.filter(username__in=[login.username for login in demo.DEMO_LOGINS])
    }
    people = {
        row[0]: Person(*row)
        for row in Staff.objects.filter(active=True).values_list(
            "pk", "name", "team_id", "department_id", "user_id", "email"
        )
    }
    deciders = {
        user.staff_profile.pk for name, user in users.items() if name in {"office", "leader", "deputy", "finance"}
    }
    heads = dict(Department.objects.filter(station=station, head__isnull=False).values_list("pk", "head_id"))
    finance = set(Department.objects.filter(kind=Department.Kind.FINANCE).values_list("pk", flat=True))
    toll = set(Department.objects.filter(kind=Department.Kind.TOLL_OFFICE).values_list("pk", flat=True))
    excluded = deciders | set(heads.values())
    penalizable = [p for p in people.values() if p.id not in excluded and p.department_id not in finance]
    department_staff = [p for p in penalizable if p.team_id is None]
    handling = [
        (p, people[heads[p.department_id]])
        for p in department_staff
        if p.department_id in heads and p.department_id not in toll and heads[p.department_id] in people
    ]
    leadership = LeadershipMembership.objects.current().filter(staff__user__isnull=False, staff__active=True)
    return RosterFacts(
        station=station,
        users=users,
        office_staff=users["office"].staff_profile,
        penalizable=penalizable,
        department_staff=department_staff,
        handling=handling,
        people=people,
        team_leaders=dict(Team.objects.filter(station=station).values_list("pk", "leader_id")),
        department_heads=heads,
        team_ids=list(Team.objects.filter(station=station).order_by("pk").values_list("pk", flat=True)),
        leadership_user_ids=sorted(set(leadership.values_list("staff__user_id", flat=True))),
        busy=people[users["staff1"].staff_profile.pk],
    )


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
