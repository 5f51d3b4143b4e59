"""The awards' reports (``tollservice.core.exports``): the ranking with its exclusions, the
history of awards, the honour-plaque register and the study records. The page and the Excel and
CSV files are built from the same rows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards.models import Award
from awards.selectors import Ranking, RankingRow, StoredRanking, StoredRow, StudyRow
from tollservice.core.exports import DATE, MONEY, NUMBER, Column, Report, Row, local_date, user_name
from tollservice.core.text import join_list


class RankingReport(Report):
    """AWD-1 / AWD-2: a year's candidates for one award, ranked, with every criterion's points,
    the score, and why anyone is excluded."""

    filename = "award-ranking"

    def __init__(self, ranking: Ranking | StoredRanking):
        self.ranking = ranking
        self.title = f"{ranking.year} {ranking.selection.get_kind_display()}"
        columns = [Column(_("Rank"), NUMBER, width=6), Column(_("Candidate"), width=14)]
        if not ranking.for_teams:
            columns.append(Column(_("Team"), width=10))
        columns += [Column(column.label, NUMBER, html=False, width=12) for column in ranking.columns]
        columns += [
            Column(_("Score"), NUMBER, width=8),
            Column(_("Not eligible because"), width=30),
            Column(_("Nomination"), width=14),
        ]
        self.columns = tuple(columns)

    def row(self, row: RankingRow | StoredRow) -> Row:
        ranking = self.ranking
        url = reverse("awards:candidate", args=[ranking.year, ranking.selection.kind, row.key])
        values = [row.rank, row.name]
        if not ranking.for_teams:
            values.append(row.subject.team.name)
        values += [measure.points for measure in row.measures]
        nomination = row.nomination
        values += [
            row.score,
            join_list(reason.label for reason in row.reasons),
            nomination.get_status_display() if nomination is not None else "",
        ]
        return self.make_row(values, {1: url})


class AwardReport(Report):
    """AWD-1: the awards of every year (the history)."""

    title = _("Awards")
    filename = "awards"
    columns = (
        Column(_("Year"), NUMBER, width=6),
        Column(_("Award"), width=14),
        Column(_("Winner"), width=14),
        Column(_("Team"), width=10),
        Column(_("Certificate"), width=12),
        Column(_("Score"), NUMBER, width=8),
        Column(_("Rank"), NUMBER, width=6),
        Column(_("Reward"), MONEY, width=10),
        Column(_("Approved by"), html=False, width=12),
        Column(_("Approved on"), DATE, width=12),
        Column(_("Reasons for the commendation"), html=False, width=40),
    )

    def row(self, award: Award) -> Row:
        url = reverse("awards:award_detail", args=[award.pk])
        return self.make_row(
            [
                award.year,
                award.get_kind_display(),
                award.winner_name,
                award.team_name,
                award.certificate_number,
                award.score,
                award.figures.get("rank"),
                award.reward_fen,
                user_name(award.approved_by),
                local_date(award.approved_at),
                award.citation,
            ],
            {2: url, 4: url},
        )


class PlaqueReport(Report):
    """AWD-1: the honour-plaque register (荣誉匾牌)."""

    title = _("Honour plaques")
    filename = "honour-plaques"
    columns = (
        Column(_("Plaque"), width=10),
        Column(_("Winner"), width=14),
        Column(_("Inscription"), width=24),
        Column(_("Presented on"), DATE, width=12),
        Column(_("Where it hangs or is kept"), width=20),
        Column(_("Certificate"), html=False, width=12),
    )

    def row(self, award: Award) -> Row:
        url = reverse("awards:award_detail", args=[award.pk])
        return self.make_row(
            [
                award.plaque_number,
                award.winner_name,
                award.plaque_inscription,
                award.plaque_presented_on,
                award.plaque_location,
                award.certificate_number,
            ],
            {0: url},
        )


class StudyReport(Report):
    """CAM-2: who studied the assessment method and the plan, when, confirmed by whom."""

    title = _("Study records")
    filename = "study-records"
    columns = (
        Column(_("Employee number"), width=10),
        Column(_("Name"), width=10),
        Column(_("Team or department"), width=12),
        Column(_("Assessment method studied on"), DATE, width=14),
        Column(_("Plan studied on"), DATE, width=14),
        Column(_("Confirmed by"), width=12),
        Column(_("Last reminded"), DATE, width=12),
    )

    def row(self, row: StudyRow) -> Row:
        member = row.staff
        return self.make_row(
            [
                member.employee_number,
                member.name,
                member.team.name if member.team_id else member.department.name,
                row.method.studied_on if row.method else None,
                row.plan.studied_on if row.plan else None,
                join_list(row.confirmed_by),
                local_date(row.last_reminded),
            ]
        )
