"""Evidence: photos checked by content and kept privately, CCTV references; seen by whoever may
see the inspection, and a covert visit's evidence hidden from the team until published (INS-6)."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from inspections import selectors, services
from inspections.models import CovertRead, Evidence
from tests.inspections.factories import Kind, finding, inspection
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.django_db


def photo(name="现场.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def test_an_inspector_attaches_a_photo_to_a_finding_of_the_draft(site, settings):
    draft = inspection(
        by=site.supervisor,
        team=site.team_a,
        kind=Kind.SUPERVISOR_COVERT,
        file=False,
        breaches={"JC-08": (1, site.collector)},
    )
    leaving = draft.results.get(item__code="JC-08")
    evidence = services.evidence_photo_add(inspection=draft, added_by=site.supervisor, upload=photo(), finding=leaving)
    assert evidence.kind == Evidence.Kind.PHOTO and evidence.content_type == "image/jpeg"
    assert evidence.original_name == "现场.jpg" and "现场" not in evidence.file.name
    assert (settings.PRIVATE_MEDIA_ROOT / evidence.file.name).exists()
    with pytest.raises(DomainError):  # a page in disguise
        services.evidence_photo_add(
            inspection=draft,
            added_by=site.supervisor,
            upload=SimpleUploadedFile("x.jpg", b"<svg onload=alert(1)>", content_type="image/jpeg"),
        )
    with pytest.raises(DomainError):  # only the authors of a draft
        services.evidence_photo_add(inspection=draft, added_by=site.office, upload=photo())
    cctv = services.evidence_cctv_add(
        inspection=draft,
        added_by=site.supervisor,
        camera="3号车道球机",
        recorded_at=timezone.now() - datetime.timedelta(days=2),
        finding=leaving,
    )
    assert cctv.kind == Evidence.Kind.CCTV and not cctv.file
    services.inspection_file(inspection=draft, filed_by=site.supervisor)
    with pytest.raises(DomainError):  # filed: locked
        services.evidence_photo_add(inspection=draft, added_by=site.supervisor, upload=photo())


def test_ins6_a_covert_visits_photo_is_hidden_from_the_team_until_published_and_reads_are_logged(site):
    draft = inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, file=False)
    evidence = services.evidence_photo_add(inspection=draft, added_by=site.supervisor, upload=photo())
    services.inspection_file(inspection=draft, filed_by=site.supervisor)
    for user in (site.leader_a.user, site.collector.user, site.office_in_team, site.leader_b.user):
        with pytest.raises(Evidence.DoesNotExist):
            selectors.evidence_get(user=user, pk=evidence.pk)
    assert selectors.evidence_get(user=site.office, pk=evidence.pk) == evidence
    assert CovertRead.objects.filter(user=site.office, context=CovertRead.Context.EVIDENCE).exists()
    services.inspection_publish(inspection=draft, published_by=site.office)
    assert selectors.evidence_get(user=site.leader_a.user, pk=evidence.pk) == evidence


def test_the_team_answers_an_order_and_appeals_with_evidence(site):
    done = inspection(by=site.office, team=site.team_a, breaches={"JC-11": (1, site.collector)})
    order = services.rectification_order_issue(
        finding=finding(done, "JC-11"), issued_by=site.office, instructions="整理"
    )
    answer_photo = services.evidence_photo_add(
        inspection=done, added_by=site.leader_a.user, upload=photo(), order=order
    )
    assert answer_photo.order == order
    with pytest.raises(DomainError):  # another team's leader
        services.evidence_photo_add(inspection=done, added_by=site.leader_b.user, upload=photo(), order=order)
    appeal = services.appeal_lodge(finding=finding(done, "JC-11"), lodged_by=site.leader_a.user, grounds="已符合规范")
    cctv = services.evidence_cctv_add(
        inspection=done,
        added_by=site.leader_a.user,
        camera="亭内摄像头",
        recorded_at=timezone.now() - datetime.timedelta(days=2),
        appeal=appeal,
    )
    assert cctv.appeal == appeal


def test_removing_a_result_of_a_draft_keeps_its_photo_with_the_inspection(site):
    draft = inspection(by=site.office, team=site.team_a, file=False, breaches={"JC-01": (1, site.collector)})
    uniform = draft.results.get(item__code="JC-01")
    evidence = services.evidence_photo_add(inspection=draft, added_by=site.office, upload=photo(), finding=uniform)
    kept = [
        services.ResultInput(item=r.item, verdict="compliant", pk=r.pk if r.item.code != "JC-01" else None)
        for r in draft.results.select_related("item")
    ]
    services.inspection_results_save(inspection=draft, saved_by=site.office, results=kept)
    evidence.refresh_from_db()
    assert evidence.finding is None and evidence.inspection == draft
    services.evidence_remove_from_draft(evidence=evidence, removed_by=site.office)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
