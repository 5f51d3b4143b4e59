"""Supervisors' reports and the leadership group's decision (INS-6, INS-7); the station affairs
meeting circular (INS-3)."""

from __future__ import annotations

import datetime
from functools import partial

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections.models import Inspection, ServiceProvision, SupervisorReport, SupervisorTeamEvaluation
from tollservice.core.choosers import ChooserField
from tollservice.core.dates import month_end, month_start
from tollservice.core.forms import MonthField, MonthInput, date_field, text_field
from tollservice.roster.models import TEAM_ORDER, Staff, Team

REPORT_TEXT_MAX = 8000
TEXT_MAX = 4000
# The visits a report may cover: those of the last half year.
VISITS_DAYS = 183
# The visits a report may cover: those of the last half year.


_text = partial(text_field, max_length=TEXT_MAX, rows=4)


class ReportSubmitForm(forms.Form):
    """INS-6: the supervisor's written report — an evaluation of each team visited, suggestions,
    penalty suggestions. One rating and one text per team; teams left unrated are not evaluated."""

    period_start = date_field(_("From"))
    period_end = date_field(_("To"))
    summary = _text(_("Overall evaluation"), max_length=REPORT_TEXT_MAX, rows=5)
    suggestions = _text(_("Suggestions"), required=False, max_length=REPORT_TEXT_MAX)
    penalty_suggestions = _text(_("Penalties suggested"), required=False, max_length=REPORT_TEXT_MAX)
    visits = forms.ModelMultipleChoiceField(
        label=_("Visits the report covers"),
        queryset=Inspection.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, supervisor_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = month_start(today)
        self.fields["period_end"].initial = today
        self.fields["visits"].queryset = (
            Inspection.objects.filter(supervisor_id=supervisor_id)
            .exclude(status__in=[Inspection.Status.DRAFT, Inspection.Status.VOID])
            .select_related("team")
            .filter(occurred_at__gte=timezone.now() - datetime.timedelta(days=VISITS_DAYS))
            .order_by("-occurred_at")
        )
        self.fields["visits"].label_from_instance = lambda visit: (
            f"{visit.reference} · {timezone.localtime(visit.occurred_at):%Y-%m-%d %H:%M} · {visit.team.name}"
        )
        self.teams = list(Team.objects.filter(active=True).order_by(*TEAM_ORDER))
        ratings = [("", gettext("Not visited"))] + list(SupervisorTeamEvaluation.Rating.choices)
        for team in self.teams:
            self.fields[f"rating_{team.pk}"] = forms.ChoiceField(
                label=gettext("%(team)s: rating") % {"team": team.name}, choices=ratings, required=False
            )
            self.fields[f"evaluation_{team.pk}"] = forms.CharField(
                label=gettext("%(team)s: evaluation") % {"team": team.name},
                required=False,
                max_length=TEXT_MAX,
                widget=forms.Textarea({"rows": 2}),
            )

    @property
    def team_fields(self):
        return [(team, self[f"rating_{team.pk}"], self[f"evaluation_{team.pk}"]) for team in self.teams]

    @property
    def visits_queryset(self):
        return self.fields["visits"].queryset

    def submit_kwargs(self) -> dict:
        data = self.cleaned_data
        evaluations = [
            (team, data.get(f"rating_{team.pk}"), data.get(f"evaluation_{team.pk}", ""))
            for team in self.teams
            if data.get(f"rating_{team.pk}") or data.get(f"evaluation_{team.pk}")
        ]
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "summary": data["summary"],
            "suggestions": data.get("suggestions", ""),
            "penalty_suggestions": data.get("penalty_suggestions", ""),
            "visits": list(data.get("visits") or []),
            "evaluations": evaluations,
        }


class ReportDecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=SupervisorReport.Decision.choices, widget=forms.RadioSelect
    )
    actions = _text(_("Actions taken"), max_length=REPORT_TEXT_MAX)


class ReportPenaltyForm(forms.Form):
    """INS-7: the office proposes a penalty a report suggested (PEN-1, through the penalty services)."""

    staff = ChooserField("staff", label=_("Staff member"))
    provisions = forms.ModelMultipleChoiceField(
        label=_("Provisions breached"), queryset=ServiceProvision.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    incident_date = date_field(_("Date of the incident"))
    description = _text(_("What happened"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = Staff.objects.filter(active=True)
        self.fields["provisions"].queryset = ServiceProvision.objects.active().select_related("category")


class CircularDraftForm(forms.Form):
    """INS-3: the circular of a month (or of a period given by its first and last day)."""

    month = MonthField(label=_("Month"), required=False, widget=MonthInput(placeholder="2026-11"))
    period_start = date_field(_("From"), required=False, help_text=_("Instead of a month: any period."))
    period_end = date_field(_("To"), required=False)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    remarks = _text(_("Remarks"), required=False, max_length=REPORT_TEXT_MAX)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last_month = month_start(timezone.localdate()) - datetime.timedelta(days=1)
        self.fields["month"].initial = month_start(last_month)

    def clean(self):
        data = super().clean()
        if data.get("month"):
            data["period_start"], data["period_end"] = data["month"], month_end(data["month"])
        elif not (data.get("period_start") and data.get("period_end")):
            raise forms.ValidationError(_("Choose a month, or give the first and the last day."))
        if not data.get("title"):
            start = data["period_start"]
            if data.get("month"):
                data["title"] = gettext("Station affairs meeting circular, %(year)s-%(month)02d") % {
                    "year": start.year,
                    "month": start.month,
                }
            else:
                data["title"] = gettext("Station affairs meeting circular, %(start)s to %(end)s") % {
                    "start": start.isoformat(),
                    "end": data["period_end"].isoformat(),
                }
        return data

    def draft_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "title": data["title"],
            "remarks": data.get("remarks", ""),
        }


class CircularUpdateForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    remarks = _text(_("Remarks"), required=False, max_length=REPORT_TEXT_MAX)
