"""The office's reminder settings: one row per kind of deadline, each editable."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tollservice.access.views import permission_required
from tollservice.core.service_views import ServiceFormView
from tollservice.reminders import selectors
from tollservice.reminders.forms import ReminderPolicyForm
from tollservice.reminders.services import reminder_policy_change


@permission_required("reminders.settings")
def settings_overview(request):
    return render(request, "reminders/settings.html", {"rows": selectors.kind_policies()})


class PolicyChangeView(ServiceFormView):
    permission = "reminders.settings"
    form_class = ReminderPolicyForm
    template_name = "reminders/policy_form.html"
    submit_label = _("Save the settings")

    @cached_property
    def current(self) -> selectors.KindPolicy:
        try:
            return selectors.kind_policy(key=self.kwargs["kind"])
        except LookupError:
            raise Http404 from None

    def get_title(self) -> str:
        return gettext("Reminders: %(kind)s") % {"kind": self.current.kind.label}

    def get_initial(self):
        return ReminderPolicyForm.initial_for(self.current.schedule)

    def get_cancel_url(self) -> str:
        return reverse("reminders:settings")

    def perform(self, form):
        return reminder_policy_change(kind=self.current.kind.key, changed_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Reminder settings saved; open deadlines of this kind follow them from now on.")

    def success_url_for(self, result) -> str:
        return reverse("reminders:settings")
