"""Who sees what (INS-6: a covert visit is invisible to the visited team until published, and
every read of it before then is logged), and the query budgets of the lists."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections import selectors, services
from inspections.models import CovertRead, Inspection
from tests.inspections.factories import Kind, a_moment, finding, inspection
from tollservice.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def secret(site):
    """A covert visit of team A, filed by the supervisor and not yet published."""
    return inspection(
        by=site.supervisor,
        team=site.team_a,
        kind=Kind.SUPERVISOR_COVERT,
        breaches={"JC-08": (1, site.collector), "JC-01": (1, site.collector2)},
    )


def sees(user, visit) -> dict[str, bool]:
    """Every selector that could reveal the visit, for one user."""
    team = visit.team
    day = visit.shift_date
    counts = {row.team.pk: row.inspections for row in selectors.coverage(user=user, month=day).teams}
    findings = selectors.finding_list(user=user)
    first_finding = visit.results.findings().first()
    try:
        selectors.inspection_detail(user=user, pk=visit.pk)
        detail = True
    except Inspection.DoesNotExist:
        detail = False
    return {
        "list": selectors.inspection_list(user=user).filter(pk=visit.pk).exists(),
        "count": selectors.inspection_list(user=user, team=team).count() > 0,
        "detail": detail,
        "findings": findings.filter(inspection=visit).exists(),
        "penalty source link": selectors.finding_visible(user=user, finding_id=first_finding.pk) is not None,
        "team open items": bool(selectors.team_open_items(user=user, team=team)["findings"]),
        "review queue": selectors.review_queue(user=user).filter(pk=visit.pk).exists(),
        "coverage": counts.get(team.pk, 0) > 0,
        "scores": any(row["team_id"] == team.pk for row in selectors.team_scores(user=user, start=day, end=day)),
    }


def test_ins6_an_unpublished_covert_visit_is_invisible_to_the_visited_team_everywhere(site, secret):
    hidden_from = {
        "team leader": site.leader_a.user,
        "collector named in it": site.collector.user,
        "office member in the team": site.office_in_team,
        "shift leader on duty": site.shift_leader.user,
    }
    for who, user in hidden_from.items():
        assert not any(sees(user, secret).values()), (who, sees(user, secret))
    # nobody of the team heard of it either
    team_users = [u.pk for u in hidden_from.values()]
    assert not Notification.objects.filter(recipient__in=team_users).exists()
    # the office and the leadership group see it (reads are logged)
    for user in (site.office, site.leader, site.admin):
        assert sees(user, secret)["list"] and sees(user, secret)["detail"], user
    assert sees(site.office, secret)["review queue"] and sees(site.office, secret)["coverage"]
    # the supervisor sees their own visit; others outside the station nothing
    assert sees(site.supervisor, secret)["detail"]
    for user in (site.supervisor2, site.finance, site.outsider, site.leader_b.user):
        assert not sees(user, secret)["list"], user


def test_ins6_once_published_the_team_sees_the_visit_its_findings_and_orders(site, secret):
    services.inspection_publish(inspection=secret, published_by=site.office)
    order = services.rectification_order_issue(
        finding=finding(secret, "JC-08"), issued_by=site.office, instructions="加强岗位管理"
    )
    for user in (site.leader_a.user, site.collector.user, site.office_in_team):
        seen = sees(user, secret)
        assert seen["list"] and seen["detail"] and seen["findings"] and seen["penalty source link"], user
        assert selectors.order_list(user=user).filter(pk=order.pk).exists(), user
    assert not selectors.order_list(user=site.leader_b.user).exists()
    assert [o.pk for o in selectors.orders_due_for(user=site.leader_a.user)] == [order.pk]


def test_ins6_every_read_of_an_unpublished_covert_visit_is_logged_and_shown_on_the_visit(site, secret):
    selectors.inspection_detail(user=site.office, pk=secret.pk)
    selectors.inspection_detail(user=site.supervisor, pk=secret.pk)
    services.covert_reads_record(
        inspections=selectors.inspection_list(user=site.leader), user=site.leader, context=CovertRead.Context.LIST
    )
    log = list(selectors.covert_read_log(user=site.office, inspection=secret))
    assert [(r.user, r.context) for r in reversed(log)] == [
        (site.office, "detail"),
        (site.supervisor, "detail"),
        (site.leader, "list"),
    ]
    assert list(selectors.covert_read_log(user=site.leader_a.user, inspection=secret)) == []  # not theirs to see
    services.inspection_publish(inspection=secret, published_by=site.office)
    secret.refresh_from_db()
    selectors.inspection_detail(user=site.office, pk=secret.pk)  # published: no longer a secret read
    assert CovertRead.objects.filter(inspection=secret).count() == 3


def test_drafts_are_seen_by_their_authors_only(site):
    draft = inspection(by=site.office, team=site.team_b, file=False)
    assert selectors.inspection_list(user=site.office).filter(pk=draft.pk).exists()
    assert not selectors.inspection_list(user=site.office2).filter(pk=draft.pk).exists()
    assert not selectors.inspection_list(user=site.leader_b.user).filter(pk=draft.pk).exists()


def test_staff_see_their_teams_inspections_in_effect_and_nothing_else(site):
    mine = inspection(by=site.office, team=site.team_a, breaches={"JC-01": (1, site.collector)})
    other = inspection(by=site.office, team=site.team_b)
    assert [i.pk for i in selectors.inspection_list(user=site.collector.user)] == [mine.pk]
    assert [i.pk for i in selectors.inspection_list(user=site.leader_b.user)] == [other.pk]
    assert not selectors.inspection_list(user=site.finance).exists()


def test_a_reader_who_sees_nearly_everything_is_counted_as_everything_but_what_is_hidden(site, secret):
    """Issue 9: the office's and the leadership group's lists are counted as every row but those
    of the few inspections hidden from the reader (``scope.hidden_from``), without reading each
    row's inspection. The count covers the same rows as the list, for every reader: others'
    drafts, INS-6 secrets (a covert visit submitted, returned, voided or published) and drafts
    of the reader's own."""
    own_draft = inspection(by=site.office, team=site.team_b, file=False, breaches={"JC-01": (1, site.collector_b)})
    others_draft = inspection(by=site.office2, team=site.team_a, file=False, breaches={"JC-02": (1, None)})
    returned = inspection(
        by=site.supervisor2, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-03": (1, None)}
    )
    services.inspection_return(inspection=returned, returned_by=site.office, reasons="照片不清")
    voided = inspection(
        by=site.supervisor2, team=site.team_b, kind=Kind.SUPERVISOR_COVERT, breaches={"JC-04": (1, None)}
    )
    services.inspection_void(inspection=voided, voided_by=site.office, reason="被认出")
    inspection(
        by=site.supervisor,
        team=site.team_b,
        kind=Kind.SUPERVISOR_COVERT,
        publish_by=site.office,
        breaches={"JC-05": (1, site.collector_b)},
    )
    inspection(by=site.office_in_team, team=site.team_b, breaches={"JC-06": (1, site.collector_b)})

    # Others' drafts are hidden from the office; so are the covert visits of team A from its member.
    assert set(selectors.hidden_from(site.office)) == {others_draft}
    assert set(selectors.hidden_from(site.office_in_team)) == {own_draft, others_draft, secret, returned}
    assert selectors.hidden_from(site.leader_a.user) is None  # a reader of parts: the list is counted
    readers = [
        site.office,
        site.office2,
        site.office_in_team,
        site.leader,
        site.admin,
        site.leader_a.user,
        site.leader_b.user,
        site.collector.user,
        site.shift_leader.user,
        site.supervisor,
        site.finance,
    ]
    for user in readers:
        listed = sorted(selectors.finding_list(user=user).values_list("pk", flat=True))
        assert sorted(selectors.findings_to_count(user=user).values_list("pk", flat=True)) == listed, user
        listed = sorted(selectors.inspection_list(user=user).values_list("pk", flat=True))
        assert sorted(selectors.inspections_to_count(user=user).values_list("pk", flat=True)) == listed, user


