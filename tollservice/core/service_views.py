"""The one form view every app's write screens build on: form → service → message → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from tollservice.access.views import PermissionRequiredMixin
from tollservice.core.errors import DomainError


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A screen whose form hands its cleaned data to one service call (``perform``).

    A refusal (``DomainError``) becomes a form error, so the page comes back with everything the
    user typed; success flashes a message and redirects. Subclasses set ``permission``,
    ``form_class`` and ``title``, and define ``perform``, ``success_url_for`` and
    ``get_cancel_url``.
    """

    title = ""
    submit_label = _("Save")
    tab = ""  # the navigation tab the page belongs to

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.get_title(),
            submit_label=self.submit_label,
            cancel_url=self.get_cancel_url(),
            tab=self.tab,
            **kwargs,
        )

    def get_title(self) -> str:
        return str(self.title)

    def get_cancel_url(self) -> str:  # pragma: no cover - every view defines it
        raise NotImplementedError

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect(self.success_url_for(result))

    def perform(self, form):  # pragma: no cover - every view defines it
        raise NotImplementedError

    def success_message(self, result) -> str:
        return gettext("Saved.")

    def success_url_for(self, result) -> str:  # pragma: no cover - every view defines it
        raise NotImplementedError
