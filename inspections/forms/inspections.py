"""Starting an inspection, its particulars, the office's review and corrections."""

from __future__ import annotations

from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections import permissions
from inspections.models import Inspection
from tollservice.access.permissions import has_permission
from tollservice.core.choosers import ChooserField
from tollservice.core.forms import datetime_field, text_field
from tollservice.roster.models import BOOTH_ORDER, TEAM_ORDER, Booth, Lane, Staff, Supervisor, Team

REASON_MAX = 2000
SUMMARY_MAX = 4000


_textarea = partial(text_field, max_length=REASON_MAX)


def _now_local():
    return timezone.localtime().replace(second=0, microsecond=0)


class _PlaceFields(forms.Form):
    """Team, lane, booth, the people present: shared by starting and editing a draft."""

    occurred_at = datetime_field(
        _("Date and time of the inspection"),
        help_text=_("For a covert visit: when you were there, not when you enter it."),
    )
    team = forms.ModelChoiceField(
        label=_("Team on shift"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Left empty: the team the roster puts on shift at that time."),
    )
    lane = forms.ModelChoiceField(label=_("Lane"), queryset=Lane.objects.none(), required=False)
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=Booth.objects.none(), required=False)
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=Supervisor.objects.none(),
        required=False,
        help_text=_("For a supervisor's visit handed in on paper: who made it."),
    )
    inspectors = ChooserField("staff", label=_("Inspectors"), multiple=True, required=False)
    shift_leader = ChooserField(
        "staff",
        label=_("Shift leader on duty"),
        required=False,
        help_text=_("Left empty: the shift leader the roster has on duty at that time."),
    )
    vehicles_sampled = forms.IntegerField(
        label=_("Vehicles sampled"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("For a CCTV review: how many vehicles of the recording were checked."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["team"].queryset = Team.objects.filter(active=True).order_by(*TEAM_ORDER)
        self.fields["lane"].queryset = Lane.objects.filter(active=True).order_by("order", "number")
        self.fields["booth"].queryset = Booth.objects.filter(active=True).select_related("lane").order_by(*BOOTH_ORDER)
        staff = Staff.objects.filter(active=True)
        self.fields["inspectors"].queryset = staff
        self.fields["shift_leader"].queryset = staff
        today = timezone.localdate()
        in_term = Supervisor.objects.filter(active=True, term_start__lte=today).exclude(term_end__lt=today)
        self.fields["supervisor"].queryset = in_term.order_by("name")
        # A supervisor enters their own visits; staff are named by the office and the leadership.
        if permissions.roles_for(user).supervisor_id or not has_permission(user, "roster.view"):
            for name in ("supervisor", "inspectors", "shift_leader"):
                self.fields.pop(name, None)


class InspectionStartForm(_PlaceFields):
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=(), widget=forms.RadioSelect)

    field_order = ["kind", "occurred_at", "team", "lane", "booth"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        kinds = [
            (value, label)
            for value, label in Inspection.Kind.choices
            if permissions.can(permissions.check_record_kind, user, value)
        ]
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        self.fields["occurred_at"].initial = _now_local

    def start_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("shift_leader") is None:
            data.pop("shift_leader", None)  # left empty: the service takes the roster's shift leader on duty
        data["inspectors"] = data.get("inspectors") or []
        return data


class InspectionParticularsForm(_PlaceFields):
    """A draft's particulars; changing the date or time may bring another checklist version."""

    summary = forms.CharField(
        label=_("Overall remarks"), required=False, max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, inspection: Inspection, **kwargs):
        initial = {
            "occurred_at": timezone.localtime(inspection.occurred_at),
            "team": inspection.team,
            "lane": inspection.lane,
            "booth": inspection.booth,
            "inspectors": list(inspection.inspectors.all()),
            "shift_leader": inspection.shift_leader,
            "vehicles_sampled": inspection.vehicles_sampled,
            "summary": inspection.summary,
        }
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, user=user, **kwargs)
        self.fields.pop("supervisor", None)  # a visit's supervisor is fixed when it is started
        self.fields["team"].required = True
        self.fields["team"].help_text = ""
        if "shift_leader" in self.fields:
            self.fields["shift_leader"].help_text = ""

    def changes(self) -> dict:
        """Only what the form holds (a supervisor's form has no people fields)."""
        return dict(self.cleaned_data)


class CorrectionForm(forms.Form):
    """The office corrects an inspection in effect, always with a reason (kept in the audit trail)."""

    reason = _textarea(_("Reason for the correction"))
    lane = forms.ModelChoiceField(label=_("Lane"), queryset=Lane.objects.none(), required=False)
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=Booth.objects.none(), required=False)
    vehicles_sampled = forms.IntegerField(label=_("Vehicles sampled"), min_value=1, max_value=100000, required=False)
    summary = forms.CharField(
        label=_("Overall remarks"), required=False, max_length=SUMMARY_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, inspection: Inspection, **kwargs):
        initial = {
            "lane": inspection.lane,
            "booth": inspection.booth,
            "vehicles_sampled": inspection.vehicles_sampled,
            "summary": inspection.summary,
        }
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        # A closed lane or booth an inspection already names stays a choice.
        lanes = Lane.objects.filter(active=True) | Lane.objects.filter(pk=inspection.lane_id or 0)
        booths = Booth.objects.filter(active=True) | Booth.objects.filter(pk=inspection.booth_id or 0)
        self.fields["lane"].queryset = lanes.order_by("order", "number")
        self.fields["booth"].queryset = booths.order_by(*BOOTH_ORDER)


class ReasonForm(forms.Form):
    reason = _textarea(_("Reason"))


class ReturnForm(forms.Form):
    reasons = _textarea(_("What the supervisor must complete or correct"))


class RecheckForm(forms.Form):
    fixed = forms.TypedChoiceField(
        label=_("Fixed?"),
        choices=[("1", _("Fixed")), ("0", _("Not fixed"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=REASON_MAX)


class CctvForm(forms.Form):
    camera = forms.CharField(label=_("Camera"), max_length=100)
    recorded_at = datetime_field(_("Time in the recording"))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
