"""The stored ranking (AWD-1, AWD-2): a refresh stores what the live computation ranks, the page
reads a page of it through its index at a fixed cost, the office's "Recompute now" (and only the
office's) queues an idempotent task, and changed weights make it stale and recomputed."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import rules, selectors, services, tasks
from awards.models import RankingEntry, RankingSnapshot
from penalties import services as penalty_services
from tests.awards.factories import GOLD, STAR, open_campaign, scored_teams, selection, violation
from tests.inspections.factories import a_moment, inspection
from tests.list_plans import assert_list_pages_indexed
from tests.query_budget import assert_constant_queries, get_rows
from tests.roster.factories import StaffFactory, TeamFactory, UserFactory
from tollservice.audit.models import AuditEntry

Trigger = RankingSnapshot.Trigger


@pytest.fixture
def login(client):
    def sign_in(user):
        client.logout()
        client.force_login(user)
        return client

    return sign_in


def _contested(site, year):
    """Both teams scored (B first), a violation (AWD-2) in team B, team C's loss of eligibility
    (INS-5): every kind of row a ranking has."""
    scored_teams(site)
    violation(site, site.collector_b)
    third = TeamFactory(department=site.toll_office, name="收费三班")
    inspection(by=site.office, team=third)
    penalty_services.eligibility_revoke(decided_by=site.office, team=third, year=year, reason="消极应付规范化服务活动")
    return open_campaign(site, year)


def _line(row) -> tuple:
    """What the page shows of a row, from a live ``RankingRow`` or a ``StoredRow`` alike."""
    return (
        row.key,
        row.rank,
        row.score,
        row.eligible,
        [(measure.criterion, measure.points) for measure in row.measures],
        [(reason.kind, str(reason.label), reason.url) for reason in row.reasons],
    )


def _stored(ranking, user) -> list:
    return selectors.stored_rows(ranking, selectors.stored_entries(ranking), user=user)


# --- The refresh stores the one computation --------------------------------------------------------


@pytest.mark.parametrize("kind", [GOLD, STAR])
def test_a_refresh_stores_the_ranking_the_live_computation_makes(site, year, kind):
    # AWD-1 / AWD-2 / INS-5: the same order, ranks, scores, figures and exclusions (with the
    # links the reader may follow) as the scoring code computes live.
    campaign = _contested(site, year)
    chosen = selection(campaign, kind)
    live = selectors.compute_ranking(selection=chosen, user=site.office)
    stored = services.ranking_refresh(year=year, kind=kind, triggered_by=site.office)
    ranking = selectors.ranking_stored(user=site.office, selection=chosen)
    assert ranking.snapshot == stored and not ranking.stale
    assert [_line(row) for row in _stored(ranking, site.office)] == [_line(row) for row in live.rows]
    assert any(not row.eligible for row in live.rows) and any(row.rank for row in live.rows)
    assert (stored.year, stored.kind, stored.candidates) == (year, kind, len(live.rows))
    assert (ranking.start, ranking.end) == (live.start, live.end) and ranking.weights == live.weights
    # Audited like every write of the app.
    entry = AuditEntry.objects.get(object_id=str(stored.pk), summary="Ranking recomputed")
    assert entry.actor == site.office


def test_a_page_reads_a_candidate_s_first_reasons_and_says_there_are_more(site, year):
    # AWD-2: a person with many violations is excluded with every one of them as a reason; the
    # page reads the first few (its cost must not grow with them) and links to the rest.
    campaign = _contested(site, year)
    violation(site, site.collector_b)
    chosen = selection(campaign, STAR)
    services.ranking_refresh(year=year, kind=STAR, triggered_by=site.office)
    ranking = selectors.ranking_stored(user=site.office, selection=chosen)
    whole = {row.key: row for row in _stored(ranking, site.office)}
    assert len(whole[site.collector_b.pk].reasons) == 2
    for shown, more in ((1, True), (2, False)):
        rows = selectors.stored_rows(ranking, selectors.stored_entries(ranking, reasons=shown), user=site.office)
        for row in rows:
            assert row.reasons == whole[row.key].reasons[:shown]
            assert row.more_reasons == (len(whole[row.key].reasons) > shown)
        assert any(row.more_reasons for row in rows) == more


def test_a_refresh_replaces_the_stored_ranking_and_a_late_one_never_wins(site, year):
    open_campaign(site, year)
    scored_teams(site)
    first = services.ranking_refresh(year=year, kind=GOLD)
    second = services.ranking_refresh(year=year, kind=GOLD)
    assert list(RankingSnapshot.objects.values_list("pk", flat=True)) == [second.pk]
    assert not RankingEntry.objects.filter(snapshot_id=first.pk).exists()
    # A computation that finishes after a newer one was stored is dropped.
    RankingSnapshot.objects.filter(pk=second.pk).update(computed_at=timezone.now() + datetime.timedelta(hours=1))
    assert services.ranking_refresh(year=year, kind=GOLD).pk == second.pk


# --- The page reads the stored ranking ---------------------------------------------------------------


def test_the_page_shows_the_stored_ranking_and_when_it_was_computed(site, year, login, monkeypatch):
    _contested(site, year)
    services.ranking_refresh(year=year, kind=GOLD)
    # New records change nothing on the page until the ranking is computed again …
    inspection(by=site.office, team=site.team_a)
    monkeypatch.setattr(selectors, "compute_full_ranking", _not_called)
    client = login(site.office)
    page = client.get(reverse("awards:ranking", args=[year, GOLD]))
    assert page.status_code == 200
    assert [row.name for row in page.context["rows"]] == ["收费二班", "收费一班", "收费三班"]
    stored = RankingSnapshot.objects.get()
    assert timezone.localtime(stored.computed_at).strftime("%Y-%m-%d %H:%M") in page.content.decode()
    assert "消极应付规范化服务活动" in page.content.decode()
    # … the download lists the same stored rows.
    response = client.get(reverse("awards:ranking", args=[year, GOLD]), {"export": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[1] for line in lines[1:]] == ["收费二班", "收费一班", "收费三班"]


def _not_called(**kwargs):
    raise AssertionError("the page computed the ranking instead of reading the stored one")


def test_without_a_stored_ranking_the_first_reader_gets_one_computed(site, year, login):
    # Computed once, synchronously (see awards/views/selection.py): later readers read it.
    scored_teams(site)
    open_campaign(site, year)
    client = login(site.office)
    page = client.get(reverse("awards:ranking", args=[year, STAR]))
    assert page.status_code == 200 and page.context["rows"]
    stored = RankingSnapshot.objects.get()
    assert (stored.kind, stored.trigger, stored.triggered_by) == (STAR, Trigger.FIRST_VIEW, site.office)
    client.get(reverse("awards:ranking", args=[year, STAR]))
    assert RankingSnapshot.objects.get().pk == stored.pk


def _more_people(site, year, n):
    team = TeamFactory(department=site.toll_office)
    for _ in range(n):
        StaffFactory(department=site.toll_office, team=team, user=UserFactory())
    inspection(by=site.office, team=team)
    for kind in (GOLD, STAR):
        services.ranking_refresh(year=year, kind=kind)


def test_the_page_reads_the_stored_ranking_at_a_fixed_number_of_queries(site, year, login):
    scored_teams(site)
    open_campaign(site, year)
    for kind in (GOLD, STAR):
        services.ranking_refresh(year=year, kind=kind)
    office = login(site.office)
    cases = {
        "gold": get_rows(office, reverse("awards:ranking", args=[year, GOLD])),
        "star": get_rows(office, reverse("awards:ranking", args=[year, STAR])),
        "star-csv": get_rows(office, reverse("awards:ranking", args=[year, STAR]), {"export": "csv"}),
    }
    assert_constant_queries(cases, grow=lambda: _more_people(site, year, 6), max_queries=25)


def test_the_page_reads_its_rows_through_the_index_in_their_order(site, year, login):
    # AWD-1 on a station of 200,000 staff: the page's query reads its 50 entries through
    # awards_entry_page (snapshot, position, id), first page, after, before and last alike.
    scored_teams(site)
    open_campaign(site, year)
    stored = services.ranking_refresh(year=year, kind=STAR)
    assert_list_pages_indexed(
        login(site.office),
        reverse("awards:ranking", args=[year, STAR]),
        ordering=RankingEntry.objects.filter(snapshot=stored).order_by("position", "pk"),
        boundary=[3, 1000],
        tables=[RankingEntry, RankingSnapshot],
    )


# --- "Recompute now" ---------------------------------------------------------------------------------

ROLES = ["office", "leader", "admin", "finance", "supervisor", "outsider"]


@pytest.mark.parametrize(
    ("role", "sees_the_page", "offered", "post_status"),
    [
        ("office", True, True, 302),  # awards.manage
        ("leader", True, False, 403),  # the leadership group reads the ranking, decides nominations
        ("admin", True, False, 403),
        ("finance", False, False, 403),
        ("supervisor", False, False, 403),
        ("outsider", False, False, 403),
    ],
)
def test_who_is_offered_recompute_now_and_who_is_refused(site, year, login, role, sees_the_page, offered, post_status):
    # The button and the guard come from awards.permissions.can_refresh_ranking.
    open_campaign(site, year)
    services.ranking_refresh(year=year, kind=GOLD)
    client = login(getattr(site, role))
    page = client.get(reverse("awards:ranking", args=[year, GOLD]))
    assert page.status_code == (200 if sees_the_page else 403)
    if sees_the_page:
        assert page.context["may_refresh"] is offered
        assert ('id="ranking-refresh"' in page.content.decode()) is offered
    response = client.post(reverse("awards:ranking_refresh", args=[year, GOLD]))
    assert response.status_code == post_status


def test_recompute_now_queues_the_task_and_comes_back_with_a_message(
    site, year, login, django_capture_on_commit_callbacks
):
    open_campaign(site, year)
    scored_teams(site)
    first = services.ranking_refresh(year=year, kind=GOLD)
    client = login(site.office)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(reverse("awards:ranking_refresh", args=[year, GOLD]), follow=True)
    assert len(queued) == 1
    assert response.redirect_chain[-1][0] == reverse("awards:ranking", args=[year, GOLD])
    assert "重新计算" in str(list(response.context["messages"])[0])
    stored = RankingSnapshot.objects.get()
    assert stored.pk != first.pk and (stored.trigger, stored.triggered_by) == (Trigger.REQUEST, site.office)


def test_the_task_is_idempotent(site, year):
    open_campaign(site, year)
    scored_teams(site)
    requested_at = timezone.now().isoformat()
    first = tasks.refresh_ranking(year, GOLD, "request", site.office.pk, requested_at)
    # Delivered again (a worker restarted before acknowledging it): the stored ranking computed
    # since the request is the answer; nothing is computed or audited again.
    again = tasks.refresh_ranking(year, GOLD, "request", site.office.pk, requested_at)
    assert again == first and list(RankingSnapshot.objects.values_list("pk", flat=True)) == [first]
    assert AuditEntry.objects.filter(object_id=str(first), summary="Ranking recomputed").count() == 1
    entries = list(RankingEntry.objects.values_list("team_id", "position", "rank", "score"))
    assert entries == [(site.team_b.pk, 1, 1, entries[0][3]), (site.team_a.pk, 2, 2, entries[1][3])]


def test_the_nightly_run_refreshes_this_years_rankings_of_both_awards(site, year):
    from tollservice.celery import app

    entry = app.conf.beat_schedule["awards-refresh-rankings"]
    assert entry["task"] == tasks.refresh_current_rankings.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {15})
    assert settings.CELERY_TIMEZONE == settings.TIME_ZONE == "Asia/Shanghai"
    open_campaign(site, year)
    stored = services.rankings_refresh_current(today=a_moment().date())
    assert sorted(s.kind for s in stored) == sorted([GOLD, STAR])
    assert {s.trigger for s in RankingSnapshot.objects.all()} == {Trigger.SCHEDULE}
    assert services.rankings_refresh_current(today=datetime.date(year + 5, 1, 2)) == []  # no campaign


# --- Stale ---------------------------------------------------------------------------------------------


def test_new_weights_make_the_stored_ranking_stale_and_it_is_recomputed(
    site, year, login, django_capture_on_commit_callbacks
):
    gold = selection(open_campaign(site, year), GOLD)
    scored_teams(site)
    before = services.ranking_refresh(year=year, kind=GOLD)
    weights = {**gold.weights, "covert": 0}
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.selection_change(selection=gold, changed_by=site.office, places=3, reward_fen=1, weights=weights)
    assert len(queued) == 1  # the recomputation, once the change commits
    page = login(site.office).get(reverse("awards:ranking", args=[year, GOLD]))
    assert page.context["ranking"].stale and 'id="ranking-stale"' in page.content.decode()
    assert page.context["ranking"].weights["covert"] == 20  # the columns say what the figures used
    for callback in queued:
        callback()
    after = RankingSnapshot.objects.get()
    assert after.pk != before.pk and after.trigger == Trigger.SETTINGS and after.weights["covert"] == 0
    page = login(site.office).get(reverse("awards:ranking", args=[year, GOLD]))
    assert not page.context["ranking"].stale and 'id="ranking-stale"' not in page.content.decode()


def test_places_alone_leave_the_stored_ranking_as_it_is(site, year, django_capture_on_commit_callbacks):
    gold = selection(open_campaign(site, year), GOLD)
    services.ranking_refresh(year=year, kind=GOLD)
    with django_capture_on_commit_callbacks() as queued:
        services.selection_change(selection=gold, changed_by=site.office, places=4, reward_fen=1, weights=gold.weights)
    assert queued == []
    assert not selectors.ranking_stored(user=site.office, selection=gold).stale


def test_a_stale_ranking_is_queued_once_however_many_read_it(
    site, year, login, monkeypatch, django_capture_on_commit_callbacks
):
    # A change of the formula's code (rules.FORMULA_VERSION) makes every stored ranking stale.
    open_campaign(site, year)
    services.ranking_refresh(year=year, kind=GOLD)
    monkeypatch.setattr(rules, "FORMULA_VERSION", rules.FORMULA_VERSION + 1)
    client = login(site.office)
    with django_capture_on_commit_callbacks() as queued:
        for _ in range(3):
            page = client.get(reverse("awards:ranking", args=[year, GOLD]))
            assert page.context["ranking"].stale
    assert len(queued) == 1


def test_readers_get_only_the_links_they_may_follow(site, year, login):
    # AWD-2: the stored reasons keep their links; each reader sees those of records they may open.
    _contested(site, year)
    services.ranking_refresh(year=year, kind=STAR)
    ranking = selectors.ranking_stored(user=site.office, selection=selection(open_campaign_get(year), STAR))
    stored = {row.key: row for row in _stored(ranking, site.office)}
    for user in (site.office, site.leader, site.admin):
        live = {row.key: row for row in selectors.compute_ranking(selection=ranking.selection, user=user).rows}
        mine = {row.key: row for row in _stored(ranking, user)}
        assert {key: _line(row) for key, row in mine.items()} == {key: _line(row) for key, row in live.items()}
    assert stored[site.collector_b.pk].reasons and not stored[site.collector_b.pk].eligible


def open_campaign_get(year):
    from awards.models import Campaign

    return Campaign.objects.get(year=year)


def test_the_page_query_count_does_not_depend_on_the_readers_page(site, year, login):
    scored_teams(site)
    open_campaign(site, year)
    services.ranking_refresh(year=year, kind=STAR)
    client = login(site.office)
    url = reverse("awards:ranking", args=[year, STAR])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as last:
        client.get(url, {"page": "last"})
    assert len(first.captured_queries) == len(last.captured_queries)
