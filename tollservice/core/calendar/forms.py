from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tollservice.core.calendar.models import CalendarDay
from tollservice.core.forms import date_field


class CalendarDayForm(forms.Form):
    date = date_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Holiday"), max_length=50, help_text=_("For example “Spring Festival”."))


class CalendarYearConfirmForm(forms.Form):
    source = forms.CharField(
        label=_("Source"), required=False, max_length=200, help_text=_("The notice the days were taken from.")
    )
