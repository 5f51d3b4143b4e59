"""Helpers for the complaints tests. Complaints are made through the services (the only way
one comes to exist), so a test's complaint has its number, timeline and audit trail."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from complaints import services
from complaints.models import Complaint
from tollservice.roster.models import Lane

INCIDENT_TEXT = "收费员态度生硬，拒绝解释收费标准，还对我大声呵斥。"


class LaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lane
        django_get_or_create = ("station", "number")

    station = factory.SubFactory("tests.roster.factories.StationFactory")
    number = factory.Sequence(lambda n: f"{n + 1:02d}")
    direction = Lane.Direction.EXIT


def register(people, *, by=None, channel=Complaint.Channel.PHONE, **kwargs) -> services.Registration:
    """A complaint registered by the office (by default a phone call about the lane, 2 hours ago)."""
    defaults = {
        "category": Complaint.Category.ATTITUDE,
        "description": INCIDENT_TEXT,
        "incident_at": timezone.now() - datetime.timedelta(hours=2),
        "phone": "13812345678",
        "plate": "赣A12345",
        "lane": people.lane,
        "complainant_name": "张三",
    }
    if channel == Complaint.Channel.HOTLINE:
        defaults.update(
            work_order_centre=Complaint.Centre.HOTLINE_12328,
            work_order_number=f"12328-{Complaint.objects.count() + 1:05d}",
            work_order_deadline=timezone.now() + datetime.timedelta(days=3),
        )
    elif channel == Complaint.Channel.MEDIA:
        defaults.update(media_outlet="江西日报", media_date=timezone.localdate())
    elif channel == Complaint.Channel.DUTY_LEADER:
        defaults.update(duty_leader=people.head)
    defaults.update(kwargs)
    return services.complaint_register(registered_by=by or people.office, channel=channel, **defaults)


def submit_online(people, **kwargs) -> services.Registration:
    defaults = {
        "category": Complaint.Category.ATTITUDE,
        "description": INCIDENT_TEXT,
        "incident_at": timezone.now() - datetime.timedelta(hours=1),
        "phone": "13912345678",
        "lane": people.lane,
    }
    defaults.update(kwargs)
    return services.complaint_submit_online(**defaults)


def investigated(people, complaint: Complaint, *, outcome="upheld", fault="station", at_fault=True) -> Complaint:
    """Contacted, the collector's account recorded, and a verdict (by default upheld against the
    collector, the station at fault)."""
    by = people.office
    services.complaint_contact_record(complaint=complaint, by=by, method="phone", note="已联系司机")
    services.complaint_statement_record(
        complaint=complaint, by=by, staff=people.collector, account="当时车流量大，语气急了。"
    )
    services.complaint_verdict_record(
        complaint=complaint,
        by=by,
        outcome=outcome,
        fault=fault,
        findings="调阅监控，收费员确有语气生硬。",
        cctv_reference="CAM-03 2026-12-02 10:15",
        staff_involved=[people.collector],
        staff_at_fault=[people.collector] if at_fault else [],
    )
    complaint.refresh_from_db()
    return complaint


def answered(people, complaint: Complaint, **kwargs) -> Complaint:
    """Investigated, apologised for (when the station was at fault) and answered."""
    complaint = investigated(people, complaint, **kwargs)
    if kwargs.get("fault", "station") in ("station", "both"):
        services.complaint_apology_record(
            complaint=complaint,
            by=people.office,
            apologised_by=people.collector,
            role="person_concerned",
            method="phone",
        )
    extra = {}
    if complaint.is_work_order:
        extra = {"facts": "经核实属实。", "handling": "已批评教育当事人。", "grounds": "收费所规范化服务实施方案。"}
    services.complaint_answer(
        complaint=complaint, by=people.office, reply="经调查，您反映的情况属实，我们已致歉并整改。", **extra
    )
    complaint.refresh_from_db()
    return complaint


def extended_media_case(people) -> Complaint:
    """A media case about a delay, registered by the second office clerk, given five more days
    by an approved extension."""
    media = register(people, channel=Complaint.Channel.MEDIA, category="delay", by=people.office2).complaint
    extension = services.complaint_extension_request(
        complaint=media,
        by=people.office2,
        reason="复杂",
        new_due=timezone.localdate(media.answer_due) + datetime.timedelta(days=5),
    )
    services.complaint_extension_decide(extension=extension, by=people.office, approve=True)
    return media
