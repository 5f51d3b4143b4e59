"""The drivers' pages (no account, CMP-9): the complaint form a lane's QR poster opens, the
tracking number and access code, and the look-up where the driver follows the complaint, adds
information and rates the outcome.

Abuse: a honeypot field (a hit gets the same success page, stores nothing and counts against the
limits), and rate limits on submitting (per phone number and per client address) and on look-ups
(per tracking number and per address), counted before anything else so that a limited request
stores nothing. A refused submission comes back with everything typed, photos excepted (the page
says so). Look-ups are posted, so that neither the number nor the code is ever in an address, a
log or a browser's history; the answer to a wrong code is the answer to an unknown number.
"""

from __future__ import annotations

import re
import secrets

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from complaints import access_codes, selectors, services
from complaints.forms.public import AddInformationForm, LookupForm, PublicComplaintForm, RateForm
from complaints.models import ComplaintSettings
from tollservice.core.errors import DomainError
from tollservice.core.ratelimit import Limit, attempt, client_address, too_many_requests

# Generous per address: a carrier puts many phones behind one address (CGNAT).
SUBMIT_PER_PHONE = Limit("complaints.submit.phone", rate=5, period=3600)
SUBMIT_PER_ADDRESS = Limit("complaints.submit.address", rate=30, period=3600)
LOOKUP_PER_NUMBER = Limit("complaints.lookup.number", rate=20, period=3600)
LOOKUP_PER_ADDRESS = Limit("complaints.lookup.address", rate=120, period=3600)

TOO_MANY_SUBMISSIONS = _("Too many complaints were sent from this phone number or this network in a short time.")
TOO_MANY_LOOKUPS = _("Too many look-ups of this complaint or from this network in a short time.")


def _phone_key(text: str) -> str:
    """The digits of the number typed, so that spaces or a +86 do not make a new key."""
    digits = re.sub(r"\D", "", text or "")
    return digits[-11:]


def _public_context(**context) -> dict:
    settings = ComplaintSettings.load()
    return {
        "methods": selectors.published_complaint_methods(),
        "retention_days": settings.retention_days,
        **context,
    }


def _form_context(request, form) -> dict:
    photos_lost = bool(request.FILES.getlist("photos")) if request.method == "POST" else False
    return _public_context(form=form, photos_lost=photos_lost, page="form")


def _form_page(request, form):
    return render(request, "complaints/public/form.html", _form_context(request, form))


