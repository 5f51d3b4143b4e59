"""The filters above the inspections lists (django-filter). Each list's queryset comes from a
selector already scoped to the user (``inspections.selectors``); a filter only narrows it."""

from __future__ import annotations

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from inspections.models import FindingOutcome, Inspection, ItemResult, RectificationOrder
from tollservice.core.forms import date_filter
from tollservice.roster.models import TEAM_ORDER, Lane, Team


def _teams(request=None):
    return Team.objects.order_by(*TEAM_ORDER)


def _lanes(request=None):
    return Lane.objects.order_by("order", "number")


def _date(field_name: str, lookup: str, label):
    return date_filter(field_name=field_name, lookup_expr=lookup, label=label)


class InspectionFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Inspection.Kind.choices)
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)
    lane = django_filters.ModelChoiceFilter(label=_("Lane"), queryset=_lanes)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Inspection.Status.choices)
    start = _date("shift_date", "gte", _("From"))
    end = _date("shift_date", "lte", _("To"))

    class Meta:
        model = Inspection
        fields = ["kind", "team", "lane", "status", "start", "end"]


class FindingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(field_name="inspection__kind", label=_("Kind"), choices=Inspection.Kind.choices)
    team = django_filters.ModelChoiceFilter(field_name="inspection__team", label=_("Team"), queryset=_teams)
    lane = django_filters.ModelChoiceFilter(field_name="inspection__lane", label=_("Lane"), queryset=_lanes)
    start = _date("inspection__shift_date", "gte", _("From"))
    end = _date("inspection__shift_date", "lte", _("To"))
    without_outcome = django_filters.BooleanFilter(
        label=_("Without an outcome yet"), method="filter_without_outcome", widget=BooleanWidget()
    )

    class Meta:
        model = ItemResult
        fields = ["kind", "team", "lane", "start", "end", "without_outcome"]

    def filter_without_outcome(self, queryset, name, value):
        has_outcome = Exists(FindingOutcome.objects.filter(finding=OuterRef("pk")))
        return queryset.filter(~has_outcome) if value else queryset.filter(has_outcome)


class OrderFilter(django_filters.FilterSet):
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=RectificationOrder.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=BooleanWidget())
    start = _date("deadline", "gte", _("Deadline from"))
    end = _date("deadline", "lte", _("Deadline to"))

    class Meta:
        model = RectificationOrder
        fields = ["team", "status", "overdue", "start", "end"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
