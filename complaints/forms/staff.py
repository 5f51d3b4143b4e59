"""The staff's forms: registering a complaint from any channel, and each step on a complaint.

Forms check the shape of the input; the services decide (their ``DomainError`` lands on the field
of the same name, with everything typed kept)."""

from __future__ import annotations

import datetime
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import rules
from complaints.choosers import COMPLAINT_STAFF
from complaints.forms.public import LaneChoiceField, PhotosField, lane_choices
from complaints.models import Apology, Complaint, Contact, PersonalDataAccess, ReturnVisit, Verdict
from complaints.services.photos import MAX_PHOTOS
from tollservice.core.choosers import ChooserField
from tollservice.core.forms import YuanField, date_field, datetime_field, period_day_field, text_field, validate_day
from tollservice.core.validators import PHONE_MAX_LENGTH, validate_phone
from tollservice.roster.models import TEAM_ORDER, Department, ShiftLeaderAssignment, Staff, Team

_text = partial(text_field, max_length=rules.NOTE_MAX)


REASON = _("Reason")


def _reason(label=REASON):
    return _text(label, rows=2)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, staff) -> str:
        return f"{staff.name}（{staff.employee_number}）"


class StaffMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, staff) -> str:
        return f"{staff.name}（{staff.employee_number}）"


def active_staff():
    return Staff.objects.filter(active=True).order_by("name", "employee_number")


STAFF_CHANNELS = [(value, label) for value, label in Complaint.Channel.choices if value != Complaint.Channel.WEB]


class RegisterForm(forms.Form):
    """CMP-6, CMP-9: the office registers a complaint from any channel but the web form."""

    channel = forms.ChoiceField(label=_("Channel"), choices=STAFF_CHANNELS)
    received_at = datetime_field(
        _("Received at"),
        required=False,
        help_text=_("When it reached the station (a letter's arrival, a work order's issue); empty means now."),
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Complaint.Urgency.choices, initial=Complaint.Urgency.NORMAL)
    category = forms.ChoiceField(label=_("Category"), choices=Complaint.Category.choices)
    description = _text(_("What happened"), rows=4, max_length=rules.DESCRIPTION_MAX)
    remedy = _text(_("Remedy asked for"), required=False, rows=2, max_length=rules.REMEDY_MAX)
    incident_at = datetime_field(_("Time of the incident"))
    lane = LaneChoiceField(label=_("Lane"), queryset=Complaint.objects.none(), required=False)
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        help_text=_("Empty: the team on duty at the incident's time, from the roster."),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=PHONE_MAX_LENGTH, validators=[validate_phone])
    complainant_name = forms.CharField(label=pgettext_lazy("of a person", "Name"), required=False, max_length=50)
    plate = forms.CharField(label=_("Plate number"), required=False, max_length=20)
    email = forms.EmailField(
        label=_("Email"), required=False, help_text=_("The tracking number and access code are emailed there.")
    )
    duty_leader = ChooserField(COMPLAINT_STAFF, label=_("Transferred by (duty leader)"), required=False)
    media_outlet = forms.CharField(label=_("News outlet"), required=False, max_length=100)
    media_date = date_field(_("Date of the report"), required=False)
    work_order_centre = forms.ChoiceField(
        label=_("Hotline centre"), choices=[("", "---------"), *Complaint.Centre.choices], required=False
    )
    work_order_number = forms.CharField(label=_("Work-order number"), required=False, max_length=40)
    work_order_deadline = datetime_field(_("The centre's deadline"), required=False)
    photos = PhotosField(label=_("Photos"), help_text=_("Up to %(count)s photos.") % {"count": MAX_PHOTOS})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lane"].queryset = lane_choices()
        self.fields["team"].queryset = Team.objects.filter(active=True).order_by(*TEAM_ORDER)
        self.fields["duty_leader"].queryset = active_staff()  # a search box, never a list of everyone

    def register_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        return data