# --- Query budgets: rows grow, the count stays -----------------------------------------------------------------


def _queries(fn) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as context:
        rows = fn()
    return len(context), rows


def _busy(site, n: int, offset: int):
    for i in range(n):
        done = inspection(
            by=site.office,
            team=site.team_a if i % 2 else site.team_b,
            breaches={"JC-07": (1, site.collector if i % 2 else site.collector_b), "JC-11": (1, None)},
            occurred_at=a_moment(days_ago=2, hour=8 + (i + offset) % 8),
            lane=None,
        )
        services.finding_penalty_propose(finding=finding(done, "JC-07"), proposed_by=site.office)
        services.rectification_order_issue(finding=finding(done, "JC-11"), issued_by=site.office, instructions="整改")
        inspection(by=site.supervisor, team=site.team_a, kind=Kind.SUPERVISOR_COVERT, occurred_at=a_moment(3 + i))


def _read_rows(user):
    """Each list read as its page would: every column of every row."""

    def inspections():
        return [
            (
                str(r),
                r.team.name,
                r.shift_leader and r.shift_leader.name,
                r.finding_count,
                r.supervisor and r.supervisor.name,
            )
            for r in selectors.inspection_list(user=user)
        ]

    def findings():
        return [
            (
                r.item.code,
                r.staff and r.staff.name,
                r.inspection.reference,
                r.inspection.team.name,
                [(o.penalty and o.penalty.status, o.order and o.order.status) for o in r.outcomes.all()],
            )
            for r in selectors.finding_list(user=user)
        ]

    def orders():
        return [
            (r.team.name, r.assignee.name, r.finding.item.title, r.inspection.reference, r.overdue)
            for r in selectors.order_list(user=user)
        ]

    def review():
        return [(r.team.name, r.supervisor.name, r.revisit_warning) for r in selectors.review_queue(user=user)]

    return {"inspections": inspections, "findings": findings, "orders": orders, "review queue": review}


