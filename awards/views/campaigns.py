"""The campaigns: the history of years, this year's page with its phases (CAM-1), the study
records and reminders (CAM-2)."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from awards import exports, forms, permissions, selectors, services
from awards.models import Award, Nomination
from awards.views.base import AwardsFormView, CampaignFormView, campaign_or_404, history
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.core.exports import export_response
from tollservice.core.list_views import export_queries, page_of, requested_export
from tollservice.core.pagination import capped_count
from tollservice.core.text import join_list


@permission_required("awards.view")
def campaign_list(request):
    """The history: every year's campaign and its awards."""
    campaigns = list(selectors.campaign_list(user=request.user))
    this_year = timezone.localdate().year
    return render(
        request,
        "awards/campaign_list.html",
        {
            "tab": "history",
            "campaigns": campaigns,
            "may_open": has_permission(request.user, "awards.manage")
            and not any(c.year == this_year for c in campaigns),
            "this_year": this_year,
        },
    )


class CampaignOpenView(AwardsFormView):
    permission = "awards.manage"
    form_class = forms.CampaignOpenForm
    title = _("Open a year's campaign")
    submit_label = _("Open the campaign")
    intro = _(
        "A campaign runs in phases: study and mobilization, organization and implementation, then the long-term "
        "mechanism. Its gold-medal service teams and service stars are selected at the end of the year."
    )

    def get_cancel_url(self) -> str:
        return reverse("awards:campaign_list")

    def perform(self, form):
        return services.campaign_open(opened_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("The %(year)s campaign is open.") % {"year": result.year}

    def success_url_for(self, result) -> str:
        return reverse("awards:campaign_detail", args=[result.year])


@permission_required("awards.view")
def campaign_detail(request, year: int):
    """A year's campaign: its phases and the one in progress (CAM-1), the study's progress
    (CAM-2), both selections with their places and nominations, the awards and the commendation."""
    campaign = campaign_or_404(request.user, year)
    user = request.user
    studied, staff_total = selectors.study_progress(campaign=campaign)
    commendation = selectors.commendation_of(user=user, campaign=campaign)
    return render(
        request,
        "awards/campaign_detail.html",
        {
            "tab": "campaign",
            "campaign": campaign,
            "phases": campaign.phases.all(),
            "now": selectors.phase_now(campaign),
            "studied": studied,
            "staff_total": staff_total,
            "selections": selectors.selections_of(campaign=campaign),
            "nominations": selectors.nomination_list(user=user, campaign=campaign),
            "awards": Award.objects.filter(year=campaign.year).order_by("kind", "certificate_number"),
            "commendation": commendation,
            "may_change": permissions.can_change_campaign(user, campaign),
            "may_remind": permissions.can_remind_study(user, campaign),
            "may_study": has_permission(user, "awards.study"),
            "may_draft": permissions.can_edit_commendation(user, commendation),
            "pending": Nomination.Status.NOMINATED,
            "history": history(user, campaign),
        },
    )


class CampaignChangeView(CampaignFormView):
    permission = "awards.manage"
    form_class = forms.CampaignChangeForm
    submit_label = _("Save the phases")
    intro = _("Each phase starts after the previous one ends; the long-term mechanism stands once it has begun.")

    def get_title(self) -> str:
        return gettext("Phases of the %(year)s campaign") % {"year": self.campaign.year}

    def get_initial(self):
        return forms.CampaignChangeForm.initial_for(self.campaign)

    def get_cancel_url(self) -> str:
        return reverse("awards:campaign_detail", args=[self.campaign.year])

    def perform(self, form):
        return services.campaign_change(
            campaign=self.campaign,
            changed_by=self.request.user,
            phases=form.phases(),
            method_document=form.cleaned_data["method_document"],
        )

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


# --- CAM-2: the study ---------------------------------------------------------------------------------


PENDING_CAP = 999


@permission_required("awards.study")
def study_list(request, year: int):
    """CAM-2: who has studied the assessment method and the plan (the office: everyone; a team
    leader: their team), with the reminders sent; ``?pending=1`` lists those who have not."""
    campaign = campaign_or_404(request.user, year)
    pending_only = request.GET.get("pending") == "1"
    report = exports.StudyReport()
    if kind := requested_export(request):
        rows = selectors.study_rows(user=request.user, campaign=campaign, pending_only=pending_only)
        return export_response(kind, report, report.rows(rows))
    page = page_of(request, selectors.study_people(user=request.user, campaign=campaign, pending_only=pending_only))
    return render(
        request,
        "awards/study_list.html",
        {
            "tab": "study",
            "campaign": campaign,
            "page_obj": page,
            "rows": selectors.study_rows_of(page.object_list, campaign=campaign),
            "pending_only": pending_only,
            # A badge: counted up to 999 ("999+" beyond), each person tested for both documents.
            "pending_count": capped_count(
                selectors.study_people(user=request.user, campaign=campaign, pending_only=True), cap=PENDING_CAP
            ),
            "export_queries": export_queries(request),
            "may_remind": permissions.can_remind_study(request.user, campaign),
        },
    )


class StudyRecordView(CampaignFormView):
    permission = "awards.study"
    tab = "study"
    form_class = forms.StudyRecordForm
    submit_label = _("Confirm the study")
    intro = _(
        "Confirm that these employees studied the assessment method and the station's implementation plan. "
        "A study already confirmed keeps its first record."
    )

    def get_title(self) -> str:
        return gettext("Record a study (%(year)s campaign)") % {"year": self.campaign.year}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["staff_queryset"] = selectors.study_people(
            user=self.request.user, campaign=self.campaign, pending_only=True
        )
        return kwargs

    def get_cancel_url(self) -> str:
        return reverse("awards:study_list", args=[self.campaign.year])

    def perform(self, form):
        return services.study_record(campaign=self.campaign, confirmed_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        people = len({record.staff_id for record in result})
        return ngettext("Study confirmed for %(count)s person.", "Study confirmed for %(count)s people.", people) % {
            "count": people
        }

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class StudyRemindView(CampaignFormView):
    permission = "awards.manage"
    tab = "study"
    form_class = forms.ConfirmForm
    submit_label = _("Send the reminders")

    def get_title(self) -> str:
        return gettext("Remind those who have not studied (%(year)s campaign)") % {"year": self.campaign.year}

    def get_intro(self) -> str:
        pending = selectors.study_people(user=self.request.user, campaign=self.campaign, pending_only=True).count()
        return ngettext(
            "%(count)s employee has not studied both documents yet. Each is reminded in the portal, or by email "
            "at the roster's address if they have no account.",
            "%(count)s employees have not studied both documents yet. Each is reminded in the portal, or by email "
            "at the roster's address if they have no account.",
            pending,
        ) % {"count": pending}

    def get_cancel_url(self) -> str:
        return reverse("awards:study_list", args=[self.campaign.year])

    def perform(self, form):
        return services.study_remind(campaign=self.campaign, sent_by=self.request.user)

    def success_message(self, result) -> str:
        message = gettext("Reminders sent: %(inbox)s in the portal, %(email)s by email only.") % {
            "inbox": result.inbox,
            "email": result.email,
        }
        if result.unreached:
            message += " " + gettext("Not reached (no account, no email): %(names)s.") % {
                "names": join_list(result.unreached)
            }
        return message

    def success_url_for(self, result) -> str:
        return self.get_cancel_url() + "?pending=1"
