"""The group office's pages: the lanes' QR posters, the figures of the monthly report with their
definitions, the time limits and definitions (settings), and the departments' published
complaint-handling methods (CMP-10)."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from complaints import posters, selectors, services
from complaints.forms.staff import DepartmentMethodForm, FiguresPeriodForm, SettingsForm, UrgencyLimitForm
from complaints.models import Complaint, ComplaintSettings, UrgencyLimit
from complaints.views.base import ComplaintFormView
from tollservice.access.views import permission_required
from tollservice.roster.models import Department
from tollservice.roster.selectors import station_hotline


@permission_required("complaints.manage")
def lane_posters(request):
    """Every lane's poster on one page, one to a sheet when printed."""
    return render(
        request,
        "complaints/posters.html",
        {
            "tab": "posters",
            "posters": posters.lane_posters(),
            "form_url": posters.form_url(),
            "hotline": station_hotline(),
        },
    )


@permission_required("complaints.figures")
def figures(request):
    """The monthly report's complaint figures with the 12328 indicators and their definitions
    (this month by default; a period typed wrongly is shown with its error, and this month's
    figures meanwhile)."""
    form = FiguresPeriodForm(request.GET or None)
    date_from, date_to = form.period()
    result = selectors.complaint_figures(user=request.user, date_from=date_from, date_to=date_to)
    return render(request, "complaints/figures.html", {"tab": "figures", "figures": result, "form": form})


@permission_required("complaints.manage")
def settings_page(request):
    return render(
        request,
        "complaints/settings.html",
        {
            "tab": "settings",
            "settings": ComplaintSettings.load(),
            "limits": [UrgencyLimit.for_urgency(value) for value in Complaint.Urgency.values],
        },
    )


class SettingsChangeView(ComplaintFormView):
    permission = "complaints.manage"
    form_class = SettingsForm
    tab = "settings"
    title = _("Time limits and definitions")
    intro = _(
        "A change applies to complaints accepted after it: each complaint keeps the limits it was accepted under."
    )

    def get_initial(self):
        settings = ComplaintSettings.load()
        return {name: getattr(settings, name) for name in SettingsForm.base_fields}

    def perform(self, form):
        return services.complaint_settings_update(actor=self.request.user, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return reverse("complaints:settings")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class UrgencyLimitView(SettingsChangeView):
    form_class = UrgencyLimitForm

    @cached_property
    def urgency(self) -> str:
        if self.kwargs["urgency"] not in Complaint.Urgency.values:
            raise Http404
        return self.kwargs["urgency"]

    def get_title(self) -> str:
        return gettext("Time limits: %(urgency)s") % {"urgency": Complaint.Urgency(self.urgency).label}

    def get_initial(self):
        limit = UrgencyLimit.for_urgency(self.urgency)
        return {"first_contact_hours": limit.first_contact_hours, "answer_working_days": limit.answer_working_days}

    def perform(self, form):
        return services.urgency_limit_update(actor=self.request.user, urgency=self.urgency, **form.cleaned_data)


@permission_required("complaints.manage")
def department_methods(request):
    """CMP-10: every department with its method and hotline, published or not."""
    methods = {method.department_id: method for method in selectors.department_methods(user=request.user)}
    departments = Department.objects.filter(active=True).order_by("name")
    rows = [(department, methods.get(department.pk)) for department in departments]
    return render(request, "complaints/methods.html", {"tab": "methods", "rows": rows})


class DepartmentMethodView(ComplaintFormView):
    permission = "complaints.manage"
    form_class = DepartmentMethodForm
    tab = "methods"
    intro = _("Published methods and hotlines are shown on the public complaint page.")

    @cached_property
    def department(self) -> Department:
        department = Department.objects.filter(pk=self.kwargs["pk"], active=True).first()
        if department is None:
            raise Http404
        return department

    def get_title(self) -> str:
        return gettext("Complaint-handling method: %(department)s") % {"department": self.department.name}

    def get_initial(self):
        method = getattr(self.department, "complaint_method", None)
        if method is None:
            return {"hotline": self.department.hotline}
        return {"method": method.method, "hotline": method.hotline, "published": method.published}

    def perform(self, form):
        return services.department_method_set(actor=self.request.user, department=self.department, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return reverse("complaints:methods")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()
