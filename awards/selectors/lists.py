"""Campaigns and their phases (CAM-1), who has studied (CAM-2), nominations, awards, the plaque
register and the commendation: every list takes ``user=`` and scopes to it. An object outside
the reader's scope raises ``DoesNotExist`` (the page's 404)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from awards import rules
from awards.models import Award, AwardKind, Campaign, Commendation, Nomination, Selection, StudyRecord, StudyReminder
from awards.selectors.ranking import Ranking, RankingRow, compute_ranking
from tollservice.access.permissions import has_permission
from tollservice.access.roles import roles_for
from tollservice.roster.models import Staff, Team
from tollservice.roster.names import person_name, person_name_related

# --- Campaigns (CAM-1) ------------------------------------------------------------------------------


def campaign_list(*, user) -> QuerySet[Campaign]:
    """Every year's campaign, newest first, with its number of awards (the history)."""
    if not has_permission(user, "awards.view"):
        return Campaign.objects.none()
    return Campaign.objects.annotate(
        award_count=Count("selections__awards", distinct=True),
        pending_count=Count(
            "selections__nominations", filter=Q(selections__nominations__status="nominated"), distinct=True
        ),
    ).order_by("-year")


def campaign_get(*, user, year: int) -> Campaign:
    """A year's campaign for those who run or follow it (the office, the leadership group, team
    leaders confirming their team's study); ``Campaign.DoesNotExist`` otherwise."""
    if not (has_permission(user, "awards.view") or has_permission(user, "awards.study")):
        raise Campaign.DoesNotExist
    return Campaign.objects.prefetch_related("phases").get(year=year)


def campaign_current(*, today: datetime.date | None = None) -> Campaign | None:
    """This year's campaign (for the dashboard, which every signed-in user sees)."""
    today = today or timezone.localdate()
    return Campaign.objects.prefetch_related("phases").filter(year=today.year).first()


def phase_dates(campaign: Campaign) -> list[rules.PhaseDates]:
    return [rules.PhaseDates(p.kind, p.starts_on, p.ends_on) for p in campaign.phases.all()]


def phase_now(campaign: Campaign, today: datetime.date | None = None) -> rules.PhaseNow:
    return rules.phase_on(phase_dates(campaign), today or timezone.localdate())


# --- Study (CAM-2) ------------------------------------------------------------------------------------


@dataclass
class StudyRow:
    staff: Staff
    records: dict[str, StudyRecord] = field(default_factory=dict)
    last_reminded: datetime.datetime | None = None

    @property
    def method(self) -> StudyRecord | None:
        return self.records.get(StudyRecord.Material.METHOD)

    @property
    def plan(self) -> StudyRecord | None:
        return self.records.get(StudyRecord.Material.PLAN)

    @property
    def done(self) -> bool:
        return self.method is not None and self.plan is not None

    @property
    def confirmed_by(self) -> list[str]:
        """Who confirmed the records, each once, by their roster name."""
        return list(dict.fromkeys(person_name(record.confirmed_by) for record in self.records.values()))


def study_staff(*, user) -> QuerySet[Staff]:
    """Whose study the user follows: everyone on the staff for the office (CAM-2: every
    employee) and the leadership group, a team leader's own team members."""
    staff = Staff.objects.filter(active=True)
    if has_permission(user, "awards.view"):
        return staff
    if has_permission(user, "awards.study"):
        return staff.filter(team_id__in=roles_for(user).led_team_ids)
    return staff.none()


def _studied(campaign: Campaign, material: str) -> Exists:
    return Exists(StudyRecord.objects.filter(campaign=campaign, staff_id=OuterRef("pk"), material=material))


def study_people(*, user, campaign: Campaign, pending_only: bool = False) -> QuerySet[Staff]:
    """CAM-2: whose study the user follows, by employee number (an index, so that a page of
    20,000 people reads 25 of them); ``pending_only``: those who have not studied both documents."""
    people = study_staff(user=user)
    if pending_only:
        people = people.filter(
            ~_studied(campaign, StudyRecord.Material.METHOD) | ~_studied(campaign, StudyRecord.Material.PLAN)
        )
    return people.select_related("team", "department").order_by("employee_number", "pk")


