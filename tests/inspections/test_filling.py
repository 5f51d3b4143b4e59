"""Filling in an inspection on a phone: start it, record each item (the plain form without
JavaScript, or the draft the phone syncs as JSON), add photos, file it as a separate step."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from inspections.models import Evidence, Inspection, ItemResult
from tests.inspections.factories import a_moment, inspection
from tests.inspections.permission_matrix import photo

pytestmark = pytest.mark.django_db

Kind = Inspection.Kind


@pytest.fixture
def draft(site):
    """A supervisor's covert visit just started (INS-6), nothing recorded yet."""
    return inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, file=False, breaches=None)


def _rows(draft, **breaches):
    """The phone's rows: every item compliant but ``breaches`` (code → dict of fields)."""
    rows = []
    for result in draft.results.select_related("item").order_by("position"):
        row = {"key": f"s{result.pk}", "pk": result.pk, "item": result.item_id, "verdict": "compliant"}
        row.update(breaches.get(result.item.code, {}))
        rows.append(row)
    return rows


def _sync(client, draft, rows, summary=None):
    payload = {"rows": rows} | ({"summary": summary} if summary is not None else {})
    return client.post(
        reverse("inspections:inspection_draft", args=[draft.pk]), json.dumps(payload), content_type="application/json"
    )


def test_the_start_form_offers_each_role_the_kinds_it_enters(client, site):
    client.force_login(site.supervisor)
    form = client.get(reverse("inspections:inspection_start")).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == [Kind.SUPERVISOR_OPEN, Kind.SUPERVISOR_COVERT]
    assert "inspectors" not in form.fields and "supervisor" not in form.fields  # a supervisor's own visit
    client.force_login(site.leader)
    form = client.get(reverse("inspections:inspection_start")).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == [Kind.LEADERSHIP]


def test_ins6_a_covert_visit_is_started_with_the_time_of_the_visit(client, site):
    client.force_login(site.supervisor)
    visited = a_moment(days_ago=1, hour=20)
    response = client.post(
        reverse("inspections:inspection_start"),
        {
            "kind": Kind.SUPERVISOR_COVERT,
            "occurred_at": timezone.localtime(visited).strftime("%Y-%m-%dT%H:%M"),
            "team": site.team_a.pk,
        },
    )
    visit = Inspection.objects.get()
    assert response["Location"] == reverse("inspections:inspection_fill", args=[visit.pk])
    assert visit.occurred_at == visited and visit.submitted_at is None and visit.supervisor == site.supervisor_profile


def test_every_item_starts_compliant_and_the_plain_form_saves_them_all(client, site, draft):
    client.force_login(site.supervisor)
    page = client.get(reverse("inspections:inspection_fill", args=[draft.pk]))
    assert page.status_code == 200
    rows = [row for group in page.context["groups"] for row in group["rows"]]
    assert len(rows) == draft.checklist_version.items.count() and {r["verdict"] for r in rows} == {"compliant"}
    data = {"summary": "窗口服务总体良好。"}
    for group in page.context["groups"]:
        for row in group["rows"]:
            prefix = f"row-{row['index']}-"
            data |= {prefix + "item": group["item"].pk, prefix + "pk": row["pk"], prefix + "verdict": "compliant"}
            if group["item"].code == "JC-02":
                data |= {prefix + "verdict": "breached", prefix + "occurrences": "2", prefix + "staff": "收费员甲"}
    response = client.post(reverse("inspections:inspection_fill", args=[draft.pk]), data, follow=True)
    assert "当前得分：99.00" in [str(m) for m in response.context["messages"]][0]
    draft.refresh_from_db()
    assert draft.summary == "窗口服务总体良好。"
    [found] = draft.results.findings()
    assert (found.item.code, found.occurrences, found.staff) == ("JC-02", 2, site.collector)


def test_the_phones_draft_syncs_with_the_ids_of_the_rows_already_saved_and_gets_the_live_score(client, site, draft):
    client.force_login(site.supervisor)
    client.get(reverse("inspections:inspection_fill", args=[draft.pk]))
    items = {item.code: item.pk for item in draft.checklist_version.items.all()}
    rows = [{"key": f"n{code}", "pk": None, "item": pk, "verdict": "compliant"} for code, pk in items.items()]
    rows[1] |= {"verdict": "breached", "occurrences": 3, "staff_pk": site.collector.pk}
    rows.append(
        {
            "key": "extra",
            "pk": None,
            "item": items["JC-02"],
            "verdict": "breached",
            "occurrences": 1,
            "staff": "收费员乙",
        }
    )
    response = _sync(client, draft, rows, summary="暗访记录")
    body = response.json()
    assert response.status_code == 200 and body["ok"]
    assert body["score"] == {
        "score": "98.00",
        "deduction": "2.00",
        "raw_deduction": "2.00",
        "vetoed": False,
        "items": body["score"]["items"],
    }
    assert body["score"]["items"][str(items["JC-02"])] == "2.00"
    saved = {row["key"]: row["pk"] for row in body["rows"]}
    assert set(saved) == {row["key"] for row in rows} and all(saved.values())
    assert {r.staff for r in draft.results.findings()} == {site.collector, site.collector2}
    # Synced again with those ids: the same rows, changed in place (their photos stay attached).
    evidence = Evidence.objects.create(
        inspection=draft, finding_id=saved["extra"], kind="photo", file="x.png", added_by=site.supervisor
    )
    for row in rows:
        row["pk"] = saved[row["key"]]
    rows[-1]["occurrences"] = 2
    assert _sync(client, draft, rows).json()["score"]["score"] == "97.50"
    evidence.refresh_from_db()
    assert evidence.finding_id == saved["extra"] and draft.results.count() == len(rows)


