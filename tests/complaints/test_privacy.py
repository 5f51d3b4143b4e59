"""The driver's personal data: the person complained about never sees it (CMP-2: no
confrontation), staff see the phone masked, revealing it is logged, the driver's own view
hides staff names, internal notes and the verdict's evidence, and the data of long-closed
complaints is removed (PIPL) while the registration entry stays."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from complaints import selectors, services
from complaints.models import Complaint, ComplaintEvent, ComplaintPhoto, PersonalDataAccess
from complaints.tasks import anonymise_expired_complaints
from tests.complaints.factories import answered, register, submit_online
from tollservice.audit.models import AuditEntry
from tollservice.celery import app
from tollservice.core.errors import DomainError


def test_cmp2_the_person_complained_about_never_sees_the_drivers_data(people):  # CMP-2
    # The collector is also a team leader of another team that the complaint is about.
    complaint = register(people).complaint
    services.complaint_hand_over(complaint=complaint, by=people.office, to=people.team_leader.user, reason="班组跟进")
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.team_leader])
    detail = selectors.complaint_detail(user=people.team_leader.user, pk=complaint.pk)
    assert detail is not None and detail.complainant is None
    assert not detail.can["reveal_contact"] and not detail.can["handle"]
    row = selectors.complaint_list(user=people.team_leader.user).get(pk=complaint.pk)
    assert row.about_reader
    with pytest.raises(DomainError):
        services.complaint_contact_reveal(
            complaint=complaint, user=people.team_leader.user, field="phone", reason="回访"
        )


def test_staff_see_the_phone_masked_and_revealing_it_is_logged(people):
    complaint = register(people).complaint
    detail = selectors.complaint_detail(user=people.office, pk=complaint.pk)
    assert detail.complainant.phone_masked == "138****5678" and detail.complainant.name == "张三"
    assert "13812345678" not in str(detail.complainant)
    phone = services.complaint_contact_reveal(complaint=complaint, user=people.office, field="phone", reason="回访")
    assert phone == "13812345678"
    access = PersonalDataAccess.objects.get(complaint=complaint)
    assert (access.user, access.field, access.reason) == (people.office, "phone", "回访")
    assert complaint.events.filter(kind=ComplaintEvent.Kind.CONTACT_REVEALED, actor=people.office).exists()
    with pytest.raises(DomainError):  # a reason is needed
        services.complaint_contact_reveal(complaint=complaint, user=people.office, field="phone", reason="")
    with pytest.raises(DomainError):  # someone who only reads the complaint
        services.complaint_contact_reveal(complaint=complaint, user=people.leader, field="phone", reason="看看")


def test_the_audit_trail_never_holds_the_drivers_data(people):
    registration = register(people, email="driver@example.invalid")
    answered(people, registration.complaint)
    recorded = " ".join(str(e.changes) + e.object_repr + e.summary for e in AuditEntry.objects.all())
    for secret in ("13812345678", "赣A12345", "张三", "driver@example.invalid"):
        assert secret not in recorded


def test_the_drivers_view_masks_and_leaves_out_what_is_internal(people):
    registration = register(people)
    complaint = answered(people, registration.complaint)
    services.complaint_hand_over(complaint=complaint, by=people.office, to=people.office2, reason="内部调整说明")
    view = selectors.complaint_for_driver(number=registration.tracking_number, code=registration.access_code)
    assert view.phone_masked == "138****5678" and view.plate_masked == "赣A***45"
    assert view.status == "answered" and view.can_rate and view.can_add_information
    shown = repr(view)
    for internal in (
        "收费员甲",  # staff names (the person complained about)
        people.office.username,
        "CAM-03",  # the verdict's evidence
        "调阅监控",  # the findings
        "当时车流量大",  # the staff member's account
        "内部调整说明",  # an internal note
        "13812345678",
        "张三",
    ):
        assert internal not in shown, internal
    assert any(m.from_station and m.kind == "answer" for m in view.messages)


def test_a_wrong_code_shows_nothing(people):
    registration = register(people)
    assert selectors.complaint_for_driver(number=registration.tracking_number, code="0" * 28) is None


def _closed(people, **kwargs) -> Complaint:
    registration = register(people, email="driver@example.invalid", **kwargs)
    complaint = answered(people, registration.complaint)
    services.complaint_driver_add_information(
        number=complaint.number, code=registration.access_code, text="我的电话13812345678，车牌赣A12345。"
    )
    services.complaint_return_visit_record(
        complaint=complaint, by=people.office, result="satisfied", method="phone", note="张三表示满意"
    )
    services.complaint_close(complaint=complaint, by=people.office)
    complaint.refresh_from_db()
    return complaint, registration.access_code


def test_pipl_personal_data_is_removed_after_the_retention_period(
    people, clock, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    complaint, code = _closed(people, description="我是张三，电话13812345678，在5号车道被呵斥。")
    photo = ComplaintPhoto.objects.create(
        complaint=complaint, file=ContentFile(b"jpeg", name="x.jpg"), content_type="image/jpeg", size=4
    )
    path = tmp_path / photo.file.name
    assert path.exists()
    assert services.complaints_anonymise_expired() == 0  # not yet
    clock.advance(days=366)
    with django_capture_on_commit_callbacks(execute=True):  # the files go after commit
        assert anonymise_expired_complaints.delay().get() == 1
    complaint.refresh_from_db()
    assert complaint.anonymised_at is not None
    assert (complaint.complainant_name, complaint.phone, complaint.email, complaint.plate) == ("", "", "", "")
    assert "13812345678" not in complaint.description and "张三" not in complaint.description
    assert "5号车道被呵斥" in complaint.description  # what happened stays
    texts = [m.body for m in complaint.messages.all()] + [v.note for v in complaint.return_visits.all()]
    assert not any("13812345678" in t or "赣A12345" in t or "张三" in t for t in texts)
    assert not ComplaintPhoto.objects.filter(complaint=complaint).exists() and not path.exists()
    # The registration entry stays in the ledger; the code opens nothing any more.
    assert list(selectors.complaint_ledger(user=people.office, year=complaint.year)) == [complaint]
    assert complaint.number and complaint.status == Complaint.Status.CLOSED and complaint.verdict_outcome == "upheld"
    assert selectors.complaint_lookup(number=complaint.number, code=code) is None
    assert complaint.events.filter(kind=ComplaintEvent.Kind.ANONYMISED).exists()
    assert services.complaints_anonymise_expired() == 0  # once


def test_pipl_the_retention_period_is_configurable_and_open_complaints_are_kept(people, clock):
    services.complaint_settings_update(actor=people.office, retention_days=30)
    complaint, _code = _closed(people)
    still_open = register(people).complaint
    clock.advance(days=31)
    assert services.complaints_anonymise_expired() == 1
    still_open.refresh_from_db()
    assert still_open.anonymised_at is None and still_open.phone


def test_pipl_the_task_runs_daily_on_the_beat_schedule():
    entry = app.conf.beat_schedule["complaints-anonymise-expired"]
    assert entry["task"] == "complaints.tasks.anonymise_expired_complaints"
    assert entry["schedule"].hour == {2}  # at night, station time (crontab, not every 24 hours)


def test_the_admin_shows_no_personal_data():
    from complaints.admin import ComplaintAdmin

    assert not {"phone", "plate", "complainant_name", "email", "description"} & set(ComplaintAdmin.fields)
    assert not set(ComplaintAdmin.list_display) & {"phone", "plate", "complainant_name", "email"}


def test_subjects_without_any_other_role_do_not_see_the_complaint(people):
    complaint = submit_online(people, incident_at=timezone.now() - datetime.timedelta(days=2)).complaint
    services.complaint_take_up(complaint=complaint, by=people.office)
    services.complaint_subjects_set(complaint=complaint, by=people.office, staff=[people.other])
    assert selectors.complaint_detail(user=people.other.user, pk=complaint.pk) is None
