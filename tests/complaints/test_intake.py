"""Registering complaints: every channel (CMP-9), the ledger (CMP-7), the first responder
(CMP-8), the office as competent body (CMP-6), and everything typed checked with a clear
message."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from complaints import rules, selectors, services
from complaints.models import Complaint, ComplaintEvent, RegistrationCounter
from complaints.services import intake
from tests.complaints.factories import register, submit_online
from tests.services import require_postgres
from tollservice.core.append_only import AppendOnlyError
from tollservice.core.errors import DomainError
from tollservice.notifications.models import Notification

Channel = Complaint.Channel


def test_cmp9_every_staff_channel_is_registered_with_what_it_must_say(people):  # CMP-9
    for channel in [Channel.PHONE, Channel.LETTER, Channel.IN_PERSON]:
        assert register(people, channel=channel).complaint.channel == channel
    transfer = register(people, channel=Channel.DUTY_LEADER).complaint
    assert transfer.duty_leader == people.head
    media = register(people, channel=Channel.MEDIA).complaint
    assert (media.media_outlet, media.media_date) == ("江西日报", timezone.localdate())
    hotline = register(people, channel=Channel.HOTLINE).complaint
    assert hotline.work_order_centre == "12328" and hotline.work_order_number


@pytest.mark.parametrize(
    ("channel", "missing", "field"),
    [
        (Channel.DUTY_LEADER, {"duty_leader": None}, "duty_leader"),
        (Channel.MEDIA, {"media_outlet": ""}, "media_outlet"),
        (Channel.MEDIA, {"media_date": None}, "media_date"),
        (Channel.HOTLINE, {"work_order_number": " "}, "work_order_number"),
        (Channel.HOTLINE, {"work_order_centre": ""}, "work_order_centre"),
        (Channel.HOTLINE, {"work_order_deadline": None}, "work_order_deadline"),
        (Channel.WEB, {}, "channel"),  # the web form is the driver's, not a staff channel
    ],
)
def test_cmp9_a_channel_without_its_details_is_refused(people, channel, missing, field):  # CMP-9
    with pytest.raises(DomainError) as refused:
        register(people, channel=channel, **missing)
    assert refused.value.field == field
    assert not Complaint.objects.exists()


def test_cmp9_a_work_order_is_registered_once(people):  # CMP-9
    first = register(people, channel=Channel.HOTLINE, work_order_number="W-1").complaint
    with pytest.raises(DomainError) as refused:
        register(people, channel=Channel.HOTLINE, work_order_number="W-1")
    assert refused.value.code == "work_order_registered"
    # The database refuses it too (two clerks at the same moment).
    clone = Complaint.objects.filter(pk=first.pk).values().get()
    clone.update(id=None, number="X-1", sequence=999)
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(**clone)
    # A voided registration frees the order number.
    services.complaint_void(complaint=first, by=people.office, reason="登记错误")
    register(people, channel=Channel.HOTLINE, work_order_number="W-1")


def test_cmp9_accepted_at_once_with_urgency_remedy_and_limits(people, clock):  # CMP-9
    now = clock.now
    complaint = register(people, urgency=Complaint.Urgency.URGENT, remedy="要求道歉").complaint
    assert complaint.accepted_at == now and complaint.received_at == now
    assert complaint.remedy == "要求道歉"
    # Urgent: first contact within 12 hours and the answer within 3 working days (normal: 24, 5).
    assert complaint.first_contact_due == now + datetime.timedelta(hours=12)
    assert complaint.answer_working_days == 3
    normal = register(people).complaint
    assert normal.first_contact_due == now + datetime.timedelta(hours=24) and normal.answer_working_days == 5
    assert complaint.answer_due < normal.answer_due


def test_cmp9_a_work_orders_own_deadline_overrides_the_station_limit(people):  # CMP-9
    deadline = timezone.now() + datetime.timedelta(days=2)
    complaint = register(people, channel=Channel.HOTLINE, work_order_deadline=deadline).complaint
    assert complaint.answer_due == deadline


def test_a_letter_that_waited_is_accepted_late(people):
    received = timezone.now() - datetime.timedelta(hours=30)
    complaint = register(people, channel=Channel.LETTER, received_at=received, incident_at=received).complaint
    assert complaint.accept_due == received + datetime.timedelta(hours=24)
    assert "accept" in rules.missed_limits(complaint, now=timezone.now())


def test_cmp8_whoever_registers_is_first_responder_and_owner(people):  # CMP-8
    complaint = register(people, by=people.office2).complaint
    assert complaint.first_responder == complaint.owner == complaint.registered_by == people.office2


def test_cmp8_a_web_complaint_belongs_to_whoever_takes_it_up_first(people):  # CMP-8
    complaint = submit_online(people).complaint
    assert complaint.owner is None and complaint.first_responder is None and complaint.registered_by is None
    services.complaint_take_up(complaint=complaint, by=people.office2)
    complaint.refresh_from_db()
    assert complaint.first_responder == complaint.owner == people.office2
    with pytest.raises(DomainError) as refused:
        services.complaint_take_up(complaint=complaint, by=people.office)
    assert refused.value.code == "taken"
    assert complaint.events.filter(kind=ComplaintEvent.Kind.TAKEN_UP, actor=people.office2).exists()


def test_cmp6_the_group_office_is_told_of_web_complaints_and_sees_every_complaint(people):  # CMP-6
    complaint = submit_online(people).complaint
    assert Notification.objects.filter(recipient__in=[people.office, people.office2]).count() == 2
    assert selectors.complaint_list(user=people.office).filter(pk=complaint.pk).exists()
    assert not selectors.complaint_list(user=people.staff_user).exists()


def test_media_and_hotline_cases_reach_the_leadership_group_from_the_start(people):
    ordinary = register(people).complaint
    media = register(people, channel=Channel.MEDIA).complaint
    hotline = register(people, channel=Channel.HOTLINE).complaint
    assert Notification.objects.filter(recipient=people.leader).count() == 2
    visible = set(selectors.complaint_list(user=people.leader).values_list("pk", flat=True))
    assert visible == {media.pk, hotline.pk} and ordinary.pk not in visible


def test_the_team_on_duty_at_the_incidents_time_comes_from_the_roster(people):
    assert register(people).complaint.team == people.team


# --- The ledger (CMP-7) -------------------------------------------------------------------------


def test_cmp7_numbers_run_per_year_without_gaps(people, clock):  # CMP-7
    numbers = [register(people).complaint.number for _ in range(3)]
    year = timezone.localdate().year
    assert numbers == [f"{year}-0001", f"{year}-0002", f"{year}-0003"]
    clock.set(timezone.make_aware(datetime.datetime(year + 1, 1, 1, 0, 5)))
    assert (
        register(people, incident_at=clock.now - datetime.timedelta(minutes=3)).complaint.number == f"{year + 1}-0001"
    )


def test_cmp7_a_registration_that_fails_gives_its_number_back(people, monkeypatch):  # CMP-7
    register(people)

    def broken(*args, **kwargs):
        raise IntegrityError("the insert failed")

    with monkeypatch.context() as patch:
        patch.setattr(intake, "event", broken)
        with pytest.raises(IntegrityError):
            register(people)
    assert register(people).complaint.sequence == 2
    assert RegistrationCounter.objects.get().last_number == 2


def test_cmp7_a_mistaken_entry_is_voided_with_a_reason_and_keeps_its_number(people):  # CMP-7
    complaint = register(people).complaint
    with pytest.raises(DomainError):
        services.complaint_void(complaint=complaint, by=people.office, reason="  ")
    with pytest.raises(DomainError):
        services.complaint_void(complaint=complaint, by=people.staff_user, reason="误登记")
    services.complaint_void(complaint=complaint, by=people.office, reason="重复登记")
    complaint.refresh_from_db()
    assert complaint.voided_at and complaint.void_reason == "重复登记" and complaint.number.endswith("-0001")
    assert list(selectors.complaint_ledger(user=people.office, year=complaint.year)) == [complaint]
    assert not selectors.complaint_list(user=people.office).exists()
    with pytest.raises(DomainError):
        services.complaint_contact_record(complaint=complaint, by=people.office, method="phone")
    assert register(people).complaint.sequence == 2


def test_cmp7_a_registration_is_never_deleted(people):  # CMP-7
    complaint = register(people).complaint
    with pytest.raises(AppendOnlyError):
        complaint.delete()
    with pytest.raises(AppendOnlyError):
        Complaint.objects.all().delete()
    event = complaint.events.first()
    with pytest.raises(AppendOnlyError):
        event.delete()


@pytest.mark.postgres
def test_cmp7_postgresql_refuses_to_delete_a_registration_even_by_raw_sql(people):  # CMP-7
    require_postgres()
    complaint = register(people).complaint
    for sql in (
        f"DELETE FROM complaints_complaint WHERE id = {complaint.pk}",
        f"UPDATE complaints_complaintevent SET note = 'x' WHERE complaint_id = {complaint.pk}",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Complaint.objects.filter(pk=complaint.pk).exists()


def test_the_timeline_cannot_be_rewritten_on_sqlite_either(people):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite trigger; PostgreSQL's is tested above")
    complaint = register(people).complaint
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE complaints_complaintevent SET note = 'x' WHERE complaint_id = {complaint.pk}")


# --- What is typed --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"phone": "1381234567a"}, "phone"),
        ({"phone": ""}, "phone"),
        ({"plate": "XYZ"}, "plate"),
        ({"description": "  "}, "description"),
        ({"description": "字" * 2001}, "description"),
        ({"remedy": "字" * 501}, "remedy"),
        ({"complainant_name": "名" * 51}, "complainant_name"),
        ({"email": "not-an-address"}, "email"),
        ({"incident_at": timezone.now() + datetime.timedelta(hours=1)}, "incident_at"),
        ({"incident_at": timezone.now() - datetime.timedelta(days=400)}, "incident_at"),
        ({"category": "weather"}, "category"),
    ],
)
def test_the_web_form_refuses_bad_input_with_the_field_named(people, values, field):
    with pytest.raises(DomainError) as refused:
        submit_online(people, **values)
    assert refused.value.field == field
    assert str(refused.value)  # a message in the user's language
    assert not Complaint.objects.exists()


def test_phone_and_plate_are_stored_normalised(people):
    complaint = submit_online(people, phone="+86 139-1234-5678", plate="赣a 12345").complaint
    assert (complaint.phone, complaint.plate) == ("13912345678", "赣A12345")


def test_a_closed_lane_is_refused(people):
    people.lane.active = False
    people.lane.save()
    with pytest.raises(DomainError) as refused:
        submit_online(people)
    assert refused.value.field == "lane"


def test_only_those_who_register_complaints_register_them(people):
    with pytest.raises(DomainError):
        register(people, by=people.staff_user)
    register(people, by=people.team_leader.user)
    register(people, by=people.leader)
