"""The complaints' reports: the staff list (page, Excel, CSV from the same rows) and the
registration ledger (投诉受理登记, CMP-7) in the ledger's column order.

Phones are masked in both: the full number is shown only one at a time, by the logged
``complaint_contact_reveal``; a person the complaint is about sees no driver's data at all.
"""

from __future__ import annotations

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints import rules
from complaints.models import Complaint, ReturnVisit, Verdict
from tollservice.core.exports import DATE, Column, Report, Row, choice_labels, user_name, yes_no


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value else ""


class ComplaintReport(Report):
    """The staff list: its page and its downloads read one ``values_list`` (no model instance per
    row), choices named through label maps built once."""

    title = _("Complaints")
    filename = "complaints"
    columns = (
        Column(pgettext_lazy("registration number of a complaint", "Number"), width=11),
        Column(_("Received"), DATE, width=11),
        Column(_("Channel"), width=12),
        Column(_("Category"), width=10),
        Column(_("Lane"), width=8),
        Column(_("Team"), width=8),
        Column(_("Status"), width=10),
        Column(_("Responsible"), width=10),
        Column(_("Next limit"), width=16),
        Column(_("Phone"), html=False, width=13),
        Column(_("Verdict"), html=False, width=10),
        Column(_("Return visit"), html=False, width=10),
    )
    # The responsible person is named as ``person_name`` names an account: roster name first.
    FIELDS = (
        "pk",
        "number",
        "received_at",
        "channel",
        "category",
        "lane__number",
        "team__name",
        "status",
        "is_voided",
        "primary__number",
        "owner__staff_profile__name",
        "owner__supervisor_profile__name",
        "owner__first_name",
        "owner__last_name",
        "owner__username",
        "next_due",
        "about_reader",
        "phone",
        "verdict_outcome",
        "return_visit_result",
    )

    def __init__(self):
        self.channels = choice_labels(Complaint.Channel.choices)
        self.categories = choice_labels(Complaint.Category.choices)
        self.statuses, self.voided = choice_labels(Complaint.Status.choices), str(_("Voided"))
        self.verdicts, self.visits = choice_labels(Verdict.Outcome.choices), choice_labels(ReturnVisit.Result.choices)
        self.duplicate = str(_("%(status)s (duplicate of %(number)s)"))

    def source(self, queryset):
        # Whether it was voided, not when: a flag costs no date to parse per row.
        voided = ExpressionWrapper(Q(voided_at__isnull=False), output_field=BooleanField())
        return queryset.annotate(is_voided=voided).values_list(*self.FIELDS)

    def row(self, values) -> Row:
        (pk, number, received_at, channel, category, lane, team, status, is_voided, primary, staff_name,
         supervisor_name, first_name, last_name, username, next_due, about_reader, phone, verdict,
         visit) = values  # fmt: skip
        status = self.statuses[status]
        if is_voided:
            status = self.voided
        elif primary:
            status = self.duplicate % {"status": status, "number": primary}
        owner = ""
        if username is not None:  # no one has taken it up yet: every name of the owner is NULL
            owner = staff_name or supervisor_name or f"{first_name} {last_name}".strip() or username
        values = [
            number,
            self.local_date(received_at),
            self.channels[channel],
            self.categories[category],
            lane or "",
            team or "",
            status,
            owner,
            self.local_moment(next_due),
            "" if about_reader else rules.mask_phone(phone),
            self.verdicts.get(verdict, ""),
            self.visits.get(visit, ""),
        ]
        return self.make_row(values, lambda: {0: reverse("complaints:detail", args=[pk])})  # the page only


class LedgerReport(Report):
    """CMP-7: the registration ledger, one year, in number order, voided entries included."""

    title = _("Complaint registration ledger")
    filename = "complaint-ledger"
    columns = (
        Column(pgettext_lazy("registration number of a complaint", "Number"), width=11),
        Column(_("Received at"), width=16),
        Column(_("Accepted at"), width=16),
        Column(_("Channel"), width=14),
        Column(_("Source details"), width=18),
        Column(pgettext_lazy("of a person", "Complainant"), width=10),
        Column(_("Phone"), width=13),
        Column(_("Plate number"), width=10),
        Column(_("Category"), width=10),
        Column(_("What happened"), width=40),
        Column(_("Remedy asked for"), width=20),
        Column(_("Time of the incident"), width=16),
        Column(_("Lane"), width=8),
        Column(_("Team"), width=8),
        Column(_("Urgency"), width=8),
        Column(_("Registered by"), width=10),
        Column(_("First responder"), width=10),
        Column(_("Responsible"), width=10),
        Column(_("Status"), width=10),
        Column(_("Verdict"), width=10),
        Column(_("Answered at"), width=16),
        Column(_("Answered in time"), width=8),
        Column(_("Return visit"), width=10),
        Column(_("Closed at"), width=16),
        Column(_("Duplicate of"), width=11),
        Column(_("Voided"), width=24),
    )

    def row(self, complaint) -> Row:
        source = ""
        if complaint.work_order_number:
            source = f"{complaint.get_work_order_centre_display()} {complaint.work_order_number}"
        elif complaint.media_outlet:
            source = f"{complaint.media_outlet} {complaint.media_date or ''}".strip()
        elif complaint.duty_leader_id:
            source = complaint.duty_leader.name
        voided = ""
        if complaint.voided_at:
            voided = f"{_moment(complaint.voided_at)} {complaint.void_reason}"
        values = [
            complaint.number,
            _moment(complaint.received_at),
            _moment(complaint.accepted_at),
            complaint.get_channel_display(),
            source,
            complaint.complainant_name,
            rules.mask_phone(complaint.phone),
            complaint.plate,
            complaint.get_category_display(),
            complaint.description,
            complaint.remedy,
            _moment(complaint.incident_at),
            complaint.lane.number if complaint.lane_id else "",
            complaint.team.name if complaint.team_id else "",
            complaint.get_urgency_display(),
            user_name(complaint.registered_by),
            user_name(complaint.first_responder),
            user_name(complaint.owner),
            complaint.get_status_display(),
            _label(Verdict.Outcome, complaint.verdict_outcome),
            _moment(complaint.answered_at),
            yes_no(complaint.answered_on_time) if complaint.answered_on_time is not None else "",
            _label(ReturnVisit.Result, complaint.return_visit_result),
            _moment(complaint.closed_at),
            complaint.primary.number if complaint.primary_id else "",
            voided,
        ]
        return self.make_row(values, {0: complaint.get_absolute_url()})
