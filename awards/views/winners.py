"""What winners get (AWD-1): the awards of every year with the figures they were decided on, the
numbered certificates to print, the honour-plaque register and the circulated commendation."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from awards import exports, forms, permissions, selectors, services
from awards.models import Award, AwardKind, Commendation, Nomination
from awards.selectors import criterion_columns, figures_of
from awards.views.base import AwardsFormView, CampaignFormView, award_or_404, campaign_or_404, history
from tollservice.access.views import permission_required
from tollservice.core.errors import DomainError
from tollservice.core.exports import export_response
from tollservice.core.list_views import export_queries, page_of, requested_export
from tollservice.roster.selectors import station_current


@permission_required("awards.view")
def award_list(request):
    """AWD-1: every year's winners (the history), filtered by year and award; downloads too."""
    year = request.GET.get("year", "")
    kind = request.GET.get("kind", "")
    awards = selectors.award_list(
        user=request.user, year=int(year) if year.isdigit() else None, kind=kind if kind in AwardKind.values else None
    )
    report = exports.AwardReport()
    if export := requested_export(request):
        return export_response(export, report, report.rows(awards.iterator()))
    page = page_of(request, awards)
    return render(
        request,
        "awards/award_list.html",
        {
            "tab": "history",
            "report": report,
            "page_obj": page,
            "rows": list(report.rows(page.object_list)),
            "export_queries": export_queries(request),
            "years": selectors.campaign_list(user=request.user).values_list("year", flat=True),
            "kinds": AwardKind.choices,
            "year": year,
            "kind": kind,
        },
    )


@permission_required("awards.view")
def award_detail(request, pk: int):
    """One award as decided: the figures frozen at approval, with the weights and the formula they
    were computed with (later data never changes them)."""
    award = award_or_404(request.user, pk)
    frozen = award.figures
    columns = criterion_columns(award.kind, frozen.get("weights", {}))
    return render(
        request,
        "awards/award_detail.html",
        {
            "tab": "history",
            "award": award,
            "figures": figures_of(columns, frozen.get("measures", {}), for_team=award.kind == AwardKind.GOLD_TEAM),
            "columns": columns,
            "may_record_plaque": permissions.can_record_plaque(request.user, award),
            "history": history(request.user, award),
        },
    )


@permission_required("awards.view")
def certificate(request, pk: int):
    """AWD-1: the numbered certificate (荣誉证书), an A4 page in the station's style to print."""
    award = award_or_404(request.user, pk)
    return render(
        request,
        "awards/certificate.html",
        {
            "award": award,
            "station": station_current(),
            "for_team": award.kind == AwardKind.GOLD_TEAM,
        },
    )


@permission_required("awards.view")
def plaque_register(request):
    """AWD-1: the honour-plaque register (荣誉匾牌): every plaque, when it was presented and where it is."""
    awards = selectors.award_list(user=request.user).order_by("-year", "plaque_number")
    report = exports.PlaqueReport()
    if export := requested_export(request):
        return export_response(export, report, report.rows(awards.iterator()))
    page = page_of(request, awards)
    return render(
        request,
        "awards/plaque_register.html",
        {
            "tab": "plaques",
            "report": report,
            "page_obj": page,
            "rows": list(report.rows(page.object_list)),
            "export_queries": export_queries(request),
        },
    )


