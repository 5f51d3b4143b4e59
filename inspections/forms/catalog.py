"""The office's checklist editor (versions and items) and the module's settings."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import ChecklistItem, ChecklistVersion, InspectionSettings, ServiceProvision
from tollservice.core.forms import date_field

NOTE_MAX = 500


class VersionDraftForm(forms.Form):
    effective_from = date_field(_("In force from"))
    note = forms.CharField(label=_("What changes"), max_length=NOTE_MAX)
    based_on = forms.ModelChoiceField(
        label=_("Based on"),
        queryset=ChecklistVersion.objects.none(),
        required=False,
        help_text=_("Its items are copied into the draft. Left empty: the latest published version."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["effective_from"].initial = timezone.localdate() + datetime.timedelta(days=1)
        self.fields["based_on"].queryset = ChecklistVersion.objects.filter(
            status=ChecklistVersion.Status.PUBLISHED
        ).order_by("-effective_from")


class VersionUpdateForm(forms.Form):
    effective_from = date_field(_("In force from"))
    note = forms.CharField(label=_("What changes"), max_length=NOTE_MAX)


class ChecklistItemForm(forms.ModelForm):
    """One item's terms; the service checks that they make sense together."""

    class Meta:
        model = ChecklistItem
        fields = list(ChecklistItem.TERM_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provisions = ServiceProvision.objects.filter(active=True)
        if self.instance.provision_id:
            provisions = provisions | ServiceProvision.objects.filter(pk=self.instance.provision_id)
        self.fields["provision"].queryset = provisions.select_related("category").order_by("code")
        self.fields["description"].max_length = 2000

    def _post_clean(self):
        pass  # the service checks the item (as the roster's service forms do)


class SettingsForm(forms.ModelForm):
    class Meta:
        model = InspectionSettings
        fields = list(InspectionSettings.EDITABLE_FIELDS)
        help_texts = {
            "revisit_gap_days": _("The review warns when the same supervisor visits a team again sooner."),
            "overdue_orders_threshold": _("0: teams are never put to the office for late orders."),
        }

    def _post_clean(self):
        pass
