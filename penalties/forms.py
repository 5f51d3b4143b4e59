"""Forms of the penalties pages. They check the shape of the input (a date, an amount with at most
two decimals); the rules of the plan live in ``penalties.services`` and ``penalties.rules``.

Amounts are typed in yuan and handed to the services in fen (``YuanField`` and ``fen`` of
``tollservice.core.forms``).
Field names match the ``field`` of the services' ``DomainError`` so a refusal lands on the field.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from inspections.models import Prohibition, ServiceProvision
from penalties import rules, selectors
from penalties.models import Penalty, TalkRecord
from penalties.selectors import PROPOSE_HANDLING
from tollservice.core.choosers import ChooserField
from tollservice.core.dates import month_end
from tollservice.core.errors import DomainError
from tollservice.core.forms import (
    DateInput,
    MonthField,
    MonthInput,
    YuanField,
    date_field,
    datetime_field,
    fen,
    period_day_field,
    text_field,
)
from tollservice.core.money import fen_to_yuan, format_yuan
from tollservice.core.validators import LONG_TEXT_MAX_LENGTH, SHORT_TEXT_MAX_LENGTH
from tollservice.roster import selectors as roster_selectors

Rule = Penalty.Rule


def _active_staff():
    # What the "staff" chooser searches (tollservice/roster/choosers.py): a search box, never a list.
    return roster_selectors.active_staff()


class ProvisionChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return f"{obj.code} {obj.text}"


# --- Penalties --------------------------------------------------------------------------------


PROPOSE_RULE_CHOICES = [
    (Rule.SERVICE_CODE, _("Service-code violation: a fine per provision breached")),
    (Rule.COMPLAINT, _("Verified complaint: fine within the range, suspension or dismissal")),
    (PROPOSE_HANDLING, _("Complaint mishandled: the handler and the head of the handling department")),
]


class PenaltyProposalForm(forms.Form):
    """Propose a penalty (PEN-5). Which fields count depends on the rule chosen:
    provisions for PEN-1; fine and suspension/dismissal for PEN-3; two fines for PEN-4."""

    rule = forms.ChoiceField(label=_("Rule"), choices=PROPOSE_RULE_CHOICES, widget=forms.RadioSelect)
    staff = ChooserField(
        "staff",
        label=_("Person penalized"),
        help_text=_("For a mishandled complaint: the staff member who handled it."),
    )
    source = forms.ChoiceField(label=_("Source"), choices=Penalty.Source.choices)
    source_reference = forms.CharField(
        label=_("Source reference"),
        max_length=200,
        required=False,
        help_text=_("E.g. the inspection or complaint number."),
    )
    # Not ``date_field``: PEN-1 refuses a day before the penalty records begin or in the future
    # with a message that says which (``rules.check_incident_date``), year 1 and 9999 included.
    incident_date = forms.DateField(label=_("Date of the incident"), widget=DateInput())
    description = text_field(_("What happened"), rows=4)
    provisions = ProvisionChoiceField(
        label=_("Provisions of the service code breached"),
        queryset=ServiceProvision.objects.none(),
        required=False,
        help_text=_("Service-code violation only: the fine is computed from the number of provisions."),
    )
    fine = YuanField(label=_("Fine (yuan)"), required=False, help_text=_("Verified complaint only."))
    suspension = forms.BooleanField(label=_("Suspension (待岗)"), required=False)
    dismissal = forms.BooleanField(label=_("Dismissal (解除劳动合同)"), required=False)
    handler_fine = YuanField(label=_("Fine of the handler (yuan)"), required=False)
    head_fine = YuanField(label=_("Fine of the department head (yuan)"), required=False)
    department = forms.ModelChoiceField(
        label=_("Handling department"),
        queryset=roster_selectors.active_departments(),
        required=False,
        help_text=_("Mishandled complaint only; by default the handler's department."),
    )
    separate_incident = forms.BooleanField(
        label=_("This is a separate incident"),
        required=False,
        help_text=_(
            "Tick only if the person already has a penalty for the same day and provisions and this is "
            "another incident."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _active_staff()
        self.fields["provisions"].queryset = ServiceProvision.objects.active().select_related("category")
        self.fields["department"].queryset = roster_selectors.active_departments().order_by("name")
        self.fields["incident_date"].initial = timezone.localdate

    def clean_incident_date(self):
        # The service's own check: saying so here keeps the preview from showing a fine that
        # "Propose" then refuses (and from computing the year after 9999 or before year 1).
        try:
            return rules.check_incident_date(
                self.cleaned_data["incident_date"],
                today=timezone.localdate(),
                records_begin=selectors.penalty_records_begin(),
            )
        except DomainError as error:
            raise forms.ValidationError(error.message, code=error.code, params=error.params or None) from None

    @property
    def is_handling(self) -> bool:
        return self.cleaned_data.get("rule") == PROPOSE_HANDLING

    def preview_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "rule": data["rule"],
            "staff": data["staff"],
            "incident_date": data["incident_date"],
            "provision_ids": [provision.pk for provision in data.get("provisions") or []],
            "fine_fen": fen(data.get("fine")),
            "suspension": data.get("suspension", False),
            "dismissal": data.get("dismissal", False),
            "handler_fine_fen": fen(data.get("handler_fine")),
            "head_fine_fen": fen(data.get("head_fine")),
            "department": data.get("department"),
        }

    def propose_kwargs(self) -> dict:
        """Keyword arguments of ``penalty_propose`` (PEN-1, PEN-3)."""
        data = self.cleaned_data
        common = {
            "staff": data["staff"],
            "rule": data["rule"],
            "source": data["source"],
            "source_reference": data.get("source_reference", ""),
            "incident_date": data["incident_date"],
            "description": data["description"],
            "separate_incident": data.get("separate_incident", False),
        }
        if data["rule"] == Rule.SERVICE_CODE:
            return common | {"provisions": list(data.get("provisions") or [])}
        return common | {
            "fine_fen": fen(data.get("fine")),
            "suspension": data.get("suspension", False),
            "dismissal": data.get("dismissal", False),
        }

    def handling_kwargs(self) -> dict:
        """Keyword arguments of ``penalty_propose_handling_violation`` (PEN-4)."""
        data = self.cleaned_data
        return {
            "handler": data["staff"],
            "department": data.get("department"),
            "source": data["source"],
            "source_reference": data.get("source_reference", ""),
            "incident_date": data["incident_date"],
            "description": data["description"],
            "handler_fine_fen": fen(data.get("handler_fine")),
            "head_fine_fen": fen(data.get("head_fine")),
            "separate_incident": data.get("separate_incident", False),
        }


class ReasonsForm(forms.Form):
    reasons = text_field(_("Reasons"), rows=4)


class PenaltyDecideForm(forms.Form):
    """The office's decision (PEN-5). A service-code fine is computed, never typed (PEN-1)."""

    reasons = text_field(_("Reasons"), required=False)
    fine = YuanField(label=_("Fine (yuan)"))
    suspension = forms.BooleanField(label=_("Suspension (待岗)"), required=False)
    dismissal = forms.BooleanField(label=_("Dismissal (解除劳动合同)"), required=False)
    responsible_head = ChooserField("staff", label=_("Responsible head held accountable"))

    def __init__(self, *args, penalty: Penalty, suggested_head=None, fine_range=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.penalty = penalty
        if penalty.rule == Rule.SERVICE_CODE:
            del self.fields["fine"]
        else:
            self.fields["fine"].initial = fen_to_yuan(penalty.fine_fen)
            if fine_range:
                self.fields["fine"].help_text = _("Between %(low)s and %(high)s yuan.") % {
                    "low": format_yuan(fine_range[0]),
                    "high": format_yuan(fine_range[1]),
                }
        if penalty.rule == Rule.COMPLAINT:
            self.fields["suspension"].initial = penalty.suspension
            self.fields["dismissal"].initial = penalty.dismissal
            head = self.fields["responsible_head"]
            head.queryset = _active_staff().exclude(pk=penalty.staff_id)
            head.required = suggested_head is None
            head.initial = suggested_head
        else:
            for name in ("suspension", "dismissal", "responsible_head"):
                del self.fields[name]

    def decide_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {"reasons": data.get("reasons", "")}
        if "fine" in self.fields:
            kwargs["fine_fen"] = fen(data["fine"])
        if "suspension" in self.fields:
            kwargs |= {
                "suspension": data["suspension"],
                "dismissal": data["dismissal"],
                "responsible_head": data.get("responsible_head"),
            }
        return kwargs


class ProhibitionChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj) -> str:
        return f"{obj.number}. {obj.text}"