class PlaqueRecordView(AwardsFormView):
    permission = "awards.manage"
    tab = "plaques"
    form_class = forms.PlaqueForm
    submit_label = _("Record")

    @cached_property
    def award(self) -> Award:
        return award_or_404(self.request.user, self.kwargs["pk"])

    def get_title(self) -> str:
        return gettext("Honour plaque %(number)s: %(name)s") % {
            "number": self.award.plaque_number,
            "name": self.award.winner_name,
        }

    def get_initial(self):
        return {"presented_on": self.award.plaque_presented_on, "location": self.award.plaque_location}

    def get_cancel_url(self) -> str:
        return reverse("awards:award_detail", args=[self.award.pk])

    def perform(self, form):
        return services.plaque_record(award=self.award, recorded_by=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


# --- The circulated commendation (通报表彰) -------------------------------------------------------------


def _commendation_state(user, campaign):
    commendation = selectors.commendation_of(user=user, campaign=campaign)
    awards = Award.objects.filter(year=campaign.year).count()
    pending = Nomination.objects.filter(selection__campaign=campaign, status=Nomination.Status.NOMINATED).count()
    return commendation, awards, pending


@permission_required("awards.view")
def commendation_detail(request, year: int):
    campaign = campaign_or_404(request.user, year)
    commendation, awards, pending = _commendation_state(request.user, campaign)
    user = request.user
    return render(
        request,
        "awards/commendation_detail.html",
        {
            "tab": "campaign",
            "campaign": campaign,
            "commendation": commendation,
            "may_edit": permissions.can_edit_commendation(user, commendation),
            "may_publish": permissions.can_publish_commendation(user, commendation, awards=awards, pending=pending),
            "history": history(user, commendation) if commendation else None,
        },
    )


@permission_required("awards.view")
def commendation_print(request, year: int):
    campaign = campaign_or_404(request.user, year)
    commendation = selectors.commendation_of(user=request.user, campaign=campaign)
    if commendation is None:
        return redirect("awards:commendation", year=year)
    return render(
        request,
        "awards/commendation_print.html",
        {"campaign": campaign, "commendation": commendation, "station": station_current()},
    )


class CommendationDraftView(CampaignFormView):
    permission = "awards.manage"
    form_class = forms.ConfirmForm
    submit_label = _("Draft it from the awards")
    intro = _(
        "The text is drafted from the approved awards: the winners, the reasons and the rewards. "
        "Edit it before publishing."
    )

    def get_title(self) -> str:
        return gettext("Draft the %(year)s commendation") % {"year": self.campaign.year}

    def get_warning(self) -> str:
        commendation = selectors.commendation_of(user=self.request.user, campaign=self.campaign)
        verdict = permissions.can_edit_commendation(self.request.user, commendation)
        if not verdict:
            return verdict.message
        if commendation is not None:
            return gettext("A draft exists: drafting again replaces its text.")
        return ""

    def get_cancel_url(self) -> str:
        return reverse("awards:commendation", args=[self.campaign.year])

    def perform(self, form):
        return services.commendation_draft(campaign=self.campaign, drafted_by=self.request.user)

    def success_url_for(self, result) -> str:
        return reverse("awards:commendation_update", args=[self.campaign.year])


class CommendationUpdateView(CampaignFormView):
    permission = "awards.manage"
    form_class = forms.CommendationForm

    @cached_property
    def commendation(self) -> Commendation:
        commendation = selectors.commendation_of(user=self.request.user, campaign=self.campaign)
        if commendation is None:
            raise Http404
        return commendation

    def get_title(self) -> str:
        return gettext("The %(year)s commendation") % {"year": self.campaign.year}

    def get_initial(self):
        return {"title": self.commendation.title, "body": self.commendation.body}

    def get_warning(self) -> str:
        verdict = permissions.can_edit_commendation(self.request.user, self.commendation)
        return "" if verdict else verdict.message

    def get_cancel_url(self) -> str:
        return reverse("awards:commendation", args=[self.campaign.year])

    def perform(self, form):
        return services.commendation_update(
            commendation=self.commendation, updated_by=self.request.user, **form.cleaned_data
        )

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class CommendationPublishView(CampaignFormView):
    permission = "awards.manage"
    form_class = forms.ConfirmForm
    submit_label = _("Publish")
    intro = _("Once published, the commendation is circulated and its text no longer changes.")

    def get_title(self) -> str:
        return gettext("Publish the %(year)s commendation") % {"year": self.campaign.year}

    def get_warning(self) -> str:
        commendation, awards, pending = _commendation_state(self.request.user, self.campaign)
        verdict = permissions.can_publish_commendation(self.request.user, commendation, awards=awards, pending=pending)
        return "" if verdict else verdict.message

    def get_cancel_url(self) -> str:
        return reverse("awards:commendation", args=[self.campaign.year])

    def perform(self, form):
        commendation = selectors.commendation_of(user=self.request.user, campaign=self.campaign)
        if commendation is None:
            raise DomainError(_("Draft the commendation first."), code="no_draft")
        return services.commendation_publish(commendation=commendation, published_by=self.request.user)

    def success_message(self, result) -> str:
        return gettext("The commendation is published.")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()
