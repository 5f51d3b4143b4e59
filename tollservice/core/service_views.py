"""The one form view every app's write screens build on: form → service → message → redirect,
and the one guard against a form submitted twice.

A state-changing form carries a one-time submission token (``{% submission_token %}`` next to
``{% csrf_token %}``; the token is signed, tied to the user and not stored until used). The
POST that uses it writes a ``FormSubmission`` row with that token in the same transaction as
the service call; the database's unique constraint makes a second POST with the same token —
a double-click, the back button, a replay, twenty copies at once — wait for the first and then
get its result ("already sent", and a redirect to where the first led), never a second write. A
refused or invalid submission rolls back and leaves the token unused, so the user corrects the
form and sends it again. A POST without a valid token (an old page, a forged request) comes
back as the form with everything typed and a fresh token.

``ServiceFormView`` does this for every screen built on it; a button's POST uses
``perform_once``; any other plain view guards its POST with
``with submitted_once(request) as submission: ...``.
"""

from __future__ import annotations

import datetime
import secrets
from contextlib import contextmanager

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from tollservice.access.views import PermissionRequiredMixin
from tollservice.core.errors import DomainError
from tollservice.core.models import FormSubmission

SUBMISSION_FIELD = "submission_token"
_SALT = "tollservice.core.service_views.submission"
# A form left open longer than this is sent again with a fresh token (its data is kept).
TOKEN_MAX_AGE = datetime.timedelta(days=2)

EXPIRED = _("This form had expired or was not sent from the portal's page. Check it and send it again.")
ALREADY_SENT = _("This form had already been sent; it was saved once. Here is the result.")


def submission_token_issue(user) -> str:
    """A fresh one-time token for a form ``user`` is about to fill in (nothing is stored)."""
    return signing.dumps({"u": str(user.pk), "n": secrets.token_urlsafe(24)}, salt=_SALT)


def submission_field(user) -> str:
    """The hidden input carrying a fresh token (what ``{% submission_token %}`` renders)."""
    if not getattr(user, "is_authenticated", False):
        return ""
    return format_html('<input type="hidden" name="{}" value="{}">', SUBMISSION_FIELD, submission_token_issue(user))


def _nonce(request) -> str | None:
    """The token's nonce, if the POST carries a valid, unexpired token issued to this user."""
    token = request.POST.get(SUBMISSION_FIELD, "")
    try:
        data = signing.loads(token, salt=_SALT, max_age=TOKEN_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != str(request.user.pk):
        return None
    return data.get("n") or None


class SubmissionRefused(Exception):
    """The POST is not a first submission of a form: ``result_url`` is where the first led
    (empty for a token that is missing, forged or expired)."""

    def __init__(self, message, *, result_url: str = "", repeated: bool = False):
        super().__init__(str(message))
        self.message = message
        self.result_url = result_url
        self.repeated = repeated


@contextmanager
def submitted_once(request):
    """Spend the POST's submission token and run the block in the same transaction.

    Yields the ``FormSubmission`` (set ``result_url`` on it to send a repeated POST there).
    Raises ``SubmissionRefused`` for a token already spent (``repeated``) or not valid; any
    exception from the block rolls the token back with everything else.
    """
    nonce = _nonce(request)
    if nonce is None:
        raise SubmissionRefused(EXPIRED)
    with transaction.atomic():
        try:
            with transaction.atomic():
                # On PostgreSQL a second INSERT of the nonce waits here until the first
                # transaction ends, then fails: the copies of one form run one after the other.
                submission = FormSubmission.objects.create(nonce=nonce, user=request.user, path=request.path[:300])
        except IntegrityError:
            first = FormSubmission.objects.filter(nonce=nonce).values_list("result_url", flat=True).first()
            raise SubmissionRefused(ALREADY_SENT, result_url=first or "", repeated=True) from None
        yield submission
        if submission.result_url:
            FormSubmission.objects.filter(pk=submission.pk).update(result_url=submission.result_url[:300])


def form_submissions_purge(*, older_than: datetime.timedelta = TOKEN_MAX_AGE) -> int:
    """Forget spent tokens once they could no longer be presented (they have expired)."""
    deleted, _rows = FormSubmission.objects.filter(submitted_at__lt=timezone.now() - older_than).delete()
    return deleted


def perform_once(request, action, *, done_url: str, success_message):
    """A button's POST (a step with no form to show again): ``action()`` once under the page's
    submission token, its outcome as a message, then back to ``done_url``. A refusal
    (``DomainError``) and a repeated or expired submission are messages too."""
    try:
        with submitted_once(request) as submission:
            action()
            submission.result_url = done_url
    except DomainError as error:
        messages.error(request, str(error))
    except SubmissionRefused as refusal:
        (messages.info if refusal.repeated else messages.error)(request, refusal.message)
    else:
        messages.success(request, success_message)
    return redirect(done_url)


class ServiceFormView(PermissionRequiredMixin, FormView):
    """A screen whose form hands its cleaned data to one service call (``perform``).

    A refusal (``DomainError``) becomes a form error, so the page comes back with everything the
    user typed; success flashes a message and redirects. The form is submitted once
    (``submitted_once``): its template renders ``{% submission_token %}`` inside the ``<form>``.
    Subclasses set ``permission``, ``form_class`` and ``title``, and define ``perform``,
    ``success_url_for`` and ``get_cancel_url``.
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
            with submitted_once(self.request) as submission:
                result = self.perform(form)
                submission.result_url = url = self.success_url_for(result)
        except DomainError as error:
            error.add_to_form(form)
            return self.form_invalid(form)
        except SubmissionRefused as refusal:
            if refusal.repeated:
                messages.info(self.request, refusal.message)
                return redirect(refusal.result_url or self.get_cancel_url())
            form.add_error(None, str(refusal.message))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect(url)

    def perform(self, form):  # pragma: no cover - every view defines it
        raise NotImplementedError

    def success_message(self, result) -> str:
        return gettext("Saved.")

    def success_url_for(self, result) -> str:  # pragma: no cover - every view defines it
        raise NotImplementedError


class StepFormView(ServiceFormView):
    """A step on something, as a form page: a notice above the form (``intro``; a ``warning``
    from the same verdict the service checks, so the page says why before anyone sends it) and
    cards beside it (``aside_templates``: what the step acts on, what the rule will do). Its
    template puts ``templates/includes/step_form.html`` in its section's layout."""

    intro = ""
    danger = False
    aside_templates: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        warning = self.get_warning()
        form = kwargs.get("form")
        # A stale form (the object changed meanwhile) comes back with the service's refusal, which
        # says what the warning says; the form error alone is enough.
        if warning and form is not None and warning in (str(error) for error in form.non_field_errors()):
            warning = ""
        return super().get_context_data(
            intro=self.get_intro(),
            warning=warning,
            danger=self.danger,
            aside_templates=self.aside_templates,
            **kwargs,
        )

    def get_intro(self) -> str:
        return str(self.intro) if self.intro else ""

    def get_warning(self) -> str:
        return ""
