"""The roster's lanes (车道) and booths (收费亭): listed together, added and edited by the office.
Inspections and complaints name them; a lane or booth is closed, never deleted."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.access.permissions import has_permission
from tollservice.core.errors import DomainError
from tollservice.roster import filters, forms, selectors, services
from tollservice.roster.views import RosterListView, ServiceFormView


class LaneListView(RosterListView):
    tab = "lanes"
    template_name = "roster/lane_list.html"
    filterset_class = filters.LaneFilter
    paginate_by = 100

    def get_queryset(self):
        return selectors.lane_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            unassigned_booths=selectors.booth_list().filter(lane__isnull=True),
            can_manage=has_permission(self.request.user, "roster.manage"),
            **kwargs,
        )


class _PlaceFormView(ServiceFormView):
    tab = "lanes"

    def get_cancel_url(self) -> str:
        return reverse("roster:lane_list")

    def success_url_for(self, result) -> str:
        return reverse("roster:lane_list")


def _station():
    station = selectors.station_current()
    if station is None:
        raise DomainError(_("Enter the station's details first."))
    return station


class LaneCreateView(_PlaceFormView):
    title = _("New lane")
    form_class = forms.LaneForm

    def perform(self, form):
        return services.lane_create(actor=self.request.user, station=_station(), **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Lane %(number)s added.") % {"number": result.number}


class LaneUpdateView(_PlaceFormView):
    form_class = forms.LaneForm
    object_queryset = selectors.lane_list()

    def get_title(self) -> str:
        return gettext("Edit lane %(number)s") % {"number": self.object.number}

    def perform(self, form):
        return services.lane_update(actor=self.request.user, lane=self.object, **form.cleaned_data)


class BoothCreateView(_PlaceFormView):
    title = _("New booth")
    form_class = forms.BoothForm

    def get_initial(self):
        initial = super().get_initial()
        if lane := self.request.GET.get("lane"):
            initial["lane"] = lane
        return initial

    def perform(self, form):
        return services.booth_create(actor=self.request.user, station=_station(), **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Booth %(number)s added.") % {"number": result.number}


class BoothUpdateView(_PlaceFormView):
    form_class = forms.BoothForm
    object_queryset = selectors.booth_list()

    def get_title(self) -> str:
        return gettext("Edit booth %(number)s") % {"number": self.object.number}

    def perform(self, form):
        return services.booth_update(actor=self.request.user, booth=self.object, **form.cleaned_data)