def _submitted(request, *, number: str, code: str, email: bool):
    return render(
        request, "complaints/public/submitted.html", {"number": number, "code": code, "emailed": email, "page": "form"}
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def complaint_form(request):
    """The complaint form; ``?lane=<id>`` (a lane's QR poster) fills in the lane."""
    if request.method == "GET":
        initial = {}
        lane_id = request.GET.get("lane", "")
        if lane_id.isdigit():
            initial["lane"] = int(lane_id)
        return _form_page(request, PublicComplaintForm(initial=initial))

    form = PublicComplaintForm(request.POST, request.FILES)
    refusal = attempt(
        SUBMIT_PER_ADDRESS.key(client_address(request)), SUBMIT_PER_PHONE.key(_phone_key(request.POST.get("phone")))
    )
    if refusal is not None:  # nothing is stored, and the page keeps what was typed
        return too_many_requests(
            request,
            refusal,
            message=TOO_MANY_SUBMISSIONS,
            template="complaints/public/form.html",
            context=_form_context(request, form),
        )
    if form.is_robot:
        # The same page a person gets, with a number and code that open nothing.
        fake_number = f"{timezone.localdate().year}-{secrets.randbelow(9000) + 1000:04d}"
        return _submitted(
            request, number=fake_number, code=access_codes.format_code(access_codes.new_code()), email=False
        )
    if form.is_valid():
        try:
            registration = services.complaint_submit_online(**form.submit_kwargs())
        except DomainError as error:
            error.add_to_form(form)
        else:
            return _submitted(
                request,
                number=registration.tracking_number,
                code=registration.access_code,
                email=bool(registration.complaint.email),
            )
    return _form_page(request, form)


# --- Look-up ------------------------------------------------------------------------------------


def _lookup_refusal(request):
    return attempt(
        LOOKUP_PER_ADDRESS.key(client_address(request)),
        LOOKUP_PER_NUMBER.key(selectors.normalise_number(request.POST.get("number", ""))),
    )


def _lookup_page(request, form):
    return render(request, "complaints/public/lookup.html", {"form": form, "page": "lookup"})


def _lookup_refused(request, refusal):
    return too_many_requests(
        request,
        refusal,
        message=TOO_MANY_LOOKUPS,
        template="complaints/public/lookup.html",
        context={"form": LookupForm(request.POST), "page": "lookup"},
    )


def _status_page(request, view, *, number: str, code: str, notice="", add_form=None, rate_form=None):
    credentials = {"number": number, "code": code}
    return render(
        request,
        "complaints/public/status.html",
        {
            "view": view,
            "notice": notice,
            "add_form": add_form or AddInformationForm(initial=credentials),
            "rate_form": rate_form or RateForm(initial=credentials),
            "page": "lookup",
        },
    )


NOT_FOUND = _("No complaint matches this tracking number and access code.")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """The driver's look-up: the tracking number and the access code, posted."""
    if request.method == "GET":
        return _lookup_page(request, LookupForm())
    form = LookupForm(request.POST)
    if (refusal := _lookup_refusal(request)) is not None:
        return _lookup_refused(request, refusal)
    if form.is_valid():
        number, code = form.cleaned_data["number"], form.cleaned_data["code"]
        view = selectors.complaint_for_driver(number=number, code=code)
        if view is not None:
            return _status_page(request, view, number=number, code=code)
        form.add_error("code", NOT_FOUND)
    return _lookup_page(request, form)


def _driver_step(request, form_class, perform, notice):
    """Adding information or rating: the number and code are checked again by the service."""
    form = form_class(request.POST)
    if (refusal := _lookup_refusal(request)) is not None:
        return _lookup_refused(request, refusal)
    if not form.is_valid():
        number, code = request.POST.get("number", ""), request.POST.get("code", "")
        view = selectors.complaint_for_driver(number=number, code=code)
        if view is None:
            return _lookup_page(request, LookupForm(request.POST))
        forms = {"add_form": form} if form_class is AddInformationForm else {"rate_form": form}
        return _status_page(request, view, number=number, code=code, **forms)
    number, code = form.cleaned_data["number"], form.cleaned_data["code"]
    try:
        perform(form.cleaned_data)
    except DomainError as error:
        if error.code == "not_found":
            lookup_form = LookupForm(request.POST)
            lookup_form.add_error("code", NOT_FOUND)
            return _lookup_page(request, lookup_form)
        error.add_to_form(form)
        view = selectors.complaint_for_driver(number=number, code=code)
        forms = {"add_form": form} if form_class is AddInformationForm else {"rate_form": form}
        return _status_page(request, view, number=number, code=code, **forms)
    view = selectors.complaint_for_driver(number=number, code=code)
    return _status_page(request, view, number=number, code=code, notice=notice)


@login_not_required
@never_cache
@require_POST
def lookup_add_information(request):
    return _driver_step(
        request,
        AddInformationForm,
        lambda data: services.complaint_driver_add_information(
            number=data["number"], code=data["code"], text=data["text"]
        ),
        _("Thank you: your information was added, and the station has been told."),
    )


@login_not_required
@never_cache
@require_POST
def lookup_rate(request):
    return _driver_step(
        request,
        RateForm,
        lambda data: services.complaint_driver_rate(
            number=data["number"], code=data["code"], result=data["result"], comment=data["comment"]
        ),
        _("Thank you for your rating."),
    )
