"""Talks (INS-4), loss of award eligibility and the eligibility lookup (INS-5, AWD-2), circulars
(PEN-3, PEN-4, INS-3) and the penalty policy, on screen."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from penalties import exports, filters, forms, permissions, selectors, services
from penalties.models import Circular, EligibilityRevocation, TalkRecord
from penalties.views.base import ServiceFormView
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core.list_views import ReportListView
from tollservice.core.service_views import perform_once
from tollservice.roster import selectors as roster_selectors


def _history(user, obj):
    return recent_history(obj) if has_permission(user, "audit.view") else None


# --- INS-4: talks -------------------------------------------------------------------------------


class TalkListView(ReportListView):
    permission = "penalties.talks"
    tab = "talks"
    template_name = "penalties/talk_list.html"
    filterset_class = filters.TalkFilter
    report_class = exports.TalkReport

    def get_queryset(self):
        return selectors.talk_list(user=self.request.user)


class TalkCreateView(ServiceFormView):
    permission = "penalties.talks"
    tab = "talks"
    form_class = forms.TalkForm
    title = _("Record a talk")
    intro = _(
        "An appointment talk (约见谈话) or an admonishment talk (诫勉谈话) with a person or team that does not "
        "respond actively."
    )

    def get_initial(self):
        initial = super().get_initial()
        for key in ("staff", "team"):
            if value := self.request.GET.get(key):
                initial[key] = value
        return initial

    def get_cancel_url(self) -> str:
        return reverse("penalties:talk_list")

    def perform(self, form):
        return services.talk_record(recorded_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Talk recorded.")

    def success_url_for(self, result) -> str:
        return reverse("penalties:talk_detail", args=[result.pk])


def _talk_or_404(user, pk: int) -> TalkRecord:
    try:
        return selectors.talk_detail(user=user, pk=pk)
    except TalkRecord.DoesNotExist:
        raise Http404 from None


@permission_required("penalties.talks")
def talk_detail(request, pk: int):
    talk = _talk_or_404(request.user, pk)
    may_follow_up = permissions.can_complete_follow_up(request.user, talk)
    return render(
        request,
        "penalties/talk_detail.html",
        {
            "tab": "talks",
            "talk": talk,
            "follow_up_form": forms.FollowUpForm() if may_follow_up else None,
            "history": _history(request.user, talk),
        },
    )


class TalkFollowUpView(ServiceFormView):
    permission = "penalties.talks"
    tab = "talks"
    form_class = forms.FollowUpForm
    submit_label = _("Confirm the follow-up")

    @cached_property
    def talk(self):
        return _talk_or_404(self.request.user, self.kwargs["pk"])

    def get_title(self) -> str:
        return gettext("Follow-up of the talk with %(name)s") % {"name": self.talk.subject.name}

    def get_warning(self) -> str:
        verdict = permissions.can_complete_follow_up(self.request.user, self.talk)
        return "" if verdict else verdict.message

    def get_cancel_url(self) -> str:
        return reverse("penalties:talk_detail", args=[self.talk.pk])

    def perform(self, form):
        return services.talk_follow_up_complete(talk=self.talk, completed_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Follow-up confirmed.")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


# --- INS-5 / AWD-2: award eligibility -------------------------------------------------------------


class RevocationListView(ReportListView):
    permission = "penalties.eligibility"
    tab = "eligibility"
    template_name = "penalties/revocation_list.html"
    filterset_class = filters.RevocationFilter
    report_class = exports.RevocationReport

    def get_queryset(self):
        return selectors.eligibility_revocation_list(user=self.request.user)


class EligibilityRevokeView(ServiceFormView):
    permission = "penalties.eligibility"
    tab = "eligibility"
    form_class = forms.EligibilityRevokeForm
    title = _("Remove award eligibility")
    submit_label = _("Remove eligibility")
    danger = True
    intro = _("A team or person that directly undermines the activity loses award eligibility for the year.")

    def get_initial(self):
        initial = super().get_initial()
        for key in ("staff", "team", "year"):
            if value := self.request.GET.get(key):
                initial[key] = value
        return initial

    def get_cancel_url(self) -> str:
        return reverse("penalties:eligibility_revocation_list")

    def perform(self, form):
        return services.eligibility_revoke(decided_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Award eligibility for %(year)s removed.") % {"year": result.year}

    def success_url_for(self, result) -> str:
        return reverse("penalties:eligibility_revocation_detail", args=[result.pk])


def _revocation_or_404(user, pk: int) -> EligibilityRevocation:
    try:
        return selectors.eligibility_revocation_detail(user=user, pk=pk)
    except EligibilityRevocation.DoesNotExist:
        raise Http404 from None


@permission_required("penalties.eligibility")
def revocation_detail(request, pk: int):
    revocation = _revocation_or_404(request.user, pk)
    return render(
        request,
        "penalties/revocation_detail.html",
        {
            "tab": "eligibility",
            "revocation": revocation,
            "may_withdraw": permissions.can_withdraw_revocation(request.user, revocation),
            "history": _history(request.user, revocation),
        },
    )


class RevocationWithdrawView(ServiceFormView):
    permission = "penalties.eligibility"
    tab = "eligibility"
    form_class = forms.ReasonForm
    submit_label = _("Withdraw")
    danger = True
    intro = _("The decision stays on record with the reasons for its withdrawal.")

    @cached_property
    def revocation(self):
        return _revocation_or_404(self.request.user, self.kwargs["pk"])

    def get_title(self) -> str:
        return gettext("Withdraw the loss of eligibility of %(name)s for %(year)s") % {
            "name": (self.revocation.staff or self.revocation.team).name,
            "year": self.revocation.year,
        }

    def get_cancel_url(self) -> str:
        return reverse("penalties:eligibility_revocation_detail", args=[self.revocation.pk])

    def get_warning(self) -> str:
        verdict = permissions.can_withdraw_revocation(self.request.user, self.revocation)
        return "" if verdict else verdict.message

    def perform(self, form):
        return services.eligibility_revocation_withdraw(
            revocation=self.revocation, withdrawn_by=self.request.user, **form.cleaned_data
        )

    def success_message(self, result) -> str:
        return gettext("The loss of eligibility was withdrawn.")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


@permission_required("penalties.eligibility")
def eligibility_lookup(request):
    """AWD-2: is this person or team eligible for awards in the year, and if not, why?"""
    form = forms.EligibilityLookupForm(request.GET or None)
    lookup = None
    if form.is_bound and form.is_valid():
        lookup = selectors.eligibility_lookup(user=request.user, **form.cleaned_data)
    return render(request, "penalties/eligibility_lookup.html", {"tab": "eligibility", "form": form, "lookup": lookup})


# --- Circulars ------------------------------------------------------------------------------------


def _circular_or_404(user, pk: int) -> Circular:
    try:
        return selectors.circular_detail(user=user, pk=pk)
    except Circular.DoesNotExist:
        raise Http404 from None


class CircularListView(ReportListView):
    """Circulars: published ones for everyone with a place in these pages, drafts for the office."""

    permission = "penalties.view_own"
    tab = "circulars"
    template_name = "penalties/circular_list.html"
    filterset_class = filters.CircularFilter
    report_class = exports.CircularReport

    def get_queryset(self):
        return selectors.circular_list(user=self.request.user)


@permission_required("penalties.view_own")
def circular_detail(request, pk: int):
    circular = _circular_or_404(request.user, pk)
    return render(
        request,
        "penalties/circular_detail.html",
        {
            "tab": "circulars",
            "circular": circular,
            "page": selectors.circular_page(user=request.user, circular=circular),
            "history": _history(request.user, circular),
        },
    )


@permission_required("penalties.view_own")
def circular_print(request, pk: int):
    """The circular as a printable notice: station, title, text, date; no navigation on paper."""
    circular = _circular_or_404(request.user, pk)
    return render(
        request,
        "penalties/circular_print.html",
        {"circular": circular, "station": roster_selectors.station_current()},
    )


class CircularUpdateView(ServiceFormView):
    permission = "penalties.decide"
    tab = "circulars"
    form_class = forms.CircularForm
    intro = _("A draft can be edited until it is published; a published circular is final.")

    @cached_property
    def circular(self) -> Circular:
        return _circular_or_404(self.request.user, self.kwargs["pk"])

    def get_initial(self):
        return {"title": self.circular.title, "body": self.circular.body}

    def get_title(self) -> str:
        return gettext("Edit the circular")

    def get_warning(self) -> str:
        verdict = permissions.can_edit_circular(self.request.user, self.circular)
        return "" if verdict else verdict.message

    def get_cancel_url(self) -> str:
        return reverse("penalties:circular_detail", args=[self.circular.pk])

    def perform(self, form):
        return services.circular_update(circular=self.circular, updated_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Circular saved.")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


@permission_required("penalties.decide")
@require_POST
def circular_publish(request, pk: int):
    circular = _circular_or_404(request.user, pk)
    return perform_once(
        request,
        lambda: services.circular_publish(circular=circular, published_by=request.user),
        done_url=reverse("penalties:circular_detail", args=[circular.pk]),
        success_message=gettext("The circular is published."),
    )


# --- The policy -----------------------------------------------------------------------------------


@permission_required("penalties.view_all")
def policy(request):
    history = list(selectors.policy_history(user=request.user))
    current = selectors.policy_in_force_or_none()
    return render(
        request,
        "penalties/policy.html",
        {
            "tab": "policy",
            "history": history,
            "current": current,
            "can_change": has_permission(request.user, "penalties.settings"),
        },
    )


class PolicyChangeView(ServiceFormView):
    permission = "penalties.settings"
    tab = "policy"
    form_class = forms.PolicyForm
    title = _("Change the penalty policy")
    intro = _(
        "A change is a new version of the policy. It applies to penalties decided after it takes effect; "
        "penalties already decided keep the policy they were decided under."
    )

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"policy": selectors.policy_in_force_or_none()}

    def get_cancel_url(self) -> str:
        return reverse("penalties:policy")

    def perform(self, form):
        return services.penalty_policy_change(changed_by=self.request.user, **form.change_kwargs())

    def success_message(self, result) -> str:
        return gettext("The new policy version is recorded.")

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()
