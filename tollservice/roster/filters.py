"""The filters above the roster lists (django-filter)."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tollservice.core.forms import date_filter
from tollservice.core.validators import SEARCH_MAX_LENGTH
from tollservice.roster.models import Department, Lane, ShiftLeaderAssignment, Staff, Supervisor, Team


class StatusFilterSet(django_filters.FilterSet):
    """A ``status`` choice that shows the current rows unless the user asks for the others."""

    STATUS_CHOICES = [("current", _("Current")), ("former", _("Former")), ("all", _("All"))]
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    current = Q(active=True)

    def __init__(self, data=None, *args, **kwargs):
        # Always bound, so that the default status applies to a first visit too.
        super().__init__(data if data is not None else QueryDict(), *args, **kwargs)

    def filter_status(self, queryset, name, value):
        return queryset  # applied in filter_queryset, so that the default applies too

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        status = self.form.cleaned_data.get("status") or "current"
        if status == "current":
            return queryset.filter(self.current)
        if status == "former":
            return queryset.exclude(self.current)
        return queryset


def _search(fields: list[str]):
    def search(queryset, name, value):
        query = Q()
        for field in fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)

    return search


class DepartmentFilter(StatusFilterSet):
    class Meta:
        model = Department
        fields = ["kind"]


class TeamFilter(StatusFilterSet):
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())

    class Meta:
        model = Team
        fields = ["department"]


class StaffFilter(StatusFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method=_search(["name", "employee_number", "phone", "position"]),
        max_length=SEARCH_MAX_LENGTH,
    )
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=Department.objects.all())
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.all())

    class Meta:
        model = Staff
        fields = ["q", "department", "team"]


class SupervisorFilter(StatusFilterSet):
    STATUS_CHOICES = [("current", _("In term")), ("former", _("Term ended")), ("all", _("All"))]
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    q = django_filters.CharFilter(
        label=_("Search"), method=_search(["name", "organisation", "pass_number"]), max_length=SEARCH_MAX_LENGTH
    )

    class Meta:
        model = Supervisor
        fields = ["q"]

    @property
    def current(self):
        today = timezone.localdate()
        return Q(active=True, term_start__lte=today) & (Q(term_end__isnull=True) | Q(term_end__gte=today))


class ShiftFilter(django_filters.FilterSet):
    """Shift leaders by date range; without dates, the week before and after today."""

    date_from = date_filter(field_name="date", lookup_expr="gte", label=_("From"))
    date_to = date_filter(field_name="date", lookup_expr="lte", label=_("To"))
    shift = django_filters.ChoiceFilter(label=_("Shift"), choices=ShiftLeaderAssignment.Shift.choices)
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=Team.objects.filter(active=True))

    class Meta:
        model = ShiftLeaderAssignment
        fields = ["date_from", "date_to", "shift", "team"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else None
        if data is None or not (data.get("date_from") or data.get("date_to")):
            today = timezone.localdate()
            data = data or QueryDict(mutable=True)
            data["date_from"] = (today - datetime.timedelta(days=7)).isoformat()
            data["date_to"] = (today + datetime.timedelta(days=7)).isoformat()
        super().__init__(data, *args, **kwargs)


class LaneFilter(StatusFilterSet):
    STATUS_CHOICES = [
        ("current", pgettext_lazy("lane", "Open")),
        ("former", pgettext_lazy("lane", "Closed")),
        ("all", _("All")),
    ]
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, empty_label=None, method="filter_status"
    )
    direction = django_filters.ChoiceFilter(label=_("Entry or exit"), choices=Lane.Direction.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Lane.Kind.choices)

    class Meta:
        model = Lane
        fields = ["direction", "kind"]