@pytest.mark.parametrize("role", ["office", "team_leader"])
def test_lists_have_a_query_budget(site, role):
    user = site.office if role == "office" else site.leader_a.user
    readers = _read_rows(user)
    for read in readers.values():
        read()  # roles are computed once per request; warm them up

    _busy(site, 2, offset=0)
    first = {name: _queries(read) for name, read in readers.items()}
    _busy(site, 3, offset=2)
    second = {name: _queries(read) for name, read in readers.items()}
    for name in readers:
        (count1, rows1), (count2, rows2) = first[name], second[name]
        if not (role == "team_leader" and name == "review queue"):  # a team leader reviews nothing
            assert len(rows2) > len(rows1), (name, len(rows1), len(rows2))
        assert count1 == count2, (name, count1, count2)
        assert count2 <= 8, (name, count2)


def test_coverage_and_reports_have_a_query_budget(site, django_assert_max_num_queries):
    _busy(site, 2, offset=0)
    day = site.moment.date()
    selectors.coverage(user=site.office, month=day)
    with django_assert_max_num_queries(6):
        report = selectors.coverage(user=site.office, month=day)
        [row.missed for row in report.teams]
    with django_assert_max_num_queries(8):
        selectors.meeting_circular_content(start=day, end=day)
    first = _queries(lambda: selectors.meeting_circular_content(start=day, end=day))[0]
    _busy(site, 3, offset=2)
    assert _queries(lambda: selectors.meeting_circular_content(start=day, end=day))[0] == first


def test_a_finding_is_seen_with_its_inspection_after_a_correction_moves_it_to_another_team(site):
    # The findings list of a team leader is read part by part (each team on the finding's copy of
    # its inspection's team, the findings of their own inspections): a page shows what the scope —
    # decided on the inspection — shows, before and after a correction changes the team.
    from django.http import QueryDict

    from tollservice.core.pagination import paginate

    done = inspection(by=site.office, team=site.team_a, breaches={"JC-02": (1, site.collector), "JC-11": (1, None)})
    readers = (site.leader_a.user, site.leader_b.user, site.collector.user, site.collector_b.user, site.office)

    def pages_match():
        for user in readers:
            listed = selectors.finding_list(user=user)
            assert list(paginate(QueryDict(""), listed, per_page=25)) == list(listed), user

    assert set(done.results.values_list("inspection_team", flat=True)) == {site.team_a.pk}
    pages_match()
    services.inspection_correct(inspection=done, corrected_by=site.office, reason="班组录错", team=site.team_b)
    assert set(done.results.values_list("inspection_team", flat=True)) == {site.team_b.pk}
    pages_match()
    unnamed = finding(done, "JC-11")
    assert unnamed in selectors.finding_list(user=site.leader_b.user)  # the inspection's team now
    assert unnamed in selectors.finding_list(user=site.collector_b.user)  # a member of that team
    assert unnamed not in selectors.finding_list(user=site.leader_a.user)  # no longer their team's
    assert unnamed in selectors.finding_list(user=site.collector.user)  # named in the inspection