class PenaltyApproveForm(forms.Form):
    """The leadership group's decision on a penalty waiting for it (PEN-2, PEN-3)."""

    reasons = text_field(_("Reasons"), required=False)
    prohibitions = ProhibitionChoiceField(
        label=_("Prohibitions this repeat violation is handled under"),
        queryset=Prohibition.objects.none(),
        required=False,
    )
    fine = YuanField(label=_("Fine (yuan)"))
    suspension = forms.BooleanField(label=_("Suspension (待岗)"), required=False)
    dismissal = forms.BooleanField(label=_("Dismissal (解除劳动合同)"), required=False)
    disciplinary_action = forms.BooleanField(label=_("Disciplinary action (纪律处分)"), required=False)

    def __init__(self, *args, penalty: Penalty, fine_range=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.penalty = penalty
        if penalty.escalated:
            self.fields["reasons"].required = True
            self.fields["prohibitions"].required = True
            self.fields["prohibitions"].queryset = Prohibition.objects.filter(active=True).order_by("number")
        else:
            del self.fields["prohibitions"]
        self.fields["fine"].initial = fen_to_yuan(penalty.fine_fen)
        if fine_range:
            self.fields["fine"].help_text = _("Between %(low)s and %(high)s yuan.") % {
                "low": format_yuan(fine_range[0]),
                "high": format_yuan(fine_range[1]),
            }
        for name in ("suspension", "dismissal", "disciplinary_action"):
            self.fields[name].initial = getattr(penalty, name)

    def approve_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "reasons": data.get("reasons", ""),
            "prohibitions": list(data.get("prohibitions") or []),
            "fine_fen": fen(data["fine"]),
            "suspension": data["suspension"],
            "dismissal": data["dismissal"],
            "disciplinary_action": data["disciplinary_action"],
        }


