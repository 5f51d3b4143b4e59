"""Complaints of the generated station (CMP-1 … CMP-9): ``scale.rows / 4`` of them.

Registered through every channel (the web form from a lane's poster, phone calls, letters,
drivers at the window, transfers by the duty leader, the media, 12328 / 12345 work orders),
numbered per year without gaps (CMP-7, with the year's counter), each with the limits its
urgency gives (first contact, answer within working days of the station's calendar, the work
order's own deadline) and the team on shift at the incident's time. Older complaints went the
whole way: taken up, the driver contacted, investigated, a verdict, the answer, the return visit
and closing, each step on the timeline; recent ones stop along it, some past a limit; a few are
escalated, linked to a primary as duplicates (CMP-1) or voided with a reason (never deleted).
Phones, plates and names are made up and valid (``rules.normalise_phone`` / ``normalise_plate``).
"""

from __future__ import annotations

import datetime
import hashlib

from bench.generator import World, part
from bench.generator.audit import Action, audit_entry
from bench.parts.roster import GIVEN, SURNAMES
from complaints import rules
from complaints.models import (
    Apology,
    Complaint,
    ComplaintEvent,
    ComplaintMessage,
    ComplaintSettings,
    Contact,
    RegistrationCounter,
    ReturnVisit,
    UrgencyLimit,
    Verdict,
)
from tollservice.core.calendar.workdays import working_calendar
from tollservice.roster.models import Lane, ShiftLeaderAssignment
from tollservice.roster.selectors import shift_at

Channel = Complaint.Channel
Category = Complaint.Category
Status = Complaint.Status
Event = ComplaintEvent.Kind

SHARE = 0.25  # complaints per row (penalty)
# Complaints written at a time: a duplicate links to a complaint of an earlier chunk (it has its
# key), so a small station gets ten chunks.
CHUNK = 200
CHANNELS = (
    Channel.WEB,
    Channel.PHONE,
    Channel.LETTER,
    Channel.IN_PERSON,
    Channel.DUTY_LEADER,
    Channel.MEDIA,
    Channel.HOTLINE,
)
CHANNEL_WEIGHTS = (30, 35, 4, 8, 6, 2, 15)
CATEGORIES = (Category.ATTITUDE, Category.CHARGING, Category.DELAY, Category.FACILITIES, Category.OTHER)
CATEGORY_WEIGHTS = (35, 25, 20, 12, 8)
STORIES = {
    Category.ATTITUDE: "收费员态度生硬，我询问收费标准时不耐烦，还催我快走。",
    Category.CHARGING: "通行费比平时多收了十五元，收费员没有解释原因。",
    Category.DELAY: "人工车道只开了一个，排队二十多分钟。",
    Category.FACILITIES: "ETC车道栏杆不抬杆，后面车辆一直按喇叭。",
    Category.OTHER: "收费亭附近的指示牌看不清，差点走错车道。",
}
REPLIES = {
    Verdict.Outcome.UPHELD: "经调阅监控核实，您反映的情况属实。我们已向您致歉，并对当事收费员进行了批评教育和处理。",
    Verdict.Outcome.PARTLY_UPHELD: "经核实，您反映的情况部分属实。我们已向您说明情况并致歉，相关问题已整改。",
    Verdict.Outcome.NOT_UPHELD: "经调阅监控和收费记录核实，收费员按规定操作，收费标准无误。感谢您的监督。",
}
PROVINCES = "赣赣赣赣赣湘鄂皖浙闽粤"
PLATE_LETTERS = "ABCDEFGHJKLM"


