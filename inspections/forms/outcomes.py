"""Outcomes of findings (INS-2), rectification orders, appeals (INS-6) and overdue proposals."""

from __future__ import annotations

import datetime
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Appeal, InspectionSettings
from penalties.models import TalkRecord
from tollservice.core.choosers import ChooserField
from tollservice.core.forms import PhotosField, date_field, datetime_field, text_field
from tollservice.roster.models import Staff

TEXT_MAX = 2000
LONG_TEXT_MAX = 4000


_text = partial(text_field, max_length=TEXT_MAX)


class SuggestionForm(forms.Form):
    text = _text(_("Critical suggestion"))


class PenaltyProposeForm(forms.Form):
    description = _text(
        _("What happened"),
        required=False,
        help_text=_("Left empty: the item, the inspection and the note of the finding."),
    )


class OrderIssueForm(forms.Form):
    instructions = _text(_("What must be rectified"))
    deadline = date_field(_("Deadline"))
    assignee = ChooserField(
        "staff", label=_("Assigned to"), required=False, help_text=_("Left empty: the team's leader.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        days = InspectionSettings.current().rectification_days
        self.fields["deadline"].initial = timezone.localdate() + datetime.timedelta(days=days)
        self.fields["assignee"].queryset = Staff.objects.filter(active=True)


class AnswerForm(forms.Form):
    answer = _text(_("What was done"), max_length=LONG_TEXT_MAX, rows=4)
    photos = PhotosField(label=_("Photos"), help_text=_("Photos of the rectification (JPEG, PNG or WebP)."))


class VerifyForm(forms.Form):
    note = _text(_("Verification"), required=False)


class OrderReturnForm(forms.Form):
    reasons = _text(_("Why it is returned"))
    deadline = date_field(_("New deadline"), required=False)


class DeadlineForm(forms.Form):
    deadline = date_field(_("New deadline"))
    reason = _text(_("Reason"))


class AppealForm(forms.Form):
    grounds = _text(_("Grounds of the appeal"), max_length=LONG_TEXT_MAX, rows=4)
    photos = PhotosField(label=_("Photos"))
    camera = forms.CharField(
        label=_("CCTV camera"),
        required=False,
        max_length=100,
        help_text=_("A recording that contradicts the finding: the camera and the time in it."),
    )
    recorded_at = datetime_field(_("Time in the recording"), required=False)

    def clean(self):
        data = super().clean()
        if bool(data.get("camera")) != bool(data.get("recorded_at")):
            raise forms.ValidationError(_("Give both the camera and the time in the recording, or neither."))
        return data


class AppealDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(value, label) for value, label in Appeal.Status.choices if value != Appeal.Status.LODGED],
        widget=forms.RadioSelect,
    )
    occurrences = forms.IntegerField(
        label=_("Occurrences that stand"),
        min_value=1,
        required=False,
        help_text=_("For a partly upheld appeal."),
    )
    reasons = _text(_("Reasons for the decision"), max_length=LONG_TEXT_MAX)


class OverdueResolveForm(forms.Form):
    """INS-4 talk, INS-5 loss of award eligibility, or dismissal of a team put to the office."""

    ACTIONS = [
        ("talk", _("Hold a talk with the team")),  # INS-4
        ("eligibility", _("Remove the team's award eligibility")),  # INS-5
        ("dismiss", _("Dismiss, with reasons")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    note = _text(_("Note"), required=False)
    talk_kind = forms.ChoiceField(label=_("Kind of talk"), choices=TalkRecord.Kind.choices, required=False)
    held_at = datetime_field(_("Talk held at"), required=False)
    conducted_by = ChooserField("staff", label=_("Conducted by"), required=False)
    summary = _text(_("What was said"), required=False)
    year = forms.IntegerField(label=_("Year of the award eligibility"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducted_by"].queryset = Staff.objects.filter(active=True)

    def clean(self):
        data = super().clean()
        if data.get("action") == "talk":
            for name in ("talk_kind", "held_at", "conducted_by", "summary"):
                if not data.get(name):
                    self.add_error(name, _("Required for a talk."))
        return data

    def resolve_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"action": data["action"], "note": data.get("note", "")}
        if data["action"] == "talk":
            kwargs["talk"] = {
                "kind": data["talk_kind"],
                "held_at": data["held_at"],
                "conducted_by": data["conducted_by"],
                "summary": data["summary"],
            }
        if data["action"] == "eligibility" and data.get("year"):
            kwargs["year"] = data["year"]
        return kwargs
