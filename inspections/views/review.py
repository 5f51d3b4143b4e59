"""INS-6: the office reviews a supervisor's visit — publishes it, returns it with reasons, or
declares it void when the visitor was recognised."""

from __future__ import annotations

from django import forms as django_forms
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import forms, permissions, services
from inspections.views._common import InspectionFormView


class _ReviewView(InspectionFormView):
    permission = "inspections.review"
    tab = "review"

    def get_cancel_url(self) -> str:
        return reverse("inspections:review_queue")


class PublishView(_ReviewView):
    form_class = django_forms.Form
    title = _("Publish the visit")
    submit_label = _("Publish")
    intro = _(
        "Check that the time and place are plausible, the remarks match the deductions and the visit is "
        "complete. Once published it takes effect and the visited team sees it."
    )

    def check_step(self):
        permissions.check_review(self.request.user, self.inspection)

    def perform(self, form):
        return services.inspection_publish(inspection=self.inspection, published_by=self.request.user)

    def success_message(self, result) -> str:
        return gettext("Published: score %(score)s.") % {"score": result.score}

    def success_url_for(self, result) -> str:
        return reverse("inspections:inspection_detail", args=[result.pk])


class ReturnView(_ReviewView):
    form_class = forms.ReturnForm
    title = _("Return the visit to the supervisor")
    submit_label = _("Return")

    def check_step(self):
        permissions.check_review(self.request.user, self.inspection)

    def perform(self, form):
        return services.inspection_return(
            inspection=self.inspection, returned_by=self.request.user, reasons=form.cleaned_data["reasons"]
        )

    def success_message(self, result) -> str:
        return gettext("Returned to the supervisor.")

    def success_url_for(self, result) -> str:
        return reverse("inspections:review_queue")


class VoidView(_ReviewView):
    form_class = forms.ReasonForm
    title = _("Declare the visit void")
    submit_label = _("Declare void")
    danger = True
    intro = _("A visit whose visitor was recognised is void: it never takes effect.")

    def check_step(self):
        permissions.check_void(self.request.user, self.inspection)

    def perform(self, form):
        return services.inspection_void(
            inspection=self.inspection, voided_by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return gettext("The visit is void.")

    def success_url_for(self, result) -> str:
        return reverse("inspections:review_queue")