@part("complaints", after=("roster",))
def build(world: World) -> None:
    roster = world.facts["roster"]
    rng = world.rng("complaints")
    settings = ComplaintSettings.load()
    limits = {limit.urgency: limit for limit in UrgencyLimit.objects.all()}
    calendar = working_calendar()
    lanes = list(Lane.objects.filter(active=True).values_list("pk", flat=True))
    shifts = {
        (date, shift): team_id
        for date, shift, team_id in ShiftLeaderAssignment.objects.values_list("date", "shift", "team_id")
    }
    office = roster.users["office"]
    handlers = [office.pk, roster.users["teamleader"].pk]
    duty_leader = roster.users["leader"].staff_profile.pk
    now = world.at(world.today, 0)

    count = max(25, round(world.scale.rows * SHARE))
    received = sorted(
        world.at(world.day(rng.randrange(world.days)), rng.randint(7, 21), rng.randrange(60), rng.randrange(60))
        for _ in range(count)
    )
    sequences: dict[int, int] = {}
    totals = {"complaints": 0, "closed": 0, "duplicates": 0, "voided": 0}
    primaries: list[Complaint] = []
    chunk = max(5, min(CHUNK, count // 10))
    for start in range(0, count, chunk):
        complaints, steps = [], []
        for received_at in received[start : start + chunk]:
            channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
            category = rng.choices(CATEGORIES, weights=CATEGORY_WEIGHTS)[0]
            urgency = rng.choices(Complaint.Urgency.values, weights=(85, 12, 3))[0]
            limit = limits[urgency]
            incident_at = received_at - datetime.timedelta(minutes=rng.randint(20, 600))
            accepted_at = received_at + datetime.timedelta(minutes=rng.randint(1, 30))
            year = accepted_at.astimezone(world.zone).year
            sequences[year] = sequence = sequences.get(year, 0) + 1
            owner = None if channel == Channel.WEB else rng.choice(handlers)
            order_deadline = None
            details = {}
            if channel == Channel.HOTLINE:
                centre = rng.choice((Complaint.Centre.HOTLINE_12328, Complaint.Centre.HOTLINE_12345))
                order_deadline = received_at + datetime.timedelta(days=5)
                details = {
                    "work_order_centre": centre,
                    "work_order_number": f"GD{year}{sequence:06d}",
                    "work_order_deadline": order_deadline,
                }
            elif channel == Channel.MEDIA:
                details = {"media_outlet": "江西交通广播", "media_date": received_at.astimezone(world.zone).date()}
            elif channel == Channel.DUTY_LEADER:
                details = {"duty_leader_id": duty_leader}
            salt = f"{sequence:08d}{year}"
            complaint = Complaint(
                number=f"{year}-{sequence:04d}",
                year=year,
                sequence=sequence,
                channel=channel,
                category=category,
                urgency=urgency,
                description=STORIES[category],
                remedy=rng.choice(("", "希望收费员当面道歉。", "请退还多收的通行费。")),
                incident_at=incident_at,
                lane_id=rng.choice(lanes),
                team_id=shifts.get(shift_at(moment=incident_at)),
                complainant_name=_name(rng) if rng.random() < 0.6 else "",
                phone=_phone(rng),
                plate=_plate(rng) if rng.random() < 0.8 else "",
                received_at=received_at,
                accepted_at=accepted_at,
                registered_by_id=owner,
                first_responder_id=owner,
                owner_id=owner,
                access_code_salt=salt,
                access_code_hash=hashlib.sha256(salt.encode()).hexdigest(),
                first_contact_hours=limit.first_contact_hours,
                answer_working_days=limit.answer_working_days,
                accept_due=rules.accept_due(received_at=received_at, hours=settings.accept_hours),
                first_contact_due=rules.first_contact_due(accepted_at=accepted_at, hours=limit.first_contact_hours),
                answer_clock_from=accepted_at,
                answer_due=rules.answer_due(
                    accepted_at=accepted_at,
                    working_days=limit.answer_working_days,
                    calendar=calendar,
                    order_deadline=order_deadline,
                ),
                created_at=accepted_at,
                updated_at=accepted_at,
                **details,
            )
            events = [(Event.REGISTERED, owner, accepted_at, "")]
            messages = [(ComplaintMessage.Kind.ACKNOWLEDGEMENT, accepted_at, "您的投诉已受理，我们将尽快与您联系。")]
            extra = _handle(complaint, events, messages, office.pk, settings, now, rng)
            if rng.random() < 0.05 and primaries and not complaint.voided_at:
                primary = rng.choice(primaries[-50:])
                if primary.lane_id and primary.received_at < complaint.received_at and not primary.voided_at:
                    complaint.primary = primary
                    complaint.lane_id = primary.lane_id
                    events.append((Event.LINKED, office.pk, complaint.accepted_at + datetime.timedelta(hours=1), ""))
            complaints.append(complaint)
            steps.append((complaint, events, messages, extra))
        world.insert(complaints)
        primaries.extend(c for c in complaints if c.primary_id is None and c.voided_at is None)
        primaries = primaries[-200:]
        _write_steps(world, steps, roster.team_leaders)
        totals["complaints"] += len(complaints)
        totals["closed"] += sum(1 for c in complaints if c.status == Status.CLOSED)
        totals["duplicates"] += sum(1 for c in complaints if c.primary_id)
        totals["voided"] += sum(1 for c in complaints if c.voided_at)
    world.insert(RegistrationCounter(year=year, last_number=last) for year, last in sorted(sequences.items()))
    world.meta["complaints"] = totals
    world.log(f"complaints: {totals}")


def _handle(complaint: Complaint, events, messages, office_id: int, settings, now, rng) -> dict:
    """Carry the complaint as far as it has gone by ``now``; the rows of each step (contact,
    verdict, return visit) are returned to be written once the complaint has its key."""
    extra: dict = {}
    if rng.random() < 0.01:
        complaint.voided_at = complaint.accepted_at + datetime.timedelta(hours=2)
        complaint.voided_by_id = office_id
        complaint.void_reason = "重复登记，同一来电已登记。"
        complaint.updated_at = complaint.voided_at
        events.append((Event.VOIDED, office_id, complaint.voided_at, complaint.void_reason))
        return extra
    owner = complaint.owner_id
    moment = complaint.accepted_at
    if owner is None:  # the web form: taken up by the office within hours
        moment += datetime.timedelta(hours=rng.randint(1, 5))
        if moment >= now:
            return extra
        complaint.owner_id = complaint.first_responder_id = owner = office_id
        events.append((Event.TAKEN_UP, owner, moment, ""))
    late = rng.random() < 0.06
    contact_at = moment + datetime.timedelta(hours=rng.randint(1, complaint.first_contact_hours + (30 if late else -1)))
    if contact_at >= now:
        return extra
    complaint.first_contact_at = contact_at
    events.append((Event.CONTACT, owner, contact_at, ""))
    extra["contact"] = contact_at
    complaint.status = Status.INVESTIGATING
    events.append((Event.INVESTIGATING, owner, contact_at + datetime.timedelta(minutes=30), ""))
    if rng.random() < 0.04:
        complaint.level = Complaint.Level.SHIFT_LEADER
        events.append((Event.ESCALATED, owner, contact_at + datetime.timedelta(hours=1), "需当班负责人协调处理。"))
    due = complaint.answer_due
    answered_at = contact_at + datetime.timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 5))
    if late and due is not None:
        answered_at = max(answered_at, due + datetime.timedelta(hours=3))
    verdict_at = answered_at - datetime.timedelta(hours=2)
    if answered_at >= now:
        complaint.updated_at = contact_at
        return extra
    outcome = rng.choices(Verdict.Outcome.values, weights=(25, 15, 60))[0]
    extra["verdict"] = (outcome, verdict_at)
    events.append((Event.VERDICT, owner, verdict_at, ""))
    complaint.verdict_outcome = outcome
    complaint.status = Status.ANSWERED
    complaint.answered_at = answered_at
    complaint.answered_on_time = due is None or answered_at <= due
    complaint.return_visit_due = rules.return_visit_due(answered_at=answered_at, days=settings.return_visit_days)
    events.append((Event.ANSWERED, owner, answered_at, ""))
    messages.append((ComplaintMessage.Kind.ANSWER, answered_at, REPLIES[outcome]))
    visited_at = answered_at + datetime.timedelta(days=rng.randint(1, 3), hours=1)
    if visited_at >= now:
        complaint.updated_at = answered_at
        return extra
    result = rng.choices(ReturnVisit.Result.values, weights=(70, 20, 5, 5))[0]
    if result == ReturnVisit.Result.DISSATISFIED:
        result = ReturnVisit.Result.BASICALLY_SATISFIED  # a review (复核) would follow; not generated
    extra["visit"] = (result, visited_at)
    complaint.return_visit_result = result
    complaint.return_visited_at = visited_at
    complaint.status = Status.RETURN_VISIT
    events.append((Event.RETURN_VISIT, owner, visited_at, ""))
    closed_at = visited_at + datetime.timedelta(hours=rng.randint(1, 30))
    if closed_at >= now:
        complaint.updated_at = visited_at
        return extra
    complaint.status = Status.CLOSED
    complaint.closed_at = closed_at
    complaint.updated_at = closed_at
    events.append((Event.CLOSED, owner, closed_at, ""))
    return extra


