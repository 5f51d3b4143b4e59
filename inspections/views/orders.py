"""A rectification order's page and its steps: the team answers (with photos), someone other than
whoever answered verifies it or returns it with reasons, the office moves its deadline."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from inspections import forms, permissions, selectors, services
from inspections.models import Evidence
from inspections.views._common import OrderFormView, order_or_404
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core.uploads import private_storage
from tollservice.reminders.selectors import deadlines_for
from tollservice.roster.names import with_person_names


@permission_required("inspections.view")
def order_detail(request, pk: int):
    order = order_or_404(request.user, pk)
    return render(
        request,
        "inspections/order_detail.html",
        {
            "tab": "orders",
            "order": order,
            "page": selectors.order_page(user=request.user, order=order),
            "events": with_person_names(order.events.all(), "actor").order_by("at", "pk"),
            "evidence": Evidence.objects.filter(order=order).order_by("created_at", "pk"),
            "deadlines": deadlines_for(obj=order),
            "history": recent_history(order) if has_permission(request.user, "audit.view") else None,
        },
    )


class AnswerView(OrderFormView):
    permission = "rectification.answer"
    form_class = forms.AnswerForm
    title = _("Answer the rectification order")
    submit_label = _("Send the answer")

    def check_step(self):
        permissions.check_answer(self.request.user, self.order)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"files": self.request.FILES or None}

    def perform(self, form):
        # The photos belong to the answer, so they are attached while the order still waits for it;
        # if the answer is refused, neither the photos' rows nor their files stay.
        stored = []
        try:
            with transaction.atomic():
                for photo in form.cleaned_data["photos"]:
                    evidence = services.evidence_photo_add(
                        inspection=self.order.inspection, added_by=self.request.user, upload=photo, order=self.order
                    )
                    stored.append(evidence.file.name)
                return services.rectification_answer(
                    order=self.order, answered_by=self.request.user, answer=form.cleaned_data["answer"]
                )
        except Exception:
            for name in stored:
                private_storage.delete(name)
            raise

    def success_message(self, result) -> str:
        return gettext("Answer sent: it is verified by the office or the inspector.")


class VerifyView(OrderFormView):
    permission = "rectification.verify"
    form_class = forms.VerifyForm
    title = _("Verify the rectification")
    submit_label = _("Confirm the rectification")

    def check_step(self):
        permissions.check_verify(self.request.user, self.order)

    def perform(self, form):
        return services.rectification_verify(order=self.order, verified_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Rectification verified.")


class OrderReturnView(OrderFormView):
    permission = "rectification.verify"
    form_class = forms.OrderReturnForm
    title = _("Return the answer")
    submit_label = _("Return")

    def check_step(self):
        permissions.check_verify(self.request.user, self.order)

    def perform(self, form):
        return services.rectification_return(order=self.order, returned_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Returned to the team, due %(date)s.") % {"date": result.deadline.isoformat()}


class DeadlineChangeView(OrderFormView):
    permission = "rectification.manage"
    form_class = forms.DeadlineForm
    title = _("Move the deadline")

    def check_step(self):
        permissions.check_manage_order(self.request.user, self.order)

    def perform(self, form):
        return services.rectification_deadline_change(
            order=self.order, changed_by=self.request.user, **form.cleaned_data
        )

    def success_message(self, result) -> str:
        return gettext("Now due %(date)s; the reminders follow the new deadline.") % {
            "date": result.deadline.isoformat()
        }
