"""Read-only admin: the campaign and the selection change through the portal's pages, whose
services check, audit and freeze what has been decided."""

from django.contrib import admin

from awards.models import (
    Award,
    Campaign,
    CampaignPhase,
    Commendation,
    Nomination,
    RankingSnapshot,
    Selection,
    StudyRecord,
)
from tollservice.core.admin import ReadOnlyAdmin, ReadOnlyInline


class PhaseInline(ReadOnlyInline):
    model = CampaignPhase


class SelectionInline(ReadOnlyInline):
    model = Selection


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ("year", "method_document", "created_at")
    inlines = [PhaseInline, SelectionInline]


@admin.register(StudyRecord)
class StudyRecordAdmin(ReadOnlyAdmin):
    list_display = ("campaign", "staff", "material", "studied_on", "confirmed_by")
    list_filter = ("campaign", "material")
    list_select_related = ("campaign", "staff", "confirmed_by")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "status", "rank_at_nomination", "nominated_by", "nominated_at")
    list_filter = ("status", "selection__kind")
    list_select_related = ("selection__campaign", "team", "staff", "nominated_by")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("certificate_number", "year", "kind", "winner_name", "reward_fen", "plaque_number")
    list_filter = ("year", "kind")


@admin.register(Commendation)
class CommendationAdmin(ReadOnlyAdmin):
    list_display = ("title", "status", "published_at")


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ReadOnlyAdmin):
    # The entries are not listed here (a station's ranking has as many as its staff): the page shows them.
    list_display = ("__str__", "trigger", "triggered_by", "candidates", "computed_at")
    list_filter = ("year", "kind", "trigger")
    list_select_related = ("triggered_by",)
