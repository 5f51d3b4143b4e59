"""The filters above the staff list of complaints (django-filter). The queryset comes from
``selectors.complaint_list`` already scoped to the reader; a filter only narrows it."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.choosers import COMPLAINT_STAFF
from complaints.models import Complaint
from complaints.selectors import normalise_number
from tollservice.core.choosers import ChooserFilter
from tollservice.roster.models import TEAM_ORDER, Lane, Staff, Team

YES_NO = [("yes", _("Yes")), ("no", _("No"))]
MINE, NOBODY = "me", "none"


def _staff_with_accounts(request=None):
    # Only someone who signs in can be responsible for a complaint (its owner is a user).
    return Staff.objects.filter(user__isnull=False)


def _teams(request=None):
    return Team.objects.order_by(*TEAM_ORDER)


def _lanes(request=None):
    return Lane.objects.order_by("order", "number")


class ComplaintFilter(django_filters.FilterSet):
    number = django_filters.CharFilter(
        label=pgettext_lazy("registration number of a complaint", "Number"), method="filter_number"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Complaint.Status.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Complaint.Channel.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=Complaint.Category.choices)
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)
    lane = django_filters.ModelChoiceFilter(label=_("Lane"), queryset=_lanes)
    overdue = django_filters.ChoiceFilter(label=_("Overdue"), choices=YES_NO, method="filter_overdue")
    owner = django_filters.ChoiceFilter(
        label=_("Responsible"), method="filter_owner", choices=[(MINE, _("Me")), (NOBODY, _("Nobody (not taken up)"))]
    )
    # Anyone else responsible: a search box (tollservice.core.choosers), never a list of everyone.
    responsible = ChooserFilter(
        label=_("Another responsible person"),
        chooser=COMPLAINT_STAFF,
        queryset=_staff_with_accounts,
        method="filter_responsible",
    )

    class Meta:
        model = Complaint
        fields = ["number", "status", "channel", "category", "team", "lane", "overdue", "owner", "responsible"]

    def filter_number(self, queryset, name, value):
        value = (value or "").strip()
        return queryset.filter(number=normalise_number(value)) if value else queryset

    def filter_overdue(self, queryset, name, value):
        late = Complaint.objects.overdue(timezone.now()).values("pk")
        return queryset.filter(pk__in=late) if value == "yes" else queryset.exclude(pk__in=late)

    def filter_owner(self, queryset, name, value):
        if value == MINE:
            return queryset.filter(Q(owner=self.request.user))
        if value == NOBODY:
            return queryset.filter(owner__isnull=True)
        return queryset

    def filter_responsible(self, queryset, name, value):
        return queryset.filter(owner_id=value.user_id) if value is not None else queryset


class LedgerFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = Complaint
        fields = ["year"]

    def filter_year(self, queryset, name, value):
        return queryset  # the view reads the year itself: the ledger is one year's