def study_rows_of(people, *, campaign: Campaign) -> list[StudyRow]:
    """The study of each of ``people`` (a page of them): when each document was studied and
    confirmed by whom, and when they were last reminded (two queries)."""
    rows = {member.pk: StudyRow(member) for member in people}
    records = (
        StudyRecord.objects.filter(campaign=campaign, staff_id__in=list(rows))
        .select_related(*person_name_related("confirmed_by"))
        .order_by()  # a dict by person and document: no order to sort for
    )
    for record in records:
        rows[record.staff_id].records[record.material] = record
    reminded = (
        StudyReminder.objects.filter(campaign=campaign, staff_id__in=list(rows))
        .order_by()
        .values("staff_id")
        .annotate(last=Max("sent_at"))
        .values_list("staff_id", "last")
    )
    for staff_id, last in reminded:
        rows[staff_id].last_reminded = last
    return list(rows.values())


def study_rows(*, user, campaign: Campaign, pending_only: bool = False) -> list[StudyRow]:
    """CAM-2: every row of ``study_people`` (the download and the reminders read them all, a
    thousand people at a time)."""
    people = study_people(user=user, campaign=campaign, pending_only=pending_only).iterator(chunk_size=1_000)
    rows: list[StudyRow] = []
    while chunk := list(itertools.islice(people, 1_000)):
        rows += study_rows_of(chunk, campaign=campaign)
    return rows


def study_progress(*, campaign: Campaign) -> tuple[int, int]:
    """CAM-2: how many active employees have studied both documents, of how many (two queries)."""
    total = Staff.objects.filter(active=True).count()
    done = (
        StudyRecord.objects.filter(campaign=campaign, staff__active=True)
        .values("staff_id")
        .annotate(n=Count("material", distinct=True))
        .filter(n=len(StudyRecord.Material.values))
        .count()
    )
    return done, total


def own_study(*, user, campaign: Campaign) -> StudyRow | None:
    """The reader's own study record (CAM-2), for their standing and the dashboard."""
    staff_id = roles_for(user).staff_id
    if staff_id is None:
        return None
    row = StudyRow(Staff.objects.get(pk=staff_id))
    for record in StudyRecord.objects.filter(campaign=campaign, staff_id=staff_id).select_related(
        *person_name_related("confirmed_by")
    ):
        row.records[record.material] = record
    return row


# --- Selections, nominations, awards (AWD-1) -----------------------------------------------------------


def selection_get(*, user, campaign: Campaign, kind: str) -> Selection:
    if not has_permission(user, "awards.view") or kind not in AwardKind.values:
        raise Selection.DoesNotExist
    return Selection.objects.select_related("campaign").get(campaign=campaign, kind=kind)


def selections_of(*, campaign: Campaign) -> list[Selection]:
    """A campaign's two selections with their counts of nominations and awards."""
    return list(
        campaign.selections.annotate(
            pending=Count("nominations", filter=Q(nominations__status=Nomination.Status.NOMINATED), distinct=True),
            approved=Count("awards", distinct=True),
        ).order_by("kind")
    )


def _nominations() -> QuerySet[Nomination]:
    return Nomination.objects.select_related(
        "selection",
        "selection__campaign",
        "team",
        "staff",
        "staff__team",
        "award",
        *person_name_related("nominated_by", "closed_by"),
    )


def nomination_list(*, user, campaign: Campaign | None = None, status: str | None = None) -> QuerySet[Nomination]:
    if not has_permission(user, "awards.view"):
        return Nomination.objects.none()
    nominations = _nominations()
    if campaign is not None:
        nominations = nominations.filter(selection__campaign=campaign)
    if status:
        nominations = nominations.filter(status=status)
    return nominations.order_by("-selection__campaign__year", "selection__kind", "nominated_at", "pk")


