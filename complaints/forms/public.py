"""The drivers' forms (no account): the complaint with its photos, the look-up by tracking number
and access code, adding information and rating the outcome.

The forms only check the shape of what was typed; the services decide (a refusal lands on the
field of the same name, with everything typed kept — photos excepted, which a browser cannot be
given back)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import rules
from complaints.models import Complaint, ReturnVisit
from complaints.services.photos import MAX_PHOTOS
from tollservice.core.forms import datetime_field
from tollservice.core.validators import PHONE_MAX_LENGTH, validate_phone
from tollservice.roster.models import Lane

IMAGE_TYPES = "image/jpeg,image/png,image/webp"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``MAX_PHOTOS`` files from one ``<input type=file multiple>``; checked by content in
    the service (``tollservice.core.uploads``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": IMAGE_TYPES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def lane_choices():
    return Lane.objects.filter(active=True).order_by("order", "number")


class LaneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, lane):
        text = _("Lane %(number)s · %(direction)s") % {"number": lane.number, "direction": lane.get_direction_display()}
        return f"{text} · {lane.heading}" if lane.heading else text


class PublicComplaintForm(forms.Form):
    """CMP-9: the drivers' phone-first complaint form."""

    category = forms.ChoiceField(
        label=_("What is the complaint about?"), choices=Complaint.Category.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=rules.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what happened, and what was said or done."),
    )
    incident_at = datetime_field(_("When did it happen?"))
    lane = LaneChoiceField(
        label=_("Which lane"), queryset=Lane.objects.none(), required=False, empty_label=_("I don't know")
    )
    plate = forms.CharField(
        label=_("Plate number"),
        required=False,
        max_length=20,
        help_text=_("Optional; it helps find your vehicle in the recordings."),
    )
    phone = forms.CharField(
        label=_("Your phone number"),
        max_length=PHONE_MAX_LENGTH,
        validators=[validate_phone],
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("The station calls you back on this number."),
    )
    complainant_name = forms.CharField(
        label=pgettext_lazy("of a person", "Your name"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Optional: we send the tracking number and access code, and our answer, there."),
    )
    remedy = forms.CharField(
        label=_("What would you like the station to do?"),
        required=False,
        max_length=rules.REMEDY_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photos = PhotosField(
        label=_("Photos"),
        help_text=_("Up to %(count)s photos (JPEG, PNG or WebP, 10 MB each).") % {"count": MAX_PHOTOS},
    )
    # A honeypot: hidden from people (and from screen readers), filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lane"].queryset = lane_choices()
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_robot(self) -> bool:
        return bool((self.data.get("website") or "").strip())

    def submit_kwargs(self) -> dict:
        data = self.cleaned_data
        names = ("category", "description", "incident_at", "lane", "plate", "phone", "complainant_name", "email")
        return {**{name: data[name] for name in names}, "remedy": data["remedy"], "photos": data["photos"]}


class LookupForm(forms.Form):
    """The tracking number and the access code, posted (never in the address)."""

    number = forms.CharField(
        label=_("Tracking number"), max_length=30, widget=forms.TextInput(attrs={"placeholder": "2026-0001"})
    )
    code = forms.CharField(
        label=_("Access code"),
        max_length=80,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class AddInformationForm(LookupForm):
    text = forms.CharField(label=_("Information to add"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


DRIVER_RESULTS = [
    (ReturnVisit.Result.SATISFIED, ReturnVisit.Result.SATISFIED.label),
    (ReturnVisit.Result.BASICALLY_SATISFIED, ReturnVisit.Result.BASICALLY_SATISFIED.label),
    (ReturnVisit.Result.DISSATISFIED, ReturnVisit.Result.DISSATISFIED.label),
]


class RateForm(LookupForm):
    result = forms.ChoiceField(label=_("How satisfied are you?"), choices=DRIVER_RESULTS, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=rules.NOTE_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )
