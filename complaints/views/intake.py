"""Registering a complaint from any channel (CMP-6, CMP-7, CMP-9), with the likely duplicates of
the same incident shown as it is typed (CMP-1), and the slip with the tracking number and access
code — shown once, printable, never stored (a new code is issued when a driver loses theirs)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from complaints import selectors, services
from complaints.forms.staff import DuplicateQueryForm, RegisterForm
from complaints.views.base import ComplaintFormView, complaint_or_404
from tollservice.access.views import permission_required

CHECK = "check"  # the "check for duplicates" button: show the suggestions, register nothing


class RegisterView(ComplaintFormView):
    permission = "complaints.register"
    form_class = RegisterForm
    template_name = "complaints/register.html"
    title = _("Register a complaint")
    submit_label = _("Register")

    def get_initial(self):
        initial = super().get_initial()
        if channel := self.request.GET.get("channel"):
            initial["channel"] = channel
        return initial

    registration = None

    def form_valid(self, form):
        if CHECK in self.request.POST:
            return self.render_to_response(self.get_context_data(form=form, suggestions=self.suggestions(form)))
        response = super().form_valid(form)  # once only: a second post of the same form is not registered
        if self.registration is None:
            return response
        return slip(self.request, self.registration, registered=True)  # instead of the redirect

    def perform(self, form):
        self.registration = services.complaint_register(registered_by=self.request.user, **form.register_kwargs())
        return self.registration

    def success_url_for(self, registration) -> str:
        return registration.complaint.get_absolute_url()

    def success_message(self, registration) -> str:
        return gettext("Complaint %(number)s registered.") % {"number": registration.tracking_number}

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form, photos_lost=bool(self.request.FILES.getlist("photos")))
        )

    def suggestions(self, form):
        data = form.cleaned_data
        return selectors.duplicate_candidates(
            user=self.request.user,
            plate=data.get("plate", ""),
            phone=data.get("phone", ""),
            lane=data.get("lane"),
            incident_at=data.get("incident_at"),
            text=data.get("description", ""),
        )

    def get_cancel_url(self) -> str:
        return reverse("complaints:list")


def slip(request, registration, *, registered: bool):
    """The slip: number and access code, to print for the complainant or read out on the phone.
    Rendered once, in the response to the registration (or to a new code), and never cached."""
    complaint = registration.complaint
    response = render(
        request,
        "complaints/slip.html",
        {
            "tab": "complaints",
            "complaint": complaint,
            "code": registration.access_code,
            "lookup_url": f"{settings.PORTAL_BASE_URL.rstrip('/')}{reverse('complaints:lookup')}",
            "registered": registered,
            "suggestions": selectors.duplicate_candidates(user=request.user, complaint=complaint, limit=5)
            if registered
            else [],
            "can": selectors.capabilities(request.user, complaint),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@permission_required("complaints.register")
def duplicate_suggestions(request):
    """CMP-1, live beside the intake form (static/js/complaints.js): the suggestions for what is
    typed so far, as an HTML fragment."""
    form = DuplicateQueryForm(request.GET)
    form.is_valid()
    data = form.cleaned_data
    suggestions = selectors.duplicate_candidates(
        user=request.user,
        plate=data.get("plate") or "",
        phone=data.get("phone") or "",
        lane=data.get("lane"),
        incident_at=data.get("incident_at"),
        text=data.get("description") or "",
    )
    html = render_to_string("complaints/includes/suggestions.html", {"suggestions": suggestions}, request=request)
    return JsonResponse({"html": html})


@permission_required("complaints.handle")
@require_POST
@never_cache
def reissue_code(request, pk: int):
    """A driver who lost the code gets a new one (the old one stops working)."""
    complaint = complaint_or_404(request.user, pk)
    if not selectors.capabilities(request.user, complaint).get("reissue_code"):
        raise PermissionDenied
    code = services.complaint_access_code_reissue(complaint=complaint, by=request.user)
    return slip(request, services.Registration(complaint=complaint, access_code=code), registered=False)
