"""The roster pages: thin views over the selectors (reads) and services (writes).

The office manages the roster ("roster.manage"), the leadership group reads it ("roster.view").
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView

from tollservice.access.permissions import has_permission
from tollservice.access.views import PermissionRequiredMixin, permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core import exports
from tollservice.core.errors import DomainError
from tollservice.core.list_views import FilteredListView, TabMixin, page_of
from tollservice.core.service_views import ServiceFormView as BaseServiceFormView
from tollservice.roster import excel, excel_places, filters, forms, selectors, services
from tollservice.roster.models import LeadershipMembership, OfficeMembership, ShiftLeaderAssignment

# Shared pieces --------------------------------------------------------------------------------


class RosterListView(FilteredListView):
    permission = "roster.view"


class RosterDetailView(PermissionRequiredMixin, TabMixin, DetailView):
    permission = "roster.view"

    def get_context_data(self, **kwargs):
        return super().get_context_data(history=recent_history(self.object), can_manage=self._can_manage(), **kwargs)

    def _can_manage(self) -> bool:
        return has_permission(self.request.user, "roster.manage")


class ServiceFormView(BaseServiceFormView):
    """The roster's form view; views that act on one object find it by ``pk`` and edit it."""

    permission = "roster.manage"
    template_name = "roster/form.html"
    object_queryset = None  # set on views that act on one object, looked up by ``pk``

    @cached_property
    def object(self):
        if self.object_queryset is None:
            return None
        return get_object_or_404(self.object_queryset, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.object is not None and issubclass(self.form_class, forms.ServiceModelForm):
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def get_cancel_url(self) -> str:
        return self.object.get_absolute_url() if hasattr(self.object, "get_absolute_url") else reverse("roster:index")

    def success_url_for(self, result) -> str:
        return result.get_absolute_url()


# Landing page and station ----------------------------------------------------------------------


@permission_required("roster.view")
def index(request):
    overview = selectors.roster_overview()
    return render(
        request,
        "roster/index.html",
        {"tab": "index", "can_manage": has_permission(request.user, "roster.manage"), **overview},
    )


class StationEditView(ServiceFormView):
    tab = "index"
    title = _("Station")

    @cached_property
    def object(self):
        return selectors.station_current()

    def get_form_class(self):
        return forms.StationForm if self.object is not None else forms.StationCreateForm

    def get_form_kwargs(self):
        kwargs = super(ServiceFormView, self).get_form_kwargs()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_cancel_url(self) -> str:
        return reverse("roster:index")

    def perform(self, form):
        if self.object is None:
            return services.station_create(actor=self.request.user, **form.cleaned_data)
        return services.station_update(actor=self.request.user, station=self.object, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return reverse("roster:index")


# Departments -----------------------------------------------------------------------------------


class DepartmentListView(RosterListView):
    tab = "departments"
    template_name = "roster/department_list.html"
    filterset_class = filters.DepartmentFilter

    def get_queryset(self):
        return selectors.department_list().order_by("name", "pk")


class DepartmentDetailView(RosterDetailView):
    tab = "departments"
    template_name = "roster/department_detail.html"

    def get_queryset(self):
        return selectors.department_list()

    def get_context_data(self, **kwargs):
        department = self.object
        return super().get_context_data(
            teams=selectors.team_list().filter(department=department).order_by("-active", *selectors.TEAM_ORDER),
            staff=selectors.staff_list().filter(department=department, active=True).order_by("employee_number"),
            **kwargs,
        )


class DepartmentCreateView(ServiceFormView):
    tab = "departments"
    title = _("New department")
    form_class = forms.DepartmentForm

    def perform(self, form):
        station = selectors.station_current()
        if station is None:
            raise DomainError(_("Enter the station's details first."))
        return services.department_create(actor=self.request.user, station=station, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return reverse("roster:department_list")

    def success_message(self, result) -> str:
        return gettext("Department “%(name)s” created.") % {"name": result.name}


class DepartmentUpdateView(ServiceFormView):
    tab = "departments"
    form_class = forms.DepartmentForm
    object_queryset = selectors.department_list()

    def get_title(self) -> str:
        return gettext("Edit department %(name)s") % {"name": self.object.name}

    def perform(self, form):
        return services.department_update(actor=self.request.user, department=self.object, **form.cleaned_data)


# Teams ---------------------------------------------------------------------------------------


class TeamListView(RosterListView):
    tab = "teams"
    template_name = "roster/team_list.html"
    filterset_class = filters.TeamFilter

    def get_queryset(self):
        return selectors.team_list().order_by(*selectors.TEAM_ORDER, "pk")


class TeamDetailView(RosterDetailView):
    tab = "teams"
    template_name = "roster/team_detail.html"

    def get_queryset(self):
        return selectors.team_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(members=selectors.team_members(team=self.object), **kwargs)


class TeamCreateView(ServiceFormView):
    tab = "teams"
    title = _("New team")
    form_class = forms.TeamForm

    def perform(self, form):
        return services.team_create(actor=self.request.user, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return reverse("roster:team_list")

    def success_message(self, result) -> str:
        return gettext("Team “%(name)s” created.") % {"name": result.name}


class TeamUpdateView(ServiceFormView):
    tab = "teams"
    form_class = forms.TeamForm
    object_queryset = selectors.team_list()

    def get_title(self) -> str:
        return gettext("Edit team %(name)s") % {"name": self.object.name}

    def perform(self, form):
        return services.team_update(actor=self.request.user, team=self.object, **form.cleaned_data)


# Staff ---------------------------------------------------------------------------------------


class StaffListView(RosterListView):
    tab = "staff"
    template_name = "roster/staff_list.html"
    filterset_class = filters.StaffFilter

    def get_queryset(self):
        return selectors.staff_list().order_by("employee_number")

    def get_context_data(self, **kwargs):
        return super().get_context_data(can_manage=has_permission(self.request.user, "roster.manage"), **kwargs)


class StaffDetailView(RosterDetailView):
    tab = "staff"
    template_name = "roster/staff_detail.html"

    def get_queryset(self):
        return selectors.staff_detail_queryset()

    def get_context_data(self, **kwargs):
        staff = self.object
        return super().get_context_data(
            memberships=selectors.staff_memberships(staff=staff),
            led_teams=selectors.staff_led_teams(staff=staff),
            shifts=selectors.staff_shift_assignments(staff=staff, since=timezone.localdate()),
            can_manage_accounts=has_permission(self.request.user, "roster.accounts"),
            can_reset_passwords=has_permission(self.request.user, "roster.passwords"),
            **kwargs,
        )


class StaffCreateView(ServiceFormView):
    tab = "staff"
    title = _("New staff member")
    form_class = forms.StaffForm

    def perform(self, form):
        return services.staff_create(actor=self.request.user, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return reverse("roster:staff_list")

    def success_message(self, result) -> str:
        return gettext("%(name)s added to the roster.") % {"name": result.name}


class StaffUpdateView(ServiceFormView):
    tab = "staff"
    form_class = forms.StaffForm
    object_queryset = selectors.staff_detail_queryset()

    def get_title(self) -> str:
        return gettext("Edit %(name)s") % {"name": self.object.name}

    def perform(self, form):
        return services.staff_update(actor=self.request.user, staff=self.object, **form.cleaned_data)


class StaffDeactivateView(ServiceFormView):
    tab = "staff"
    form_class = forms.StaffDeactivateForm
    object_queryset = selectors.staff_detail_queryset()
    submit_label = _("Record departure")

    def get_title(self) -> str:
        return gettext("%(name)s leaves the station") % {"name": self.object.name}

    def get_context_data(self, **kwargs):
        intro = gettext(
            "The entry is kept, with the date they left. Their seats in the leadership group and its office "
            "end on that date, they stop leading a team or heading a department, and their account can no "
            "longer sign in."
        )
        return super().get_context_data(intro=intro, danger=True, **kwargs)

    def perform(self, form):
        return services.staff_deactivate(actor=self.request.user, staff=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("%(name)s is recorded as having left.") % {"name": result.name}


@permission_required("roster.manage")
@require_POST
def staff_reactivate(request, pk: int):
    staff = get_object_or_404(selectors.staff_detail_queryset(), pk=pk)
    try:
        services.staff_reactivate(actor=request.user, staff=staff)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("%(name)s is active again.") % {"name": staff.name})
    return redirect(staff.get_absolute_url())


class AccountView(ServiceFormView):
    """Create the login account of a roster entry: its owner is emailed a link to choose their
    password (only the system administrator may set one instead)."""

    permission = "roster.accounts"
    form_class = forms.AccountCreateForm
    submit_label = _("Create account")

    def get_form_kwargs(self):
        may_set_password = has_permission(self.request.user, "roster.passwords")
        return super().get_form_kwargs() | {"person": self.object, "may_set_password": may_set_password}

    def get_title(self) -> str:
        return gettext("Create an account for %(name)s") % {"name": self.object.name}

    def get_context_data(self, **kwargs):
        if self.object.email:
            intro = gettext("A link to choose their password will be emailed to %(email)s.") % {
                "email": self.object.email
            }
        else:
            intro = gettext(
                "%(name)s has no email address on the roster: enter it first, so that they can be sent the link "
                "to choose their password."
            ) % {"name": self.object.name}
        return super().get_context_data(intro=intro, **kwargs)

    def perform(self, form):
        return services.account_link(
            actor=self.request.user, person=self.object, username=form.cleaned_data["username"], password=form.password
        )

    def success_url_for(self, result) -> str:
        return self.object.get_absolute_url()

    def success_message(self, result) -> str:
        params = {"name": self.object.name, "email": result.email}
        if result.has_usable_password():
            return gettext("The account of %(name)s was created.") % params
        return (
            gettext("The account of %(name)s was created and a link to choose a password was emailed to %(email)s.")
            % params
        )


class AccountPasswordView(ServiceFormView):
    """The system administrator resets an account's password: sets a new one, or has a link to
    choose one emailed to its owner."""

    permission = "roster.passwords"
    form_class = forms.AccountPasswordForm
    template_name = "roster/account_password.html"
    submit_label = _("Set the password")

    @cached_property
    def object(self):
        person = super().object
        if person.user_id is None:
            raise Http404
        return person

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"person": self.object}

    def get_title(self) -> str:
        return gettext("Reset the password of %(name)s") % {"name": self.object.name}

    def post(self, request, *args, **kwargs):
        if "send_link" not in request.POST:
            return super().post(request, *args, **kwargs)
        try:
            services.account_password_link_send(actor=request.user, person=self.object)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(
            request,
            gettext("A link to choose a new password was emailed to %(email)s.") % {"email": self.object.email},
        )
        return redirect(self.object.get_absolute_url())

    def perform(self, form):
        services.account_password_reset(
            actor=self.request.user, person=self.object, password=form.cleaned_data["password1"]
        )
        return self.object

    def success_message(self, result) -> str:
        return gettext("The password of %(name)s was reset.") % {"name": result.name}


class StaffAccountView(AccountView):
    tab = "staff"
    object_queryset = selectors.staff_detail_queryset()


class StaffPasswordView(AccountPasswordView):
    tab = "staff"
    object_queryset = selectors.staff_detail_queryset()


# Leadership group (ORG-1) and its office (ORG-2) ------------------------------------------------


def _on_date(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@permission_required("roster.view")
def leadership(request):
    on = _on_date(request)
    page = page_of(request, selectors.leadership_history())
    return render(
        request,
        "roster/group.html",
        {
            "tab": "leadership",
            "group": "leadership",
            "on": on,
            "current": selectors.leadership_current(on=on),
            "page_obj": page,
            "can_manage": has_permission(request.user, "roster.manage"),
        },
    )


@permission_required("roster.view")
def office(request):
    on = _on_date(request)
    page = page_of(request, selectors.office_history())
    station = selectors.station_current()
    return render(
        request,
        "roster/group.html",
        {
            "tab": "office",
            "group": "office",
            "on": on,
            "current": selectors.office_current(on=on),
            "seat": selectors.department_toll_office(station=station),  # ORG-2: seated in the toll office
            "station": station,
            "page_obj": page,
            "can_manage": has_permission(request.user, "roster.manage"),
        },
    )


class MembershipAddView(ServiceFormView):
    submit_label = _("Add")

    def get_cancel_url(self) -> str:
        return reverse(f"roster:{self.tab}")

    def success_url_for(self, result) -> str:
        return reverse(f"roster:{self.tab}")

    def success_message(self, result) -> str:
        return gettext("%(name)s takes the seat of %(role)s.") % {
            "name": result.staff.name,
            "role": result.get_role_display(),
        }


class LeadershipAddView(MembershipAddView):
    tab = "leadership"
    title = _("Add a leadership-group member")
    form_class = forms.LeadershipMembershipForm

    def perform(self, form):
        return services.leadership_membership_add(actor=self.request.user, **form.cleaned_data)


class OfficeAddView(MembershipAddView):
    tab = "office"
    title = _("Add a group-office member")
    form_class = forms.OfficeMembershipForm

    def perform(self, form):
        return services.office_membership_add(actor=self.request.user, **form.cleaned_data)


class MembershipEndView(ServiceFormView):
    form_class = forms.MembershipEndForm
    submit_label = _("End seat")
    end_service = None  # the service that ends a seat of this kind

    def get_title(self) -> str:
        return gettext("End the seat of %(name)s (%(role)s)") % {
            "name": self.object.staff.name,
            "role": self.object.get_role_display(),
        }

    def get_cancel_url(self) -> str:
        return reverse(f"roster:{self.tab}")

    def success_url_for(self, result) -> str:
        return reverse(f"roster:{self.tab}")

    def perform(self, form):
        return self.end_service(actor=self.request.user, membership=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The seat of %(name)s ends on %(date)s.") % {
            "name": result.staff.name,
            "date": result.end_date.isoformat(),
        }


class LeadershipEndView(MembershipEndView):
    tab = "leadership"
    object_queryset = LeadershipMembership.objects.select_related("staff")
    end_service = staticmethod(services.leadership_membership_end)


class OfficeEndView(MembershipEndView):
    tab = "office"
    object_queryset = OfficeMembership.objects.select_related("staff")
    end_service = staticmethod(services.office_membership_end)


# Supervisors (ORG-6) -------------------------------------------------------------------------


class SupervisorListView(RosterListView):
    tab = "supervisors"
    template_name = "roster/supervisor_list.html"
    filterset_class = filters.SupervisorFilter

    def get_queryset(self):
        return selectors.supervisor_list().order_by("name", "pk")


class SupervisorDetailView(RosterDetailView):
    tab = "supervisors"
    template_name = "roster/supervisor_detail.html"

    def get_queryset(self):
        return selectors.supervisor_list()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            can_manage_accounts=has_permission(self.request.user, "roster.accounts"),
            can_reset_passwords=has_permission(self.request.user, "roster.passwords"),
            **kwargs,
        )


class SupervisorCreateView(ServiceFormView):
    tab = "supervisors"
    title = _("Appoint a supervisor")
    form_class = forms.SupervisorForm

    def perform(self, form):
        return services.supervisor_create(actor=self.request.user, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return reverse("roster:supervisor_list")

    def success_message(self, result) -> str:
        return gettext("%(name)s is appointed supervisor.") % {"name": result.name}


class SupervisorUpdateView(ServiceFormView):
    tab = "supervisors"
    form_class = forms.SupervisorForm
    object_queryset = selectors.supervisor_list()

    def get_title(self) -> str:
        return gettext("Edit supervisor %(name)s") % {"name": self.object.name}

    def perform(self, form):
        return services.supervisor_update(actor=self.request.user, supervisor=self.object, **form.cleaned_data)


class SupervisorDeactivateView(ServiceFormView):
    tab = "supervisors"
    form_class = forms.SupervisorDeactivateForm
    object_queryset = selectors.supervisor_list()
    submit_label = _("End appointment")

    def get_title(self) -> str:
        return gettext("End the appointment of %(name)s") % {"name": self.object.name}

    def get_context_data(self, **kwargs):
        intro = gettext("The term ends on this date and the supervisor's account can no longer sign in.")
        return super().get_context_data(intro=intro, danger=True, **kwargs)

    def perform(self, form):
        return services.supervisor_deactivate(actor=self.request.user, supervisor=self.object, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The appointment of %(name)s has ended.") % {"name": result.name}


class SupervisorAccountView(AccountView):
    tab = "supervisors"
    object_queryset = selectors.supervisor_list()


class SupervisorPasswordView(AccountPasswordView):
    tab = "supervisors"
    object_queryset = selectors.supervisor_list()


# Shift leaders (ORG-5) -----------------------------------------------------------------------


class ShiftListView(RosterListView):
    tab = "shifts"
    template_name = "roster/shift_list.html"
    filterset_class = filters.ShiftFilter
    paginate_by = 60

    def get_queryset(self):
        return selectors.shift_assignments().order_by("date", selectors.shift_order(), "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(can_manage=has_permission(self.request.user, "roster.manage"), **kwargs)
        context["gaps"] = self.shifts_without_leader(context["filter"])
        return context

    @staticmethod
    def shifts_without_leader(filterset) -> list[tuple[datetime.date, str, str]]:
        """(date, shift, shift's label) of the filtered period's shifts that have no leader yet.
        A gap is station-wide, so a team filter shows none."""
        if not filterset.is_valid() or filterset.form.cleaned_data.get("team"):
            return []
        data = filterset.form.cleaned_data
        if not (data.get("date_from") and data.get("date_to")):
            return []
        labels = dict(ShiftLeaderAssignment.Shift.choices)
        gaps = selectors.shifts_without_leader(
            date_from=data["date_from"], date_to=data["date_to"], shift=data.get("shift") or None
        )
        return [(date, shift, labels[shift]) for date, shift in gaps]


class ShiftSuccessMixin:
    tab = "shifts"

    def get_cancel_url(self) -> str:
        return reverse("roster:shift_list")

    def success_url_for(self, result) -> str:
        return f"{reverse('roster:shift_list')}?date_from={result.date.isoformat()}&date_to={result.date.isoformat()}"

    def success_message(self, result) -> str:
        return gettext("%(name)s is shift leader for the %(shift)s on %(date)s.") % {
            "name": result.staff.name,
            "shift": result.get_shift_display(),
            "date": result.date.isoformat(),
        }


class ShiftCreateView(ShiftSuccessMixin, ServiceFormView):
    title = _("Assign a shift leader")
    form_class = forms.ShiftLeaderAssignmentForm

    def get_initial(self):
        initial = super().get_initial()
        for key in ("date", "shift"):
            if value := self.request.GET.get(key):
                initial[key] = value
        return initial

    def perform(self, form):
        return services.shift_leader_assignment_create(actor=self.request.user, **form.cleaned_data)


class ShiftUpdateView(ShiftSuccessMixin, ServiceFormView):
    title = _("Change a shift leader")
    form_class = forms.ShiftLeaderAssignmentForm
    object_queryset = selectors.shift_assignments()

    def perform(self, form):
        return services.shift_leader_assignment_update(
            actor=self.request.user, assignment=self.object, **form.cleaned_data
        )


# Excel import and export ---------------------------------------------------------------------


@permission_required("roster.import")
def roster_import(request):
    problems: list[excel.ImportProblem] = []
    form = forms.RosterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = excel.read_roster_file(upload, name=upload.name, size=upload.size)
            result = services.roster_import(actor=request.user, rows=rows, station=selectors.station_current())
        except excel.RosterImportError as error:
            problems = error.problems
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("Roster imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
            )
            return redirect("roster:staff_list")
    return render(
        request,
        "roster/import.html",
        {
            "tab": "import",
            "form": form,
            "problems": problems,
            "columns": excel.COLUMNS,
            "max_bytes": excel.MAX_IMPORT_BYTES,
        },
    )


@permission_required("roster.import")
def import_template(request):
    content = excel.template_workbook(
        departments=selectors.active_departments().order_by("name"),
        teams=selectors.active_teams(),
    )
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
    return response


@permission_required("roster.view")
def export(request):
    staff_filter = filters.StaffFilter(request.GET or None, queryset=selectors.staff_list().order_by("employee_number"))
    if staff_filter.is_bound and not staff_filter.is_valid():
        raise Http404
    report, teams = excel.RosterReport(), excel.TeamOrderReport()
    lanes, booths = excel_places.LaneReport(), excel_places.BoothReport()
    return exports.xlsx_response(
        report,
        report.rows(staff_filter.qs.iterator(chunk_size=exports.EXPORT_CHUNK_SIZE)),
        extra_sheets=[
            (teams, teams.rows(selectors.team_list().order_by(*selectors.TEAM_ORDER))),
            (lanes, lanes.rows(selectors.lane_list().order_by("order", "number"))),
            (booths, booths.rows(selectors.booth_list().order_by("number"))),
        ],
    )
