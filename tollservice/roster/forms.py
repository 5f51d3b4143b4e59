"""Forms of the roster pages. They check the shape of the input; the rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordMixin
from django.core.exceptions import FieldDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tollservice.core.choosers import ChooserField
from tollservice.core.forms import DateInput, date_field, validate_day
from tollservice.roster import selectors
from tollservice.roster.models import (
    Booth,
    Department,
    Lane,
    LeadershipMembership,
    OfficeMembership,
    ShiftLeaderAssignment,
    Staff,
    Station,
    Supervisor,
    Team,
)


class ServiceModelForm(forms.ModelForm):
    """A model form that only borrows the model's field definitions.

    The roster's rules (unique numbers, one shift leader per shift, term dates …) are checked by
    the services, which explain a refusal better than ``Model.full_clean()`` would; so the
    form neither copies its data onto the instance nor validates the model. A model field's own
    validators (a phone number's shape) are the form field's too, since ``full_clean`` is skipped,
    and a date is refused outside the portal's calendar as ``date_field`` refuses it.

    ``choosers`` names the foreign keys to staff chosen by typing (``tollservice.core.choosers``),
    never from a ``<select>`` of everyone: the model's field keeps its label, help and
    required-ness, the form's ``__init__`` sets the (scoped) queryset as for any model choice.
    """

    choosers: dict[str, str] = {}  # field name → chooser name

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, chooser in self.choosers.items():
            field = self.fields[name]
            self.fields[name] = ChooserField(
                chooser, label=field.label, required=field.required, help_text=field.help_text
            )
        for name, field in self.fields.items():
            try:
                model_field = self._meta.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            kinds = {type(validator) for validator in field.validators}
            field.validators.extend(v for v in model_field.validators if type(v) not in kinds)
            if isinstance(field, forms.DateField | forms.DateTimeField):
                field.validators.append(validate_day)

    def _post_clean(self):
        pass


class StationForm(ServiceModelForm):
    class Meta:
        model = Station
        fields = ["name", "address", "hotline"]


class StationCreateForm(ServiceModelForm):
    class Meta:
        model = Station
        fields = ["name", "code", "address", "hotline"]


class DepartmentForm(ServiceModelForm):
    choosers = {"head": "staff"}

    class Meta:
        model = Department
        fields = ["name", "kind", "head", "hotline", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = selectors.active_staff()
        if self.instance.pk is None:
            del self.fields["active"]


class TeamForm(ServiceModelForm):
    choosers = {"leader": "staff"}

    class Meta:
        model = Team
        fields = ["name", "department", "leader", "display_order", "active"]
        help_texts = {"leader": _("The team leader joins the team if they are not in it yet.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.active_departments()
        self.fields["leader"].queryset = selectors.active_staff()
        # Left empty, a new team goes after the others and an existing one keeps its place.
        self.fields["display_order"].required = False
        if self.instance.pk is None:
            del self.fields["active"]
            self.fields["display_order"].help_text = _("Leave empty to list it after the other teams.")


class StaffForm(ServiceModelForm):
    class Meta:
        model = Staff
        fields = ["employee_number", "name", "position", "department", "team", "phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        departments = selectors.active_departments()
        teams = selectors.active_teams()
        if self.instance.pk is not None:  # a staff member may stay where they are after it closed
            departments = Department.objects.filter(pk=self.instance.department_id) | departments
            if self.instance.team_id:
                teams = Team.objects.filter(pk=self.instance.team_id) | teams
        self.fields["department"].queryset = departments.distinct()
        self.fields["team"].queryset = teams.distinct()


class StaffDeactivateForm(forms.Form):
    left_on = date_field(_("Left on"), initial=timezone.localdate)


class LeadershipMembershipForm(ServiceModelForm):
    choosers = {"staff": "staff"}

    class Meta:
        model = LeadershipMembership
        fields = ["staff", "role", "start_date"]
        widgets = {"start_date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.active_staff()
        self.fields["start_date"].initial = timezone.localdate


class OfficeMembershipForm(ServiceModelForm):
    choosers = {"staff": "staff"}

    class Meta:
        model = OfficeMembership
        fields = ["staff", "role", "concurrent", "start_date"]
        widgets = {"start_date": DateInput()}
        help_texts = {"concurrent": _("The director holds the post concurrently (兼) with their main post.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.active_staff()
        self.fields["start_date"].initial = timezone.localdate
        self.fields["concurrent"].initial = True


class MembershipEndForm(forms.Form):
    end_date = date_field(_("End date"), initial=timezone.localdate)


class SupervisorForm(ServiceModelForm):
    class Meta:
        model = Supervisor
        fields = ["name", "organisation", "phone", "email", "pass_number", "term_start", "term_end"]
        widgets = {"term_start": DateInput(), "term_end": DateInput()}


class SupervisorDeactivateForm(forms.Form):
    term_end = date_field(_("Term end"), initial=timezone.localdate)


class ShiftLeaderAssignmentForm(ServiceModelForm):
    choosers = {"staff": "staff"}

    class Meta:
        model = ShiftLeaderAssignment
        fields = ["date", "shift", "staff", "team"]
        widgets = {"date": DateInput()}
        help_texts = {"team": _("Defaults to the shift leader's own team.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = selectors.active_staff()
        self.fields["team"].queryset = selectors.active_teams()
        if self.instance.pk is None:
            self.fields["date"].initial = timezone.localdate


class AccountCreateForm(SetPasswordMixin, forms.Form):
    """Create the login account of a roster entry. Its owner chooses the password with the link
    emailed to them; only the system administrator may set an initial password instead."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[get_user_model().username_validator],
        help_text=_("Letters, digits and @/./+/-/_ only."),
    )
    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("Initial password"), label2=_("Password confirmation")
    )

    def __init__(self, *args, person: Staff | Supervisor, may_set_password: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.may_set_password = may_set_password
        if may_set_password:
            for name in ("password1", "password2"):
                self.fields[name].required = False
            self.fields["password1"].help_text = _(
                "Leave both empty to email them a link to choose their own password."
            )
        else:
            del self.fields["password1"], self.fields["password2"]

    def clean(self):
        if self.may_set_password and (self.cleaned_data.get("password1") or self.cleaned_data.get("password2")):
            self.validate_passwords()
            user = get_user_model()(
                username=self.cleaned_data.get("username", ""), first_name=self.person.name, email=self.person.email
            )
            self.validate_password_for_user(user)
        return super().clean()

    @property
    def password(self) -> str | None:
        return self.cleaned_data.get("password1") or None


class AccountPasswordForm(SetPasswordMixin, forms.Form):
    """The system administrator sets a new password on an existing account."""

    password1, password2 = SetPasswordMixin.create_password_fields(
        label1=_("New password"), label2=_("Password confirmation")
    )

    def __init__(self, *args, person: Staff | Supervisor, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean(self):
        self.validate_passwords()
        self.validate_password_for_user(self.person.user)
        return super().clean()


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class LaneForm(ServiceModelForm):
    class Meta:
        model = Lane
        fields = ["number", "direction", "kind", "heading", "order", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["active"]


class BoothForm(ServiceModelForm):
    class Meta:
        model = Booth
        fields = ["number", "lane", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        lanes = selectors.active_lanes()
        if self.instance.lane_id:
            lanes = lanes | Lane.objects.filter(pk=self.instance.lane_id)
        self.fields["lane"].queryset = lanes.order_by("order", "number")
        if self.instance.pk is None:
            del self.fields["active"]
