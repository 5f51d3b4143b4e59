"""An inspection's life through the services: start, fill in, file, correct, close (INS-1, INS-2),
joint liability, veto items (INS-5), and the checklist's versions."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from inspections import selectors, services
from inspections.models import (
    Amendment,
    ChecklistVersion,
    Deduction,
    Inspection,
    ItemResult,
    VetoConsequence,
)
from penalties.models import EligibilityRevocation, Penalty
from penalties.selectors import award_eligibility
from tests.inspections.factories import Kind, a_moment, default_version, finding, inspection, item, results_for
from tollservice.audit.models import AuditEntry
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.django_db


def deductions(inspection, subject):
    totals = {}
    for row in Deduction.objects.filter(inspection=inspection, subject=subject):
        key = row.staff_id or row.team_id
        totals[key] = totals.get(key, 0) + row.points
    return totals


def test_ins1_leadership_inspection_is_scored_and_every_subject_answers_for_a_finding(site):
    # INS-1: the leadership group inspects without notice; one uniform lapse and one collector asleep
    done = inspection(
        by=site.leader,
        team=site.team_a,
        kind=Kind.LEADERSHIP,
        breaches={"JC-01": (1, site.collector), "JC-10": (1, site.collector)},
    )
    assert done.status == Inspection.Status.FILED and done.published_at is not None
    assert (done.score, done.deduction, done.raw_deduction, done.vetoed) == (D("92"), D("8"), D("8"), False)
    # looked up from the roster at that moment
    assert done.shift_leader == site.shift_leader
    assert done.team_leader == site.leader_a
    assert list(done.inspectors.all()) == [site.leader_staff]
    # joint liability (连带责任): the person, the team, the team leader and the shift leader on duty
    assert deductions(done, Deduction.Subject.PERSON) == {site.collector.pk: D("8")}
    assert deductions(done, Deduction.Subject.TEAM) == {site.team_a.pk: D("8")}
    assert deductions(done, Deduction.Subject.TEAM_LEADER) == {site.leader_a.pk: D("2")}
    assert deductions(done, Deduction.Subject.SHIFT_LEADER) == {site.shift_leader.pk: D("2")}
    assert AuditEntry.objects.filter(object_id=str(done.pk), summary="Inspection filed").exists()


def test_rankings_read_a_finding_from_the_person_the_team_and_the_shift_leader(site):
    inspection(by=site.office, team=site.team_a, breaches={"JC-08": (2, site.collector)})
    start, end = site.moment.date(), site.moment.date()
    person = {
        r["staff_id"]: r["points"]
        for r in selectors.subject_deductions(user=site.office, start=start, end=end, subject=Deduction.Subject.PERSON)
    }
    team = {
        r["team_id"]: r["points"]
        for r in selectors.subject_deductions(user=site.office, start=start, end=end, subject=Deduction.Subject.TEAM)
    }
    shift = {
        r["staff_id"]: r["points"]
        for r in selectors.subject_deductions(
            user=site.office, start=start, end=end, subject=Deduction.Subject.SHIFT_LEADER
        )
    }
    assert person == {site.collector.pk: D("10")}  # 2 × 5, capped at 10
    assert team == {site.team_a.pk: D("10")}
    assert shift == {site.shift_leader.pk: D("4")}
    assert list(selectors.subject_deductions(user=site.collector.user, start=start, end=end, subject="person")) == []


def test_the_live_score_is_the_same_function(site):
    draft = services.inspection_start(
        created_by=site.office, kind=Kind.OFFICE_ROUTINE, occurred_at=a_moment(), team=site.team_a
    )
    rows = results_for(draft, {"JC-02": (5, site.collector)})
    live = services.inspection_live_score(inspection=draft, results=rows)
    saved = services.inspection_results_save(inspection=draft, saved_by=site.office, results=rows)
    assert live.score == saved.score == D("97.5")
    assert not ItemResult.objects.filter(inspection=draft, deduction__gt=0).exists()  # a draft counts nothing


def test_filing_needs_a_result_for_every_item(site):
    draft = services.inspection_start(
        created_by=site.office, kind=Kind.OFFICE_ROUTINE, occurred_at=a_moment(), team=site.team_a
    )
    rows = [r for r in results_for(draft) if r.item.code not in ("JC-03", "JC-11")]
    services.inspection_results_save(inspection=draft, saved_by=site.office, results=rows)
    with pytest.raises(DomainError, match="JC-03、JC-11"):
        services.inspection_file(inspection=draft, filed_by=site.office)


def test_an_item_is_breached_or_compliant_not_both(site):
    draft = services.inspection_start(
        created_by=site.office, kind=Kind.OFFICE_ROUTINE, occurred_at=a_moment(), team=site.team_a
    )
    rows = results_for(draft, {"JC-01": (1, site.collector)})
    rows.append(services.ResultInput(item=item("JC-01"), verdict=ItemResult.Verdict.COMPLIANT))
    with pytest.raises(DomainError, match="JC-01"):
        services.inspection_results_save(inspection=draft, saved_by=site.office, results=rows)


def test_a_filed_inspection_is_locked(site):
    done = inspection(by=site.office, team=site.team_a)
    with pytest.raises(DomainError) as error:
        services.inspection_results_save(inspection=done, saved_by=site.office, results=results_for(done))
    assert error.value.code == "locked"
    with pytest.raises(DomainError):
        services.inspection_update(inspection=done, updated_by=site.office, summary="改一下")


def test_only_the_authors_fill_in_a_draft_and_only_the_right_roles_start_each_kind(site):
    draft = services.inspection_start(
        created_by=site.office, kind=Kind.OFFICE_ROUTINE, occurred_at=a_moment(), team=site.team_a
    )
    with pytest.raises(DomainError):
        services.inspection_results_save(inspection=draft, saved_by=site.office2, results=results_for(draft))
    for user, kind in [
        (site.supervisor, Kind.LEADERSHIP),
        (site.leader, Kind.OFFICE_ROUTINE),
        (site.leader_a.user, Kind.CCTV),
        (site.finance, Kind.LEADERSHIP),
    ]:
        with pytest.raises(DomainError):
            services.inspection_start(created_by=user, kind=kind, occurred_at=a_moment(), team=site.team_a)


def test_an_inspection_cannot_be_in_the_future_or_before_the_records(site):
    with pytest.raises(DomainError):
        services.inspection_start(
            created_by=site.office,
            kind=Kind.OFFICE_ROUTINE,
            occurred_at=timezone.now() + datetime.timedelta(hours=2),
            team=site.team_a,
        )
    with pytest.raises(DomainError, match="2020-05-01"):
        services.inspection_start(
            created_by=site.office,
            kind=Kind.OFFICE_ROUTINE,
            occurred_at=timezone.make_aware(datetime.datetime(2020, 5, 1, 10)),
            team=site.team_a,
        )


def test_the_team_on_shift_defaults_from_the_roster_and_the_shift_leader_is_editable(site):
    started = services.inspection_start(
        created_by=site.office, kind=Kind.CCTV, occurred_at=a_moment(), vehicles_sampled=30, shift_leader=None
    )
    assert started.team == site.team_a and started.shift_leader is None and started.shift == "day"
    services.inspection_update(inspection=started, updated_by=site.office, shift_leader=site.leader_b)
    started.refresh_from_db()
    assert started.shift_leader == site.leader_b


def test_a_cctv_review_records_the_vehicles_sampled(site):
    started = services.inspection_start(
        created_by=site.office, kind=Kind.CCTV, occurred_at=a_moment(), team=site.team_a
    )
    services.inspection_results_save(inspection=started, saved_by=site.office, results=results_for(started))
    with pytest.raises(DomainError) as error:
        services.inspection_file(inspection=started, filed_by=site.office)
    assert error.value.field == "vehicles_sampled"


# --- Versions of the checklist -------------------------------------------------------------------------------


def _new_version(site, effective_from):
    version = services.checklist_version_draft(
        created_by=site.office, effective_from=effective_from, note="调整着装分值"
    )
    uniform = version.items.get(code="JC-01")
    rest = version.items.get(code="JC-11")
    services.checklist_item_save(version=version, saved_by=site.office, item=uniform, points=D("6"), deduction=D("3"))
    services.checklist_item_save(version=version, saved_by=site.office, item=rest, points=D("6"))
    return services.checklist_version_publish(version=version, published_by=site.office)


def test_an_inspection_keeps_the_version_in_force_on_its_date_and_its_score_after_a_catalog_edit(site):
    before = inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)})
    assert before.score == D("98")
    new = _new_version(site, timezone.localdate())
    before.refresh_from_db()
    assert before.checklist_version == default_version() and before.score == D("98")  # unchanged
    # entered later, for a day before the new version: still the old one
    later = inspection(
        by=site.office, team=site.team_b, breaches={"JC-01": (1, site.collector_b)}, occurred_at=a_moment(3)
    )
    assert later.checklist_version == default_version() and later.score == D("98")
    # held today: the new version, 3 per lapse
    today = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time(0, 0)))
    current = inspection(by=site.office, team=site.team_b, breaches={"JC-01": (1, site.collector_b)}, occurred_at=today)
    assert current.checklist_version == new and current.score == D("97")
    # a correction of the old one rescores it with its own version
    services.inspection_correct(inspection=before, corrected_by=site.office2, reason="重新核对", summary="已核对")
    before.refresh_from_db()
    assert before.score == D("98")


def test_a_published_version_is_never_changed_and_must_weigh_100_points(site):
    with pytest.raises(DomainError):
        services.checklist_item_save(version=default_version(), saved_by=site.office, item=item("JC-01"), points=D("5"))
    draft = services.checklist_version_draft(created_by=site.office, effective_from=timezone.localdate(), note="新版")
    services.checklist_item_save(version=draft, saved_by=site.office, item=draft.items.get(code="JC-01"), points=D("5"))
    with pytest.raises(DomainError, match="101"):
        services.checklist_version_publish(version=draft, published_by=site.office)
    with pytest.raises(DomainError):
        services.checklist_version_draft(
            created_by=site.office, effective_from=timezone.localdate() - datetime.timedelta(days=1), note="倒签"
        )
    with pytest.raises(DomainError):  # the team leader does not edit the catalog
        services.checklist_version_draft(created_by=site.leader_a.user, effective_from=timezone.localdate(), note="x")


@pytest.mark.parametrize(
    "values, field",
    [
        ({"cap": D("5")}, "cap"),  # beyond the item's 4 points
        ({"grave_deduction": D("1")}, "grave_deduction"),  # graver is larger
        ({"is_violation": True, "provision": None}, "provision"),  # PEN-1 needs a provision
        ({"points": D("0.125")}, "points"),
    ],
)
def test_item_terms_that_make_no_sense_are_refused(site, values, field):
    draft = services.checklist_version_draft(created_by=site.office, effective_from=timezone.localdate(), note="新版")
    with pytest.raises(DomainError) as error:
        services.checklist_item_save(version=draft, saved_by=site.office, item=draft.items.get(code="JC-01"), **values)
    assert error.value.field == field


def test_the_default_checklist_is_marked_and_weighs_100(site):
    version = default_version()
    assert version.is_default and version.status == ChecklistVersion.Status.PUBLISHED
    items = list(version.items.all())
    assert sum(i.points for i in items) == D("100")
    veto = [i for i in items if i.is_veto]
    assert [i.code for i in veto] == ["JC-99"] and veto[0].is_violation  # letting a vehicle through unpaid
    queue = version.items.get(code="JC-06")
    assert (queue.points, queue.deduction, queue.grave_deduction) == (D("8"), D("2"), D("4"))
    smile = version.items.get(code="JC-02")
    assert (smile.points, smile.deduction, smile.unit) == (D("6"), D("0.5"), "vehicle")


# --- Corrections ---------------------------------------------------------------------------------------------


def test_the_office_corrects_a_filed_inspection_with_a_reason_and_the_original_score_stays(site):
    done = inspection(by=site.leader, team=site.team_a, kind=Kind.LEADERSHIP, breaches={"JC-01": (1, site.collector)})
    rows = results_for(done, {"JC-01": (2, site.collector)})
    existing = {r.item_id: r.pk for r in done.results.all()}
    rows = [services.ResultInput(**{**r.__dict__, "pk": existing.get(r.item.pk)}) for r in rows]
    with pytest.raises(DomainError):  # the leadership does not correct; the office does
        services.inspection_correct(inspection=done, corrected_by=site.leader2, reason="x", results=rows)
    with pytest.raises(DomainError):  # a reason is required
        services.inspection_correct(inspection=done, corrected_by=site.office, reason=" ", results=rows)
    with pytest.raises(DomainError):  # not on an inspection of one's own team
        services.inspection_correct(inspection=done, corrected_by=site.office_in_team, reason="录入错误", results=rows)
    services.inspection_correct(inspection=done, corrected_by=site.office, reason="录入错误，应为两次", results=rows)
    done.refresh_from_db()
    assert (done.original_score, done.score, done.amended) == (D("98"), D("96"), True)
    amendment = done.amendments.get()
    assert (amendment.kind, amendment.score_before, amendment.score_after) == (
        Amendment.Kind.CORRECTION,
        D("98"),
        D("96"),
    )
    assert deductions(done, Deduction.Subject.PERSON) == {site.collector.pk: D("4")}
    entry = AuditEntry.objects.filter(object_id=str(done.pk), summary="录入错误，应为两次").get()
    assert "results" in entry.changes


# --- Veto items (INS-5) --------------------------------------------------------------------------------------


def test_a_breached_veto_item_fails_the_inspection_and_removes_award_eligibility(site):
    # INS-5: the team and the person lose that year's award eligibility, with the inspection as reason
    done = inspection(by=site.office, team=site.team_a, breaches={"JC-99": (1, site.collector)})
    assert done.vetoed and done.score == D("0")
    year = done.shift_date.year
    revocations = EligibilityRevocation.objects.effective().filter(year=year)
    assert {(r.team_id, r.staff_id) for r in revocations} == {(site.team_a.pk, None), (None, site.collector.pk)}
    assert all(done.reference in r.reason for r in revocations)
    assert not award_eligibility(team=site.team_a, year=year).eligible
    assert not award_eligibility(staff=site.collector, year=year).eligible
    assert VetoConsequence.objects.filter(inspection=done).count() == 2
    # the period's rating leaves them out
    excluded = selectors.rating_exclusions(start=done.shift_date, end=done.shift_date)
    assert excluded == {"teams": {site.team_a.pk}, "staff": {site.collector.pk}}
    # a second veto in the year links the loss already recorded
    again = inspection(
        by=site.office2, team=site.team_a, breaches={"JC-99": (1, site.collector)}, occurred_at=a_moment(3)
    )
    assert EligibilityRevocation.objects.effective().filter(year=year).count() == 2
    assert VetoConsequence.objects.filter(inspection=again).count() == 2


# --- Outcomes (INS-2) ----------------------------------------------------------------------------------------


def test_ins2_every_finding_needs_an_outcome_before_the_inspection_closes(site):
    done = inspection(
        by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector), "JC-07": (1, site.collector2)}
    )
    uniform, smoking = finding(done, "JC-01"), finding(done, "JC-07")
    services.finding_suggest(finding=uniform, suggested_by=site.office, text="加强着装检查")
    with pytest.raises(DomainError) as error:
        services.inspection_close(inspection=done, closed_by=site.office)
    assert "JC-07" in str(error.value) and "收费员乙" in str(error.value) and "JC-01" not in str(error.value)
    services.rectification_order_issue(finding=smoking, issued_by=site.office, instructions="整改亭内卫生")
    services.inspection_close(inspection=done, closed_by=site.office)
    done.refresh_from_db()
    assert done.status == Inspection.Status.CLOSED
    with pytest.raises(DomainError):
        services.finding_suggest(finding=uniform, suggested_by=site.office, text="再提醒")


def test_ins2_pen1_a_penalty_proposed_from_a_finding_is_linked_both_ways(site):
    done = inspection(
        by=site.office, team=site.team_a, breaches={"JC-07": (1, site.collector), "JC-01": (1, site.collector)}
    )
    smoking = finding(done, "JC-07")
    outcome = services.finding_penalty_propose(finding=smoking, proposed_by=site.office)
    penalty = outcome.penalty
    assert penalty.rule == Penalty.Rule.SERVICE_CODE and penalty.source == Penalty.Source.INSPECTION_FINDING
    assert penalty.source_object == smoking  # the penalty page links to the finding
    assert [p.code for p in penalty.provisions.all()] == [item("JC-07").provision.code]  # PEN-1 cites it
    assert penalty.incident_date == done.shift_date and penalty.source_reference == done.reference
    shown = selectors.finding_list(user=site.office).get(pk=smoking.pk)
    assert [o.penalty.status for o in shown.outcomes.all()] == [Penalty.Status.PROPOSED]  # and the finding its status
    with pytest.raises(DomainError):  # one penalty per finding
        services.finding_penalty_propose(finding=smoking, proposed_by=site.office)
    with pytest.raises(DomainError, match="着装"):  # a uniform lapse is not a violation of the code
        services.finding_penalty_propose(finding=finding(done, "JC-01"), proposed_by=site.office)
    leadership_only = inspection(by=site.office, team=site.team_b, breaches={"JC-07": (1, site.collector_b)})
    with pytest.raises(DomainError):  # penalties are proposed by the office (PEN-5)
        services.finding_penalty_propose(finding=finding(leadership_only, "JC-07"), proposed_by=site.leader)


def test_outcomes_wait_until_the_inspection_is_in_effect(site):
    visit = inspection(
        by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-07": (1, site.collector)}
    )
    assert visit.status == Inspection.Status.SUBMITTED
    with pytest.raises(DomainError):
        services.rectification_order_issue(finding=finding(visit, "JC-07"), issued_by=site.office, instructions="整改")