def nomination_detail(*, user, pk: int) -> Nomination:
    return nomination_list(user=user).get(pk=pk)


def approval_queue(*, user) -> QuerySet[Nomination]:
    """The nominations waiting for the leadership group."""
    if not has_permission(user, "awards.approve"):
        return Nomination.objects.none()
    return _nominations().filter(status=Nomination.Status.NOMINATED).order_by("nominated_at", "pk")


def award_list(*, user, year: int | None = None, kind: str | None = None) -> QuerySet[Award]:
    """The awards of past and present years (the history and the plaque register)."""
    if not has_permission(user, "awards.view"):
        return Award.objects.none()
    awards = Award.objects.select_related(*person_name_related("approved_by", "plaque_recorded_by"))
    if year is not None:
        awards = awards.filter(year=year)
    if kind:
        awards = awards.filter(kind=kind)
    return awards.order_by("-year", "kind", "certificate_number")


def award_detail(*, user, pk: int) -> Award:
    return (
        award_list(user=user).select_related("nomination", *person_name_related("nomination__nominated_by")).get(pk=pk)
    )


def commendation_of(*, user, campaign: Campaign) -> Commendation | None:
    """The year's circulated commendation: the draft for the office and the leadership group,
    the published text for every employee."""
    commendation = Commendation.objects.filter(campaign=campaign).first()
    if commendation is None:
        return None
    if has_permission(user, "awards.view"):
        return commendation
    if commendation.status == Commendation.Status.PUBLISHED and has_permission(user, "awards.standing"):
        return commendation
    return None


def ranking_for(*, user, selection: Selection) -> Ranking | None:
    """The selection's ranking for those who read the candidates (``awards.view``)."""
    if not has_permission(user, "awards.view"):
        return None
    return compute_ranking(selection=selection, user=user)


# --- Each person's own standing ---------------------------------------------------------------------------


@dataclass
class OwnStanding:
    """Where the reader (and, for a team leader, their team) stands in a year's selection."""

    kind: str
    subject: Team | Staff
    row: RankingRow | None
    ranked: int
    columns: list = field(default_factory=list)  # the criteria, their labels and weights
    award: Award | None = None

    @property
    def figures(self) -> list:
        return [] if self.row is None else self.row.figures(self.columns)


def my_standing(*, user, campaign: Campaign) -> list[OwnStanding]:
    """AWD-1 / AWD-2: the reader's own place among the service stars (if they work in a team) and,
    for a team leader, their team's among the gold-medal teams — with the reasons when not
    eligible. A decided award is shown as decided."""
    roles = roles_for(user)
    if roles.staff_id is None or not has_permission(user, "awards.standing"):
        return []
    me = Staff.objects.select_related("team").get(pk=roles.staff_id)
    selections = {s.kind: s for s in Selection.objects.filter(campaign=campaign).select_related("campaign")}
    wanted: list[tuple[str, Team | Staff]] = []
    if me.team_id and me.team.active:
        wanted.append((AwardKind.SERVICE_STAR, me))
    wanted += [(AwardKind.GOLD_TEAM, team) for team in Team.objects.filter(pk__in=roles.led_team_ids, active=True)]
    awards = Award.objects.filter(year=campaign.year).filter(Q(staff_id=me.pk) | Q(team_id__in=roles.led_team_ids))
    awarded = {(a.kind, a.team_id or a.staff_id): a for a in awards}
    rankings: dict[str, Ranking] = {}
    standings = []
    for kind, subject in wanted:
        selection = selections.get(kind)
        if selection is None:
            continue
        if kind not in rankings:
            rankings[kind] = compute_ranking(selection=selection, user=user)
        ranking = rankings[kind]
        standings.append(
            OwnStanding(
                kind=kind,
                subject=subject,
                row=ranking.row_for(subject.pk),
                ranked=ranking.ranked_count,
                columns=ranking.columns,
                award=awarded.get((kind, subject.pk)),
            )
        )
    return standings
