"""The awards' forms. They only take input; every rule is the services' (``awards.services``),
whose refusals land on the right field with what the user typed kept."""

from __future__ import annotations

from decimal import Decimal
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards import rules
from awards.models import CampaignPhase, StudyRecord
from awards.models.campaign import METHOD_DOCUMENT
from awards.selectors.ranking import criterion_columns
from tollservice.core.choosers import ChooserField
from tollservice.core.forms import YuanField, date_field, fen, text_field
from tollservice.core.validators import LONG_TEXT_MAX_LENGTH

Phase = CampaignPhase.Kind


_text = partial(text_field, rows=4)


class ConfirmForm(forms.Form):
    """A step with nothing to type: the page says what will happen, the button does it."""


class ReasonForm(forms.Form):
    reason = _text(_("Reasons"))


# --- The campaign (CAM-1, CAM-2) ----------------------------------------------------------------


class CampaignOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    method_document = forms.CharField(
        label=_("Assessment method studied"),
        max_length=60,
        initial=METHOD_DOCUMENT,
        help_text=_(
            "The phases start with the plan's dates (1–15 August, 16–31 August, then the long-term mechanism)."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class CampaignChangeForm(forms.Form):
    method_document = forms.CharField(label=_("Assessment method studied"), max_length=60)
    study_start = date_field(_("Study and mobilization: from"))
    study_end = date_field(_("Study and mobilization: to"))
    implementation_start = date_field(_("Organization and implementation: from"))
    implementation_end = date_field(_("Organization and implementation: to"))
    long_term_start = date_field(_("Long-term mechanism: from"))

    def phases(self) -> list[rules.PhaseDates]:
        data = self.cleaned_data
        return [
            rules.PhaseDates(Phase.STUDY, data["study_start"], data["study_end"]),
            rules.PhaseDates(Phase.IMPLEMENTATION, data["implementation_start"], data["implementation_end"]),
            rules.PhaseDates(Phase.LONG_TERM, data["long_term_start"], None),
        ]

    @staticmethod
    def initial_for(campaign) -> dict:
        initial = {"method_document": campaign.method_document}
        for phase in campaign.phases.all():
            initial[f"{phase.kind}_start"] = phase.starts_on
            if phase.kind != Phase.LONG_TERM:
                initial[f"{phase.kind}_end"] = phase.ends_on
        return initial


class StudyRecordForm(forms.Form):
    # A search box (a station has thousands of employees), never a box to tick for each of them.
    staff = ChooserField(
        "staff",
        label=_("Who studied"),
        multiple=True,
        help_text=_("Those not yet recorded: type each name or employee number."),
    )
    materials = forms.MultipleChoiceField(
        label=_("What they studied"),
        choices=StudyRecord.Material.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=StudyRecord.Material.values,
    )
    studied_on = date_field(_("Studied on"))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args, staff_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_queryset
        self.fields["studied_on"].initial = timezone.localdate()


# --- The selection (AWD-1) ------------------------------------------------------------------------


class SelectionForm(forms.Form):
    """Places, the reward and one weight per criterion of the ranking."""

    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=50)
    reward = YuanField(label=_("Reward for each winner (yuan)"), min_value=Decimal(0))

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        for column in criterion_columns(selection.kind, selection.weights):
            self.fields[f"weight_{column.key}"] = forms.IntegerField(
                label=_("Weight: %(criterion)s") % {"criterion": column.label},
                min_value=0,
                max_value=rules.MAX_WEIGHT,
                help_text=column.explanation,
            )

    @staticmethod
    def initial_for(selection) -> dict:
        initial = {"places": selection.places, "reward": Decimal(selection.reward_fen) / 100}
        initial.update({f"weight_{key}": int(selection.weights.get(key, 0)) for key in rules.CRITERIA})
        return initial

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "places": data["places"],
            "reward_fen": fen(data["reward"]),
            "weights": {key: data[f"weight_{key}"] for key in rules.CRITERIA},
        }


class NominationForm(forms.Form):
    citation = _text(
        _("Reasons for the commendation"),
        help_text=_("What the commendation will say of them: their service in the year."),
    )
    out_of_order_reason = _text(
        _("Reason for nominating out of order"),
        required=False,
        help_text=_("Needed when candidates ranked higher are passed over."),
    )


class ApprovalForm(forms.Form):
    reward = YuanField(label=_("Reward (yuan)"), min_value=Decimal(0))

    def reward_fen(self) -> int:
        return fen(self.cleaned_data["reward"])


# --- What winners get (AWD-1) ---------------------------------------------------------------------


class PlaqueForm(forms.Form):
    presented_on = date_field(_("Presented on"))
    location = forms.CharField(label=_("Where it hangs or is kept"), required=False, max_length=100)


class CommendationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = _text(_("Text"), max_length=LONG_TEXT_MAX_LENGTH, rows=16)
