"""The rows of the penalties' lives planned by ``bench.parts.penalties``, as the services write
them: the penalty, its provisions and prohibitions, its steps, circulars and accountability, the
audit trail and the notifications; the money goes through ``_ledger_rows``."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from bench.generator import World
from bench.generator.audit import Action, audit_entry, created
from bench.parts._ledger_rows import REVOKED_BECAUSE, Ledger
from penalties.models import (
    AccountabilityRecord,
    Circular,
    LedgerEntry,
    Penalty,
    PenaltyEvent,
    PenaltyProhibition,
    PenaltyProvision,
)
from tollservice.core.money import format_yuan
from tollservice.core.text import join_sentences
from tollservice.notifications.models import Notification
from tollservice.roster.models import Department, Team

CHUNK = 5_000
Kind = LedgerEntry.Kind
Status = Penalty.Status
Event = PenaltyEvent.Kind

VIOLATION_TEXTS = [
    "早班督查发现该员工收费时未使用“您好”“请慢走”等文明用语。",
    "不定期检查发现该员工上岗未着制服外套、未佩戴工号牌。",
    "夜班督查发现该员工离开收费亭约十分钟，未按规定报告。",
    "暗访发现该员工车辆驶近时未起身、未唱收唱付。",
    "督查发现该员工解释通行费标准时语气不耐烦，与司机发生争执。",
    "检查发现收费亭台面摆放私人物品，未按定置图摆放。",
    "检查发现服务承诺牌未摆放，工号牌被遮挡。",
    "检查发现车道拥堵，单车操作时间超过规定。",
    "检查发现该员工上岗仪容不符合规范。",
    "夜班督查发现该员工当班期间玩手机。",
    "暗访发现迎送手势不规范，接听咨询电话未报单位名称。",
    "检查发现车道及收费亭周边有杂物未清理。",
]
COMPLAINT_TEXTS = [
    "司机来电投诉该员工找零时态度生硬、语带讽刺，经调取录音录像核实属实。",
    "司机投诉该员工拒绝解释收费标准并与其争吵，经核实属实。",
    "司机来信投诉该员工服务态度冷淡，经核实部分属实。",
    "司机投诉该员工多收通行费后拒不退还，经核实系操作失误，已退还。",
    "旅客投诉该员工在车道内大声喧哗、言语不文明，经核实属实。",
]
HANDLING_TEXTS = [
    "受理司机电话投诉后未登记、未按程序上报，司机多次投诉无果后向媒体反映，造成不良社会影响。",
    "对转办的投诉未在规定时限内答复，投诉人再次投诉至上级单位。",
]


class Writer:
    def __init__(self, world: World, roster, rng):
        self.world, self.roster, self.rng = world, roster, rng
        self.cutoff = world.at(world.today, 0)
        users = roster.users
        self.office, self.finance = users["office"], users["finance"]
        self.leadership = (users["leader"], users["deputy"])
        self.leadership_ids = roster.leadership_user_ids
        self.units = dict(Team.objects.values_list("pk", "name")) | {
            -pk: name for pk, name in Department.objects.values_list("pk", "name")
        }
        self.audit: list = []
        self.notes: list = []
        self.urls: dict[str, str] = {}
        self.ledger = Ledger(self)

    # --- One chunk of penalties ---------------------------------------------------------------

    def write(self, plans: list) -> None:
        self._circulars(plans)
        # A PEN-4 head's penalty points at the handler's (written first, maybe in an earlier chunk).
        for heads in (False, True):
            group = [p for p in plans if p.is_head == heads]
            for plan, row in zip(group, self.world.insert(self._penalty(p) for p in group), strict=True):
                plan.pk = row.pk
                self._audit_penalty(plan, row)
        self._links(plans)
        self._events(plans)
        self.ledger.write(plans)
        self._accountability(plans)
        self.flush()

    def flush(self) -> None:
        """Write the audit entries and notifications gathered so far."""
        self.world.insert(self.audit, batch_size=5_000)
        self.world.insert(self.notes, batch_size=5_000)
        self.audit, self.notes = [], []

    def close_months(self) -> None:
        self.ledger.close_months()

    @property
    def closed_through(self) -> datetime.date | None:
        return self.ledger.closed_through

    def _moment(self, start: datetime.datetime, low: int, high: int) -> datetime.datetime:
        """A working hour ``low`` to ``high`` days after ``start``."""
        day = timezone.localdate(start) + datetime.timedelta(days=self.rng.randint(low, high))
        return max(
            start + datetime.timedelta(minutes=5), self.world.at(day, self.rng.randint(9, 16), self.rng.randrange(60))
        )

    def _url(self, name: str, pk: int) -> str:
        """``reverse(name, args=[pk])``, without resolving the pattern for every row."""
        if name not in self.urls:
            self.urls[name] = reverse(name, args=[987654321])
        return self.urls[name].replace("987654321", str(pk))

    def _repr(self, plan) -> str:
        return f"#{plan.pk} {plan.staff.name} · {Penalty.Rule(plan.rule).label} · {plan.incident}"

    def _penalty(self, plan) -> Penalty:
        decided = plan.status not in (Status.PROPOSED, Status.WITHDRAWN)
        last = max(
            m for m in (plan.proposed_at, plan.decided_at if decided else None, plan.settled_at, plan.revoked_at) if m
        )
        return Penalty(
            staff_id=plan.staff.id,
            team_id=plan.staff.team_id,
            department_id=plan.staff.department_id,
            rule=plan.rule,
            source=plan.source,
            source_reference=plan.reference,
            incident_date=plan.incident,
            description=plan.description,
            status=plan.status,
            policy=plan.policy,
            eligibility_year=plan.year or plan.incident.year,
            fine_fen=plan.fine,
            suspension=plan.suspension,
            dismissal=plan.dismissal,
            disciplinary_action=plan.disciplinary,
            escalated=plan.escalated,
            joint_with_id=plan.pair.members[0].pk if plan.is_head else None,
            responsible_head_id=plan.responsible_head_id,
            circular_id=plan.circular.pk if plan.circular is not None else None,
            proposed_by=self.office,
            decided_by=self.office if decided else None,
            decided_at=plan.decided_at if decided else None,
            in_force_from=plan.in_force_from,
            created_at=plan.proposed_at,
            updated_at=last,
        )

    def _links(self, plans) -> None:
        self.world.insert(
            PenaltyProvision(penalty_id=plan.pk, provision=provision, code=provision.code, text=provision.text)
            for plan in plans
            for provision in plan.provisions
        )
        self.world.insert(
            PenaltyProhibition(penalty_id=plan.pk, prohibition=item, number=item.number, text=item.text)
            for plan in plans
            for item in plan.prohibitions
        )

    # --- Steps, audit, notifications ----------------------------------------------------------

    @staticmethod
    def _details(plan, **extra) -> dict:
        return {
            "fine_fen": plan.fine,
            "suspension": plan.suspension,
            "dismissal": plan.dismissal,
            "disciplinary_action": plan.disciplinary,
            "escalated": plan.escalated,
            "eligibility_year": plan.year or plan.incident.year,
            "policy_id": plan.policy.pk if plan.policy else None,
            "responsible_head_id": plan.responsible_head_id,
            **extra,
        }

    def _events(self, plans) -> None:
        events = []
        for plan in plans:
            step = _Steps(events, plan, self._details)
            step(Event.PROPOSED, plan.proposed_at, self.office, provisions=[p.code for p in plan.provisions])
            if plan.status == Status.WITHDRAWN:
                step(Event.WITHDRAWN, plan.settled_at, self.office, plan.settle_reasons)
                continue
            if plan.status == Status.PROPOSED:
                continue
            step(Event.DECIDED, plan.decided_at, self.office)
            if plan.escalated:
                step(Event.ESCALATED, plan.decided_at, self.office)
            if plan.settled_by is not None:
                kind = Event.REJECTED if plan.status == Status.REJECTED else Event.APPROVED
                prohibitions = [p.number for p in plan.prohibitions]
                step(kind, plan.settled_at, plan.settled_by, plan.settle_reasons, prohibitions=prohibitions)
            if plan.in_force_from is not None:
                reach, address = _reach(plan.staff)
                if reach == "none":  # no account, no address: the page points to the printed notice
                    step(Event.NOT_NOTIFIED, plan.in_force_from, plan.in_force_by)
                else:
                    recipient = plan.staff.user_id if reach == "inbox" else None
                    step(
                        Event.NOTIFIED,
                        plan.in_force_from,
                        plan.in_force_by,
                        recipient=recipient,
                        reach=reach,
                        email=address,
                    )
            if plan.revoked_at is not None:
                step(Event.REVOKED, plan.revoked_at, plan.settled_by or self.office, REVOKED_BECAUSE)
        self.world.insert(events, batch_size=5_000)

    def _audit(self, model, pk, text, action, at, actor, summary="", changes=None) -> None:
        self.audit.append(
            audit_entry(
                model,
                object_id=pk,
                object_repr=text,
                action=action,
                at=at,
                actor_id=actor.pk if actor is not None else None,
                summary=summary,
                changes=changes,
            )
        )

    def _notify(self, user_id: int | None, at: datetime.datetime, subject: str, body: str, url: str, email: str = ""):
        """A notification to an account's inbox, or (``user_id`` None) by email to ``email`` only."""
        if user_id is None and not email:
            return
        read = at + datetime.timedelta(hours=self.rng.randint(1, 72))
        self.notes.append(
            Notification(
                recipient_id=user_id,
                recipient_email=email,
                subject=subject[:200],
                body=body,
                url=url,
                created_at=at,
                read_at=read if user_id and read < self.cutoff and self.rng.random() < 0.85 else None,
                emailed_at=at + datetime.timedelta(seconds=30),
            )
        )

    def _notify_staff(self, person, at: datetime.datetime, subject: str, body: str, url: str) -> None:
        """``notification_send_to_staff``: the inbox of the person's account, else email to the
        address on the roster (without the link: they cannot sign in), else nothing."""
        reach, address = _reach(person)
        if reach == "inbox":
            self._notify(person.user_id, at, subject, body, url)
        elif reach == "email":
            self._notify(None, at, subject, body, "", email=address)

    def _audit_penalty(self, plan, row: Penalty) -> None:
        text = self._repr(plan)
        proposal = {
            "staff": str(plan.staff.name),
            "rule": plan.rule,
            "source": plan.source,
            "incident_date": str(plan.incident),
        }
        self._audit(
            Penalty,
            plan.pk,
            text,
            Action.CREATE,
            plan.proposed_at,
            self.office,
            text,
            created(proposal | {"status": "proposed"}),
        )
        if plan.status == Status.PROPOSED:
            return
        if plan.status == Status.WITHDRAWN:
            changes = {"status": ["proposed", "withdrawn"]}
            self._audit(
                Penalty, plan.pk, text, Action.STATE, plan.settled_at, self.office, "Proposal withdrawn", changes
            )
            return
        url = self._url("penalties:penalty_detail", plan.pk)
        waits = plan.escalated or plan.suspension or plan.dismissal
        decided = {
            "status": ["proposed", "awaiting_approval" if waits else "decided"],
            "escalated": ["✗", "✓"] if plan.escalated else None,
            "policy": ["", str(plan.policy)],
        }
        self._audit(
            Penalty, plan.pk, text, Action.STATE, plan.decided_at, self.office, "Penalty decided", _kept(decided)
        )
        if waits:
            for user_id in self.leadership_ids:
                self._notify(
                    user_id,
                    plan.decided_at,
                    gettext("A penalty waits for the leadership group: %(staff)s") % {"staff": plan.staff.name},
                    plan.description,
                    reverse("penalties:approval_queue"),
                )
        if plan.settled_by is not None and plan.status == Status.REJECTED:
            changes = {"status": ["awaiting_approval", "rejected"]}
            summary = "Penalty rejected by the leadership group"
            self._audit(Penalty, plan.pk, text, Action.STATE, plan.settled_at, plan.settled_by, summary, changes)
            subject = gettext("The leadership group rejected the penalty of %(staff)s") % {"staff": plan.staff.name}
            self._notify(self.office.pk, plan.settled_at, subject, plan.settle_reasons, url)
        elif plan.settled_by is not None:
            changes = {"status": ["awaiting_approval", "approved"]}
            summary = "Penalty approved by the leadership group"
            self._audit(Penalty, plan.pk, text, Action.STATE, plan.settled_at, plan.settled_by, summary, changes)
        if plan.in_force_from is not None:
            subject = gettext("A penalty has been decided: %(rule)s") % {"rule": Penalty.Rule(plan.rule).label}
            body = gettext("Fine: %(amount)s yuan") % {"amount": format_yuan(plan.fine)} + "\n" + plan.description
            self._notify_staff(plan.staff, plan.in_force_from, subject, body, url)
        if plan.revoked_at is not None:
            before = "approved" if plan.settled_by is not None else "decided"
            actor = plan.settled_by or self.office
            changes = {"status": [before, "revoked"]}
            self._audit(Penalty, plan.pk, text, Action.STATE, plan.revoked_at, actor, "Penalty revoked", changes)
            subject = gettext("Your penalty of %(date)s has been revoked") % {"date": plan.incident}
            self._notify_staff(plan.staff, plan.revoked_at, subject, REVOKED_BECAUSE, url)

    # --- Circulars and accountability (PEN-3, PEN-4) ----------------------------------------------

    def _circulars(self, plans) -> None:
        """A circulated criticism for each complaint in force, one for each settled PEN-4 pair;
        published by the office a few days later, withdrawn if the penalty was revoked first."""
        new = []
        for plan in plans:
            if plan.rule == Penalty.Rule.COMPLAINT and plan.in_force_from is not None:
                plan.circular = self._circular(plan.staff.name, [plan], plan.in_force_from, plan.in_force_by)
                new.append(plan.circular)
            elif plan.pair is not None and not plan.is_head:
                pair = plan.pair
                in_force = [m for m in pair.members if m.in_force_from is not None]
                settled = all(m.status not in (Status.PROPOSED, Status.AWAITING_APPROVAL) for m in pair.members)
                if settled and in_force:
                    drafted = max(m.in_force_from or m.settled_at for m in pair.members)
                    pair.circular = self._circular(None, in_force, drafted, self.office, department=pair.department_id)
                    new.append(pair.circular)
                    for member in in_force:
                        member.circular = pair.circular
        self.world.insert(new)
        for circular in new:
            self._audit(
                Circular,
                circular.pk,
                circular.title,
                Action.CREATE,
                circular.created_at,
                circular.drafted_by,
                circular.title,
            )
            if circular.status == Circular.Status.PUBLISHED:
                changes = {"status": ["draft", "published"]}
                self._audit(
                    Circular,
                    circular.pk,
                    circular.title,
                    Action.STATE,
                    circular.published_at,
                    self.office,
                    "Circular published",
                    changes,
                )
        through = Circular.departments.through
        self.world.insert(
            through(circular_id=c.pk, department_id=c._bench_department) for c in new if c._bench_department
        )

    def _circular(self, staff_name, named, drafted, actor, *, department=None) -> Circular:
        plan = named[0]
        unit = self.units.get(plan.staff.team_id) or self.units[-plan.staff.department_id]
        if department is None:
            title = gettext("Circulated criticism of %(staff)s") % {"staff": staff_name}
            facts = {"staff": staff_name, "unit": unit, "date": plan.incident, "amount": format_yuan(plan.fine)}
            sentences = [
                gettext("A complaint about %(staff)s (%(unit)s) concerning the incident of %(date)s was verified.")
                % facts,
                gettext("Under the station's standardized-service plan, %(staff)s is fined %(amount)s yuan.") % facts,
                gettext("All staff are asked to learn from this case."),
            ]
            body = join_sentences(sentences)
        else:
            name = self.units[-department]
            title = gettext("Circulated criticism of %(department)s for mishandling a complaint") % {"department": name}
            names = "、".join(m.staff.name for m in named)
            body = f"{name}在处理{plan.incident}的投诉中违反投诉处理程序，致使事态扩大。{names}受到罚款和纪律处分。"
        revoked = min((m.revoked_at for m in named if m.revoked_at is not None), default=None)
        published = self._moment(drafted, 2, 10)
        circular = Circular(title=title, body=body, drafted_by=actor, created_at=drafted, updated_at=drafted)
        if revoked is not None and revoked <= published:
            circular.status, circular.withdrawn_at = Circular.Status.WITHDRAWN, revoked
            circular.withdrawal_reason = gettext("The penalty was revoked.")
            circular.updated_at = revoked
        elif published < self.cutoff:
            circular.status, circular.published_by, circular.published_at = (
                Circular.Status.PUBLISHED,
                self.office,
                published,
            )
            circular.updated_at = published
        circular._bench_department = department
        return circular

    def _accountability(self, plans) -> None:
        records = []
        for plan in plans:
            if plan.rule != Penalty.Rule.COMPLAINT or plan.in_force_from is None or not plan.responsible_head_id:
                continue
            team_leader = self.roster.team_leaders.get(plan.staff.team_id) == plan.responsible_head_id
            records.append(
                AccountabilityRecord(
                    penalty_id=plan.pk,
                    head_id=plan.responsible_head_id,
                    head_role=(
                        AccountabilityRecord.HeadRole.TEAM_LEADER
                        if team_leader
                        else AccountabilityRecord.HeadRole.DEPARTMENT_HEAD
                    ),
                    measures=f"对{plan.staff.name}被投诉属实负有管理责任：在通报批评中点名，并书面报告班组整改情况。",
                    recorded_by=plan.in_force_by,
                    created_at=plan.in_force_from,
                )
            )
        for record in self.world.insert(records):
            text = f"#{record.penalty_id}"
            self._audit(
                AccountabilityRecord, record.pk, text, Action.CREATE, record.created_at, record.recorded_by, text
            )


def _reach(person) -> tuple[str, str]:
    """How the services reach a person on the roster (``notifications.services.Reach``), and the
    address: every account here carries its person's roster address."""
    if person.user_id:
        return "inbox", person.email
    return ("email", person.email) if person.email else ("none", "")


class _Steps:
    """Appends one penalty's steps (``PenaltyEvent``) with the details the services record."""

    def __init__(self, events: list, plan, details):
        self.events, self.plan, self.details = events, plan, details

    def __call__(self, kind: str, at: datetime.datetime, actor, reasons: str = "", **extra) -> None:
        self.events.append(
            PenaltyEvent(
                penalty_id=self.plan.pk,
                kind=kind,
                actor=actor,
                at=at,
                reasons=reasons,
                details=self.details(self.plan, **extra),
            )
        )


def _kept(changes: dict) -> dict:
    return {name: value for name, value in changes.items() if value is not None}