# --- The ledger -------------------------------------------------------------------------------


class CollectForm(forms.Form):
    """PEN-5: money received by the finance office, with its receipt."""

    receipt_number = forms.CharField(label=_("Receipt number"), max_length=40)
    collected_on = date_field(_("Collected on"))
    amount = YuanField(label=_("Amount collected (yuan)"))

    def __init__(self, *args, outstanding_fen: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_on"].initial = timezone.localdate
        if outstanding_fen > 0:
            self.fields["amount"].initial = fen_to_yuan(outstanding_fen)
            self.fields["amount"].help_text = _("Outstanding: %(amount)s yuan. A part payment is allowed.") % {
                "amount": format_yuan(outstanding_fen)
            }

    def collect_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "receipt_number": data["receipt_number"],
            "collected_on": data["collected_on"],
            "amount_fen": fen(data["amount"]),
        }


class WaiverRequestForm(forms.Form):
    amount = YuanField(label=_("Amount to waive (yuan)"))
    reason = text_field(_("Reason"), rows=4)

    def __init__(self, *args, outstanding_fen: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        if outstanding_fen > 0:
            self.fields["amount"].initial = fen_to_yuan(outstanding_fen)
            self.fields["amount"].help_text = _(
                "Outstanding: %(amount)s yuan. Two approvers are needed, one of them from the leadership group."
            ) % {"amount": format_yuan(outstanding_fen)}

    def request_kwargs(self) -> dict:
        return {"amount_fen": fen(self.cleaned_data["amount"]), "reason": self.cleaned_data["reason"]}


class WaiverApproveForm(forms.Form):
    note = text_field(_("Note"), required=False, rows=2)


class ReasonForm(forms.Form):
    """One ``reason`` (waiver rejection, ledger correction, loss of eligibility withdrawn)."""

    reason = text_field(_("Reason"), rows=3)


class PeriodForm(forms.Form):
    """A reconciliation period: a month (default: this month) or a custom range."""

    month = MonthField(label=_("Month"), required=False, widget=MonthInput(placeholder="2026-11"))
    start = period_day_field(_("From"))
    end = period_day_field(_("To"))

    def clean(self):
        data = super().clean()
        if bool(data.get("start")) != bool(data.get("end")):
            raise forms.ValidationError(_("Give both ends of the range, or choose a month."))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period ends before it starts."))
        return data

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The chosen period; this month when nothing (valid) was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        first = data.get("month") or timezone.localdate().replace(day=1)
        return first, month_end(first)


class PeriodCloseForm(forms.Form):
    """PEN-5: which month the finance office closes the books for."""

    month = MonthField(label=_("Month"), widget=MonthInput(placeholder="2026-10"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=SHORT_TEXT_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )


class BalanceForm(forms.Form):
    BY_CHOICES = [("staff", _("Person")), ("team", _("Team")), ("department", _("Department"))]

    by = forms.ChoiceField(label=_("Per"), choices=BY_CHOICES, required=False)
    start = period_day_field(_("Booked from"))
    end = period_day_field(_("Booked until"))

    def values(self) -> tuple[str, datetime.date | None, datetime.date | None]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("by") or "staff", data.get("start"), data.get("end")


# --- Records ----------------------------------------------------------------------------------


class PersonOrTeamForm(forms.Form):
    staff = ChooserField("staff", label=_("Person"), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=roster_selectors.active_teams(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = _active_staff()
        self.fields["team"].queryset = roster_selectors.active_teams().select_related(None)


class TalkForm(PersonOrTeamForm):
    """INS-4: an appointment or admonishment talk with a person or a team."""

    kind = forms.ChoiceField(label=_("Kind"), choices=TalkRecord.Kind.choices, widget=forms.RadioSelect)
    held_at = datetime_field(_("Held at"))
    conducted_by = ChooserField("staff", label=_("Conducted by"))
    reason = text_field(_("Why the talk was held"))
    summary = text_field(_("What was said"), rows=5)
    follow_up = text_field(_("Follow-up required"), required=False)
    follow_up_due = date_field(_("Follow-up due"), required=False)

    field_order = [
        "kind",
        "staff",
        "team",
        "held_at",
        "conducted_by",
        "reason",
        "summary",
        "follow_up",
        "follow_up_due",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conducted_by"].queryset = _active_staff()
        self.fields["staff"].help_text = _("Choose a person or a team.")


class FollowUpForm(forms.Form):
    note = text_field(_("How it was followed up"))


class EligibilityRevokeForm(PersonOrTeamForm):
    """INS-5: a person or team that undermined the activity loses award eligibility for a year."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    reason = text_field(_("Reason"), rows=4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class EligibilityLookupForm(PersonOrTeamForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("staff") and not data.get("team"):
            raise forms.ValidationError(_("Choose a person or a team."), code="neither")
        if data.get("staff") and data.get("team"):
            raise forms.ValidationError(_("Choose either a person or a team, not both."), code="both")
        return data


class CircularForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = text_field(_("Text"), rows=12, max_length=LONG_TEXT_MAX_LENGTH)


class PolicyForm(forms.Form):
    """A new version of the penalty policy; it applies to penalties decided from then on."""

    base_fine = YuanField(label=_("Fine per provision breached (yuan)"), help_text=_("The plan says 200."))
    complaint_fine_min = YuanField(
        label=_("Lowest complaint fine (yuan)"), help_text=_("Applies to verified and mishandled complaints.")
    )
    complaint_fine_max = YuanField(
        label=_("Highest complaint fine (yuan)"), help_text=_("Applies to verified and mishandled complaints.")
    )
    repeat_fine_max = YuanField(
        label=_("Highest fine for a repeat violation (yuan)"),
        help_text=_("The ceiling for the fine the leadership group sets on a repeat violation."),
    )
    year_start_month = forms.TypedChoiceField(
        label=_("The year starts in month"),
        coerce=int,
        choices=[(month, str(month)) for month in range(1, 13)],
        help_text=_("Used for repeat violations and award eligibility; 1 is the calendar year."),
    )
    effective_from = datetime_field(
        _("In force from"),
        required=False,
        help_text=_("Leave blank for now. A change never applies to penalties already decided."),
    )
    note = text_field(_("Reason for the change"))

    def __init__(self, *args, policy=None, **kwargs):
        super().__init__(*args, **kwargs)
        if policy is not None:
            self.initial.update(
                {
                    "base_fine": fen_to_yuan(policy.base_fine_fen),
                    "complaint_fine_min": fen_to_yuan(policy.complaint_fine_min_fen),
                    "complaint_fine_max": fen_to_yuan(policy.complaint_fine_max_fen),
                    "repeat_fine_max": fen_to_yuan(policy.repeat_fine_max_fen),
                    "year_start_month": policy.year_start_month,
                }
            )

    def change_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "base_fine_fen": fen(data["base_fine"]),
            "complaint_fine_min_fen": fen(data["complaint_fine_min"]),
            "complaint_fine_max_fen": fen(data["complaint_fine_max"]),
            "repeat_fine_max_fen": fen(data["repeat_fine_max"]),
            "year_start_month": data["year_start_month"],
            "effective_from": data.get("effective_from"),
            "note": data["note"],
        }