def test_a_draft_naming_rows_removed_elsewhere_saves_them_again_and_refusals_say_why(client, site, draft):
    client.force_login(site.supervisor)
    rows = _rows(draft)
    ItemResult.objects.filter(inspection=draft).delete()  # removed from another device meanwhile
    assert _sync(client, draft, rows).json()["ok"] and draft.results.count() == len(rows)
    rows = [{**row, "pk": None} for row in rows]
    rows[0] |= {"verdict": "breached", "occurrences": 1, "staff": "收费员"}  # two collectors match
    refused = _sync(client, draft, rows)
    assert (
        refused.status_code == 400 and "收费员甲" in refused.json()["error"] and "收费员乙" in refused.json()["error"]
    )
    assert (
        client.post(
            reverse("inspections:inspection_draft", args=[draft.pk]), "{nope", content_type="application/json"
        ).status_code
        == 400
    )


def test_the_staff_chooser_of_a_draft_offers_its_team(client, site, draft):
    client.force_login(site.supervisor)
    url = reverse("chooser", kwargs={"name": "inspection-staff"})
    names = [
        r["label"] for r in client.get(url, {"inspection": draft.pk, "q": "收费员", "format": "json"}).json()["results"]
    ]
    assert names == ["收费员甲", "收费员乙"]  # team A's, not team B's 收费员丙
    client.force_login(site.supervisor2)
    assert client.get(url, {"inspection": draft.pk, "q": "收费员"}).status_code == 404


def test_a_photo_sent_twice_by_the_phone_is_kept_once(client, site, draft):
    # The phone names each photo it keeps "draft-<id>": resent after a lost answer, it is not added twice.
    client.force_login(site.supervisor)
    url = reverse("inspections:evidence_photo_upload", args=[draft.pk])
    finding = draft.results.first()
    json_headers = {"Accept": "application/json"}
    first = client.post(url, {"photo": photo("draft-abc.png"), "finding": finding.pk}, headers=json_headers)
    again = client.post(url, {"photo": photo("draft-abc.png"), "finding": finding.pk}, headers=json_headers)
    assert first.json()["id"] == again.json()["id"] and Evidence.objects.get().finding == finding
    not_a_photo = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    bad = client.post(url, {"photo": not_a_photo}, headers=json_headers)
    assert bad.status_code == 400 and not bad.json()["ok"] and Evidence.objects.count() == 1
    # Without JavaScript: the plain form's upload, back to the form with a message.
    response = client.post(url, {"photo": photo("IMG_0001.png")}, follow=True)
    assert "照片已添加。" in [str(m) for m in response.context["messages"]] and Evidence.objects.count() == 2


def test_filing_is_a_separate_step_and_a_visit_then_waits_for_the_office(client, site, draft):
    client.force_login(site.supervisor)
    _sync(client, draft, [{**row, "pk": None} for row in _rows(draft)])
    page = client.get(reverse("inspections:inspection_file", args=[draft.pk]))
    assert page.status_code == 200 and page.context["score"].score == 100 and not page.context["missing"]
    response = client.post(reverse("inspections:inspection_file", args=[draft.pk]))
    draft.refresh_from_db()
    assert response["Location"] == reverse("inspections:inspection_detail", args=[draft.pk])
    assert draft.status == Inspection.Status.SUBMITTED and draft.submitted_at > draft.occurred_at
    # Locked: the form sends the author to the visit, and a late sync is refused as locked.
    assert client.get(reverse("inspections:inspection_fill", args=[draft.pk])).status_code == 302
    locked = _sync(client, draft, _rows(draft))
    assert locked.status_code == 409 and locked.json()["locked"]
    detail = client.get(reverse("inspections:inspection_detail", args=[draft.pk])).content.decode()
    assert 'data-draft-done="1"' in detail  # the phone forgets its copy


def test_an_incomplete_inspection_is_not_filed_and_says_what_is_missing(client, site, draft):
    client.force_login(site.supervisor)
    rows = [{**row, "pk": None} for row in _rows(draft)][:-1]
    _sync(client, draft, rows)
    response = client.post(reverse("inspections:inspection_file", args=[draft.pk]))
    assert response.status_code == 200 and "JC-99" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Inspection.Status.DRAFT