def _write_steps(world: World, steps, team_leaders: dict) -> None:
    leaders = {complaint.pk: team_leaders.get(complaint.team_id) for complaint, *_rest in steps}
    world.insert(
        ComplaintEvent(complaint_id=complaint.pk, kind=kind, actor_id=actor, at=at, note=note)
        for complaint, events, _messages, _extra in steps
        for kind, actor, at, note in events
    )
    world.insert(
        ComplaintMessage(
            complaint_id=complaint.pk,
            direction=ComplaintMessage.Direction.TO_DRIVER,
            kind=kind,
            body=body,
            author_id=complaint.owner_id,
            created_at=at,
        )
        for complaint, _events, messages, _extra in steps
        for kind, at, body in messages
    )
    world.insert(
        Contact(
            complaint_id=complaint.pk,
            method=Contact.Method.PHONE,
            note="电话联系司机，了解事情经过。",
            by_id=complaint.owner_id,
            at=extra["contact"],
        )
        for complaint, _events, _messages, extra in steps
        if "contact" in extra
    )
    verdicts = world.insert(
        Verdict(
            complaint_id=complaint.pk,
            outcome=extra["verdict"][0],
            fault=Verdict.Fault.STATION if extra["verdict"][0] != Verdict.Outcome.NOT_UPHELD else Verdict.Fault.NONE,
            findings="调阅监控录像，核实经过。",
            cctv_reference=f"CAM-{complaint.lane_id:02d} {complaint.incident_at:%Y%m%d%H%M}",
            lane_id=complaint.lane_id,
            recorded_by_id=complaint.owner_id,
            recorded_at=extra["verdict"][1],
        )
        for complaint, _events, _messages, extra in steps
        if "verdict" in extra
    )
    # CMP-4: the station at fault apologised (the team leader, by phone) before the answer.
    world.insert(
        Apology(
            complaint_id=verdict.complaint_id,
            verdict_id=verdict.pk,
            apologised_by_id=leaders[verdict.complaint_id],
            role=Apology.Role.TEAM_LEADER,
            method=Apology.Method.PHONE,
            apologised_at=verdict.recorded_at + datetime.timedelta(minutes=40),
            recorded_by_id=verdict.recorded_by_id,
            recorded_at=verdict.recorded_at + datetime.timedelta(minutes=50),
        )
        for verdict in verdicts
        if verdict.fault == Verdict.Fault.STATION and leaders.get(verdict.complaint_id)
    )
    world.insert(
        ReturnVisit(
            complaint_id=complaint.pk,
            result=extra["visit"][0],
            method=ReturnVisit.Method.PHONE,
            recorded_by_id=complaint.owner_id,
            at=extra["visit"][1],
        )
        for complaint, _events, _messages, extra in steps
        if "visit" in extra
    )
    world.insert(
        audit_entry(
            Complaint,
            object_id=complaint.pk,
            object_repr=str(complaint),
            action=Action.CREATE,
            at=complaint.accepted_at,
            actor_id=complaint.registered_by_id,
            summary="登记投诉",
        )
        for complaint, _events, _messages, _extra in steps
    )


def _name(rng) -> str:
    if rng.random() < 0.5:
        return rng.choice(SURNAMES) + rng.choice(("先生", "女士"))
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _phone(rng) -> str:
    return rng.choice(("138", "139", "158", "187", "135", "177")) + f"{rng.randrange(10**8):08d}"


def _plate(rng) -> str:
    return rng.choice(PROVINCES) + rng.choice(PLATE_LETTERS) + f"{rng.randrange(10**5):05d}"
