"""INS-3: the station affairs meeting circular (所务会通报) — drafted by the office for a month,
shown as a printable A4 page and downloaded as Excel, published once (then every member of staff
reads it, and what it says is frozen)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from inspections import exports, forms, selectors, services
from inspections.models import Inspection, MeetingCircular
from inspections.views._common import ServiceFormView
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.core import exports as core_exports
from tollservice.core.list_views import page_of
from tollservice.core.money import format_yuan
from tollservice.core.service_views import perform_once
from tollservice.roster.selectors import station_current


def _circular_or_404(user, pk: int) -> tuple[MeetingCircular, dict]:
    try:
        return selectors.meeting_circular_detail(user=user, pk=pk)
    except MeetingCircular.DoesNotExist:
        raise Http404 from None


def _kinds(content: dict) -> list[tuple[str, int]]:
    labels = dict(Inspection.Kind.choices)
    return [(labels.get(kind, kind), count) for kind, count in content["inspections"]["by_kind"].items()]


@permission_required("meeting_circulars.view")
def circular_list(request):
    page = page_of(request, selectors.meeting_circular_list(user=request.user))
    return render(
        request,
        "inspections/circular_list.html",
        {"tab": "circulars", "page_obj": page, "can_manage": has_permission(request.user, "meeting_circulars.manage")},
    )


@permission_required("meeting_circulars.view")
def circular_detail(request, pk: int):
    """The circular as an A4 page (static/css/inspections-print.css): printed, it is the notice."""
    circular, content = _circular_or_404(request.user, pk)
    return render(
        request,
        "inspections/circular_detail.html",
        {
            "tab": "circulars",
            "circular": circular,
            "content": content,
            "kinds": _kinds(content),
            "station": station_current(),
            "can_manage": has_permission(request.user, "meeting_circulars.manage")
            and circular.status == MeetingCircular.Status.DRAFT,
        },
    )


@permission_required("meeting_circulars.view")
def circular_export(request, pk: int):
    """The circular as an Excel workbook: its figures and the scores of each team on the first
    sheet, the problems found and the penalties on a sheet each."""
    circular, content = _circular_or_404(request.user, pk)
    inspections, orders, reports = content["inspections"], content["rectifications"], content["supervisor_reports"]
    heading = [
        circular.title,
        gettext("Period: %(start)s to %(end)s") % {"start": content["period"][0], "end": content["period"][1]},
        gettext("Inspections held: %(count)s") % {"count": inspections["total"]},
        *(f"  {label}：{count}" for label, count in _kinds(content)),
        gettext("Problems found: %(count)s") % {"count": len(content["problems"])},
        gettext("Penalties proposed: %(count)s, fines %(fines)s yuan")
        % {
            "count": len(content["penalties"]),
            "fines": format_yuan(sum(p["fine_fen"] or 0 for p in content["penalties"])),
        },
        gettext("Rectification orders: %(issued)s issued, %(on_time)s on time, %(late)s late, %(open)s open") % orders,
        gettext("Supervisors' reports: %(received)s received, %(decided)s decided (%(decided_in_time)s in time)")
        % reports,
    ]
    if circular.remarks:
        heading.append(circular.remarks)
    report = exports.CircularTeamReport()
    problems, penalties = exports.CircularProblemReport(), exports.CircularPenaltyReport()
    response = core_exports.xlsx_response(
        report,
        report.rows(content["teams"]),
        heading=heading,
        extra_sheets=[
            (problems, problems.rows(content["problems"])),
            (penalties, penalties.rows(content["penalties"])),
        ],
    )
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        report.filename, f"{report.filename}-{content['period'][0][:7]}", 1
    )
    return response


class CircularDraftView(ServiceFormView):
    permission = "meeting_circulars.manage"
    tab = "circulars"
    form_class = forms.CircularDraftForm
    title = _("Draft the station affairs meeting circular")
    submit_label = pgettext_lazy("button", "Draft")
    intro = _(
        "The circular lists the inspections held in the period, the scores by team, the problems found, the "
        "penalties, the rectifications on time and overdue, and the supervisors' reports handled. A covert visit "
        "appears once it is published."
    )

    def get_cancel_url(self) -> str:
        return reverse("inspections:circular_list")

    def perform(self, form):
        return services.meeting_circular_draft(created_by=self.request.user, **form.draft_kwargs())

    def success_url_for(self, result) -> str:
        return reverse("inspections:circular_detail", args=[result.pk])


class CircularUpdateView(ServiceFormView):
    permission = "meeting_circulars.manage"
    tab = "circulars"
    form_class = forms.CircularUpdateForm
    title = _("Edit the circular")

    @cached_property
    def circular(self) -> MeetingCircular:
        return _circular_or_404(self.request.user, self.kwargs["pk"])[0]

    def get_initial(self):
        return {"title": self.circular.title, "remarks": self.circular.remarks}

    def get_cancel_url(self) -> str:
        return reverse("inspections:circular_detail", args=[self.circular.pk])

    def perform(self, form):
        return services.meeting_circular_update(
            circular=self.circular, updated_by=self.request.user, **form.cleaned_data
        )

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


@permission_required("meeting_circulars.manage")
@require_POST
def circular_publish(request, pk: int):
    circular, _content = _circular_or_404(request.user, pk)
    return perform_once(
        request,
        lambda: services.meeting_circular_publish(circular=circular, published_by=request.user),
        done_url=reverse("inspections:circular_detail", args=[circular.pk]),
        success_message=gettext("Published: every member of staff can read it."),
    )
