"""The filters above the penalties lists (django-filter).

Each list's queryset comes from a selector already scoped to the user; a filter only narrows it.
Users who see only their own penalties are not offered the filters by person, team or
department (the list of every staff member is none of their business).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import BooleanWidget

from penalties.choosers import PENALTY_STAFF, any_staff
from penalties.models import Circular, EligibilityRevocation, LedgerEntry, Penalty, TalkRecord, WaiverRequest
from penalties.selectors.ledger import with_balances
from tollservice.access.permissions import has_permission
from tollservice.core.choosers import ChooserFilter
from tollservice.core.forms import date_filter
from tollservice.roster.models import TEAM_ORDER, Department, Team


class StaffFilter(ChooserFilter):
    """A person, typed (name or employee number): never a ``<select>`` of every staff member."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Person"))
        kwargs.setdefault("queryset", lambda request: any_staff())
        super().__init__(*args, chooser=PENALTY_STAFF, **kwargs)


def _teams(request=None):
    return Team.objects.order_by(*TEAM_ORDER)


def _departments(request=None):
    return Department.objects.order_by("name")


OUTSTANDING_CHOICES = [("yes", _("With an amount outstanding")), ("no", _("Settled or nothing owed"))]


class PenaltyFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="eligibility_year", label=_("Year"))
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=Penalty.Rule.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Penalty.Status.choices)
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=_departments)
    staff = StaffFilter()
    outstanding = django_filters.ChoiceFilter(label=_("Fine"), choices=OUTSTANDING_CHOICES, method="filter_outstanding")

    class Meta:
        model = Penalty
        fields = ["year", "rule", "status", "team", "department", "staff", "outstanding"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = getattr(request, "user", None)
        if user is None or not has_permission(user, "penalties.view_all"):
            for name in ("team", "department", "staff"):
                self.filters.pop(name)

    def filter_outstanding(self, queryset, name, value):
        # The balance of every listed penalty, summed from its entries: the one filter whose cost
        # grows with the penalties it looks at (the other filters narrow them first).
        queryset = with_balances(queryset)
        if value == "yes":
            return queryset.filter(outstanding_fen__gt=0)
        return queryset.filter(outstanding_fen__lte=0)


class MyPenaltyFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="eligibility_year", label=_("Year"))
    outstanding = django_filters.ChoiceFilter(label=_("Fine"), choices=OUTSTANDING_CHOICES, method="filter_outstanding")

    class Meta:
        model = Penalty
        fields = ["year", "outstanding"]

    filter_outstanding = PenaltyFilter.filter_outstanding


class OutstandingFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="eligibility_year", label=_("Year"))
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)
    department = django_filters.ModelChoiceFilter(label=_("Department"), queryset=_departments)
    staff = StaffFilter()

    class Meta:
        model = Penalty
        fields = ["year", "team", "department", "staff"]


class ReceiptFilter(django_filters.FilterSet):
    date_from = date_filter(field_name="booked_on", lookup_expr="gte", label=_("Collected from"))
    date_to = date_filter(field_name="booked_on", lookup_expr="lte", label=_("Collected until"))
    receipt_number = django_filters.CharFilter(label=_("Receipt number"), lookup_expr="icontains", max_length=40)
    staff = StaffFilter(field_name="penalty__staff")

    class Meta:
        model = LedgerEntry
        fields = ["date_from", "date_to", "receipt_number", "staff"]


class WaiverFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WaiverRequest.Status.choices)

    class Meta:
        model = WaiverRequest
        fields = ["status"]


FOLLOW_UP_CHOICES = [("open", _("Follow-up open")), ("done", _("Follow-up done")), ("none", _("No follow-up"))]


class TalkFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=TalkRecord.Kind.choices)
    follow_up = django_filters.ChoiceFilter(label=_("Follow-up"), choices=FOLLOW_UP_CHOICES, method="filter_follow_up")
    staff = StaffFilter()
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)

    class Meta:
        model = TalkRecord
        fields = ["kind", "follow_up", "staff", "team"]

    def filter_follow_up(self, queryset, name, value):
        if value == "none":
            return queryset.filter(follow_up="")
        open_follow_up = Q(follow_up_done_at__isnull=True)
        queryset = queryset.exclude(follow_up="")
        return queryset.filter(open_follow_up) if value == "open" else queryset.exclude(open_follow_up)


STATE_CHOICES = [("effective", _("In effect")), ("withdrawn", _("Withdrawn"))]


class RevocationFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    state = django_filters.ChoiceFilter(label=_("State"), choices=STATE_CHOICES, method="filter_state")
    staff = StaffFilter()
    team = django_filters.ModelChoiceFilter(label=_("Team"), queryset=_teams)

    class Meta:
        model = EligibilityRevocation
        fields = ["year", "state", "staff", "team"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(withdrawn_at__isnull=value == "effective")


class CircularFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Circular.Status.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Circular.Kind.choices)

    class Meta:
        model = Circular
        fields = ["status", "kind"]


class AllYesNoWidget(BooleanWidget):
    """Yes / no, where the empty choice means no filter: "All", not django-filter's "Unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("All")), ("true", _("Yes")), ("false", _("No"))]


class ApprovalQueueFilter(django_filters.FilterSet):
    rule = django_filters.ChoiceFilter(label=_("Rule"), choices=Penalty.Rule.choices)
    escalated = django_filters.BooleanFilter(label=_("Repeat violation"), widget=AllYesNoWidget)

    class Meta:
        model = Penalty
        fields = ["rule", "escalated"]