class DuplicateQueryForm(forms.Form):
    """The facts the duplicate suggestions are computed from (the intake form's, as typed)."""

    phone = forms.CharField(required=False, max_length=30)
    plate = forms.CharField(required=False, max_length=20)
    lane = forms.ModelChoiceField(queryset=lane_choices(), required=False)
    incident_at = forms.DateTimeField(required=False, validators=[validate_day])
    description = forms.CharField(required=False, max_length=rules.DESCRIPTION_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lane"].queryset = lane_choices()


# --- Ownership ------------------------------------------------------------------------------------


class HandOverForm(forms.Form):
    to = ChooserField(COMPLAINT_STAFF, label=_("Hand over to"), help_text=_("Type a name or an employee number."))
    reason = _reason()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Anyone on the roster with an account may be given a complaint (complaints.handle: every
        # staff member's role); the service checks again.
        self.fields["to"].queryset = active_staff().filter(user__is_active=True)

    def clean_to(self):
        """The account of the staff member chosen: the service hands over to a user."""
        staff = self.cleaned_data["to"]
        return staff.user if staff is not None else None


class EscalateForm(forms.Form):
    to_level = forms.TypedChoiceField(
        label=_("Escalate to"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Empty: the next level up."),
    )
    reason = _reason()

    def __init__(self, *args, level: int, **kwargs):
        super().__init__(*args, **kwargs)
        above = [(value, label) for value, label in Complaint.Level.choices if value > level]
        self.fields["to_level"].choices = [("", _("The next level up")), *above]


class SubjectsForm(forms.Form):
    staff = ChooserField(
        COMPLAINT_STAFF,
        label=_("Persons complained about"),
        multiple=True,
        required=False,
        help_text=_("They never see the driver's name, phone or plate, and never handle the complaint."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = active_staff()


# --- Handling -------------------------------------------------------------------------------------


class ContactForm(forms.Form):
    method = forms.ChoiceField(label=_("How"), choices=Contact.Method.choices)
    at = datetime_field(_("When"), required=False, help_text=_("Empty means now."))
    note = _text(_("Note"), required=False, rows=2)


class StatementForm(forms.Form):
    staff = ChooserField(COMPLAINT_STAFF, label=_("Staff member"))
    account = _text(_("Their own account"), rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = active_staff()


class PauseForm(forms.Form):
    reason = _reason(_("What the station waits for"))
    request_to_driver = _text(
        _("Request to the driver"),
        required=False,
        rows=2,
        help_text=_("Shown on the driver's look-up page and emailed if they gave an address."),
    )


class NoteForm(forms.Form):
    note = _text(_("Note"), required=False, rows=2)


class ExtensionRequestForm(forms.Form):
    new_due = date_field(_("New date for the answer"))
    reason = _reason(_("Why the case needs more time"))


class ExtensionDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = _text(_("Note"), required=False, rows=2)


class VerdictForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Verdict.Outcome.choices, widget=forms.RadioSelect)
    fault = forms.ChoiceField(label=_("At fault"), choices=Verdict.Fault.choices, widget=forms.RadioSelect)
    findings = _text(_("Findings"), rows=4)
    cctv_reference = forms.CharField(label=_("CCTV reference"), required=False, max_length=100)
    lane = LaneChoiceField(label=_("Lane"), queryset=Complaint.objects.none(), required=False)
    shift_date = date_field(_("Shift date"), required=False)
    shift = forms.ChoiceField(
        label=_("Shift"), choices=[("", "---------"), *ShiftLeaderAssignment.Shift.choices], required=False
    )
    staff_involved = StaffMultipleChoiceField(
        label=_("Staff involved"), queryset=Staff.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    staff_at_fault = StaffMultipleChoiceField(
        label=_("Staff at fault"), queryset=Staff.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates=None, **kwargs):
        """``candidates``: the persons complained about and heard, ticked from a short list; without
        them, anyone on the staff, chosen by searching (a list of everyone is pages long on a phone)."""
        super().__init__(*args, **kwargs)
        self.fields["lane"].queryset = lane_choices()
        for name in ("staff_involved", "staff_at_fault"):
            if candidates is not None:
                self.fields[name].queryset = candidates
            else:
                field = self.fields[name]
                self.fields[name] = ChooserField(
                    COMPLAINT_STAFF,
                    label=field.label,
                    help_text=field.help_text,
                    multiple=True,
                    required=False,
                    queryset=active_staff(),
                )


class ApologyForm(forms.Form):
    apologised_by = ChooserField(COMPLAINT_STAFF, label=_("Who apologised"))
    role = forms.ChoiceField(label=_("As"), choices=Apology.Role.choices)
    method = forms.ChoiceField(label=_("How"), choices=Apology.Method.choices)
    apologised_at = datetime_field(_("When"), required=False, help_text=_("Empty means now."))
    note = _text(_("Note"), required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["apologised_by"].queryset = active_staff()


class AnswerForm(forms.Form):
    reply = _text(_("Reply to the driver"), rows=5, help_text=_("The driver sees it on the look-up page."))
    facts = _text(_("Facts established"), required=False, rows=3)
    handling = _text(_("How it was handled"), required=False, rows=3)
    grounds = _text(_("Grounds"), required=False, rows=2)

    def __init__(self, *args, work_order: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not work_order:
            for name in ("facts", "handling", "grounds"):
                del self.fields[name]
        else:
            for name in ("facts", "handling", "grounds"):
                self.fields[name].help_text = _("Reported back to the hotline centre (报结).")


class WorkOrderReportForm(forms.Form):
    facts = _text(_("Facts established"), rows=3)
    handling = _text(_("How it was handled"), rows=3)
    grounds = _text(_("Grounds"), rows=2)


class WorkOrderReturnForm(forms.Form):
    reason = _reason(_("Why the centre returned it"))
    new_deadline = datetime_field(_("The centre's new deadline"))


class LinkForm(forms.Form):
    primary = forms.CharField(
        label=_("Primary complaint (number)"), max_length=20, widget=forms.TextInput(attrs={"placeholder": "2026-0001"})
    )
    reason = _text(_("Reason"), required=False, rows=2)


class ReasonForm(forms.Form):
    reason = _reason()


# --- Follow-up ----------------------------------------------------------------------------------------


STAFF_RESULTS = ReturnVisit.Result.choices
STAFF_METHODS = [(v, label) for v, label in ReturnVisit.Method.choices if v != ReturnVisit.Method.ONLINE]


class ReturnVisitForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=STAFF_RESULTS, widget=forms.RadioSelect)
    method = forms.ChoiceField(label=_("How"), choices=STAFF_METHODS)
    note = _text(_("Note"), required=False, rows=2)


class ReviewDecideForm(forms.Form):
    reopen_case = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[
            ("yes", _("The handling was at fault: reopen the complaint")),
            ("no", _("The handling stands")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reasons = _text(_("Reasons"), rows=3)


class RevealForm(forms.Form):
    field = forms.ChoiceField(label=_("Show"), choices=PersonalDataAccess.Field.choices)
    reason = forms.CharField(label=_("Why"), max_length=200, help_text=_("Recorded with your name and the time."))


# --- Penalties (PEN-3, PEN-4) ---------------------------------------------------------------------------


class ComplaintPenaltyForm(forms.Form):
    staff = StaffChoiceField(label=_("Staff member"), queryset=Staff.objects.none())
    fine = YuanField(label=_("Fine (yuan)"))
    suspension = forms.BooleanField(label=_("Suspension"), required=False)
    dismissal = forms.BooleanField(label=_("Dismissal"), required=False)
    responsible_head = ChooserField(
        COMPLAINT_STAFF,
        label=_("Responsible head held accountable"),
        required=False,
        help_text=_("Empty: the person's team leader, or the head of their department."),
    )
    description = _text(_("Description"), required=False, rows=3)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = candidates
        self.fields["responsible_head"].queryset = active_staff()


class HandlingViolationForm(forms.Form):
    handler = ChooserField(COMPLAINT_STAFF, label=_("Handler"))
    handler_fine = YuanField(label=_("Handler's fine (yuan)"))
    department = forms.ModelChoiceField(
        label=_("Handling department"),
        queryset=Department.objects.none(),
        required=False,
        help_text=_("Empty: the handler's department."),
    )
    head_fine = YuanField(label=_("Department head's fine (yuan)"))
    description = _text(_("What went wrong in the handling"), rows=3)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = active_staff()
        self.fields["department"].queryset = Department.objects.filter(active=True).order_by("name")


# --- The office's settings --------------------------------------------------------------------------------


class SettingsForm(forms.Form):
    accept_hours = forms.IntegerField(label=_("Accept within (hours of arrival)"), min_value=0, max_value=168)
    return_visit_days = forms.IntegerField(
        label=_("Return visit within (days of the answer)"), min_value=1, max_value=30
    )
    review_working_days = forms.IntegerField(label=_("Review within (working days)"), min_value=1, max_value=30)
    retention_days = forms.IntegerField(
        label=_("Keep drivers' personal data for (days after closing)"), min_value=30, max_value=3650
    )
    basically_satisfied_counts = forms.BooleanField(
        label=_("“Basically satisfied” counts as satisfied"), required=False
    )
    partly_upheld_counts = forms.BooleanField(label=_("“Partly upheld” counts as upheld"), required=False)


class UrgencyLimitForm(forms.Form):
    first_contact_hours = forms.IntegerField(label=_("First contact within (hours)"), min_value=1, max_value=168)
    answer_working_days = forms.IntegerField(label=_("Answer within (working days)"), min_value=1, max_value=60)


class DepartmentMethodForm(forms.Form):
    method = _text(_("How the department handles complaints"), rows=5)
    hotline = forms.CharField(label=_("Complaint hotline"), max_length=PHONE_MAX_LENGTH, validators=[validate_phone])
    published = forms.BooleanField(label=_("Published on the public complaint page"), required=False)


def default_moment():
    return timezone.localtime().replace(second=0, microsecond=0)


class FiguresPeriodForm(forms.Form):
    """The period of the complaint figures (default: this month up to today)."""

    date_from = period_day_field(_("From"))
    date_to = period_day_field(_("To"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["date_from"].initial = today.replace(day=1)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        if not self.errors:
            date_from, date_to = self._chosen(data)
            if date_to < date_from:
                self.add_error(
                    "date_to" if data.get("date_to") else "date_from", _("The period ends before it starts.")
                )
        return data

    def _chosen(self, data: dict) -> tuple[datetime.date, datetime.date]:
        return (
            data.get("date_from") or self.fields["date_from"].initial,
            data.get("date_to") or self.fields["date_to"].initial,
        )

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period, each end defaulting to this month's first day and today; this month
        up to today when what was typed is not a period (the form shows why)."""
        return self._chosen(self.cleaned_data if self.is_bound and self.is_valid() else {})
