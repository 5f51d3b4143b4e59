"""Each step on a complaint: a form page that calls one service (``complaints.services``) and
returns to the complaint's page. Who may take which step is ``selectors.capabilities``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from complaints import access, selectors, services
from complaints.forms import staff as forms
from complaints.models import Extension, Review
from complaints.views.base import ComplaintFormView, ComplaintStepView, complaint_or_404
from tollservice.access.views import permission_required
from tollservice.core.errors import DomainError
from tollservice.core.forms import fen
from tollservice.roster.models import Staff

# --- Ownership (CMP-3, CMP-5, CMP-8) ------------------------------------------------------------------


class HandOverView(ComplaintStepView):
    capability = "hand_over"
    form_class = forms.HandOverForm
    title = _("Hand over")
    submit_label = _("Hand over")
    intro = _("The first responder stays on the record; the new owner is notified.")

    def perform(self, form):
        return services.complaint_hand_over(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Complaint handed over.")


class EscalateView(ComplaintStepView):
    capability = "escalate"
    form_class = forms.EscalateForm
    title = _("Escalate")
    submit_label = _("Escalate")
    intro = _(
        "The complaint goes up the chain: shift leader on duty at the incident's time, head of the "
        "toll-collection office, the leadership group's office. The person reached is notified."
    )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "level": self.complaint.level}

    def perform(self, form):
        return services.complaint_escalate(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

    def success_message(self, escalation) -> str:
        return gettext("Escalated to %(name)s.") % {"name": escalation.to_staff.name}


class SubjectsView(ComplaintStepView):
    capability = "subjects"
    form_class = forms.SubjectsForm
    title = _("Persons complained about")

    def get_initial(self):
        return {"staff": list(self.complaint.subjects.values_list("staff_id", flat=True))}

    def perform(self, form):
        return services.complaint_subjects_set(
            complaint=self.complaint, by=self.request.user, staff=form.cleaned_data["staff"]
        )


# --- Handling ----------------------------------------------------------------------------------------------


class ContactView(ComplaintStepView):
    capability = "handle"
    form_class = forms.ContactForm
    title = _("Record a contact with the driver")

    def perform(self, form):
        return services.complaint_contact_record(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class StatementView(ComplaintStepView):
    capability = "investigate"
    form_class = forms.StatementForm
    title = _("Record a staff member's account")
    intro = _("Before a verdict that leads to a penalty, the staff member's own account is recorded.")

    def get_initial(self):
        subject = self.complaint.subjects.first()
        return {"staff": subject.staff_id} if subject else {}

    def perform(self, form):
        return services.complaint_statement_record(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class PauseView(ComplaintStepView):
    capability = "pause"
    form_class = forms.PauseForm
    title = _("Wait on the driver")
    intro = _("The answer limit stops while the station waits for the driver; it runs again when they answer.")

    def perform(self, form):
        return services.complaint_pause(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class ResumeView(ComplaintStepView):
    capability = "resume"
    form_class = forms.NoteForm
    title = _("Run the clock again")

    def perform(self, form):
        return services.complaint_resume(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class ExtensionRequestView(ComplaintStepView):
    capability = "extend"
    form_class = forms.ExtensionRequestForm
    title = _("Ask for an extension")
    intro = _("A complex case gets more time when the extension is approved before the limit; the driver is told.")

    def perform(self, form):
        return services.complaint_extension_request(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Extension requested: it waits for approval.")


class ExtensionDecideView(ComplaintFormView):
    permission = "complaints.approve_extension"
    form_class = forms.ExtensionDecideForm
    title = _("Decide an extension")
    submit_label = _("Decide")

    @cached_property
    def extension(self) -> Extension:
        extension = selectors.extensions_pending(user=self.request.user).filter(pk=self.kwargs["pk"]).first()
        if extension is None:
            raise Http404
        return extension

    def get_context_data(self, **kwargs):
        return super().get_context_data(complaint=self.extension.complaint, **kwargs)

    def get_intro(self) -> str:
        return gettext("New date asked for: %(date)s. Reason: %(reason)s") % {
            "date": self.extension.new_due,
            "reason": self.extension.reason,
        }

    def perform(self, form):
        return services.complaint_extension_decide(extension=self.extension, by=self.request.user, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return self.extension.complaint.get_absolute_url()

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class VerdictView(ComplaintStepView):
    capability = "investigate"
    form_class = forms.VerdictForm
    title = _("Record the verdict")
    intro = _(
        "Upheld or partly upheld, with the station at fault or both at fault: an apology must be "
        "recorded before the reply is sent. Staff found at fault must have given their own account."
    )

    def get_form_kwargs(self):
        if not self.complaint.subjects.exists():  # nobody named yet: anyone may be typed
            return {**super().get_form_kwargs(), "candidates": None}
        subjects = self.complaint.subjects.values("staff")
        candidates = Staff.objects.filter(pk__in=subjects) | Staff.objects.filter(
            pk__in=self.complaint.statements.values("staff")
        )
        return {**super().get_form_kwargs(), "candidates": candidates.distinct().order_by("name")}

    def get_initial(self):
        complaint = self.complaint
        return {
            "lane": complaint.lane_id,
            "staff_involved": list(complaint.subjects.values_list("staff_id", flat=True)),
        }

    def perform(self, form):
        return services.complaint_verdict_record(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class ApologyView(ComplaintStepView):
    capability = "investigate"
    form_class = forms.ApologyForm
    title = _("Record the apology")
    # CMP-4
    intro = _("The person concerned, the team leader or the head of the toll-collection office apologises.")

    def perform(self, form):
        return services.complaint_apology_record(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class AnswerView(ComplaintStepView):
    capability = "answer"
    title = _("Answer the driver")
    submit_label = _("Send the answer")

    def get_form_class(self):
        return forms.AnswerForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "work_order": self.complaint.is_work_order}

    def get_intro(self) -> str:
        if self.complaint.duplicates.exists():
            return gettext("Every driver linked to this complaint gets the same answer.")
        return ""

    def perform(self, form):
        return services.complaint_answer(complaint=self.complaint, by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Answer sent.")


class WorkOrderReportView(ComplaintStepView):
    capability = "report_work_order"
    form_class = forms.WorkOrderReportForm
    title = _("Report back to the hotline centre")
    intro = _("A linked work order still gets its own report by its own deadline.")

    def perform(self, form):
        return services.complaint_work_order_report(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class WorkOrderReturnView(ComplaintStepView):
    capability = "return_work_order"
    form_class = forms.WorkOrderReturnForm
    title = _("Returned by the hotline centre")
    intro = _("The centre returned the order for redoing: the complaint reopens, with the centre's new deadline.")

    def perform(self, form):
        return services.complaint_work_order_return(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


# --- Duplicates (CMP-1) ---------------------------------------------------------------------------------


class LinkView(ComplaintStepView):
    capability = "link_duplicate"
    form_class = forms.LinkForm
    title = _("Link as a duplicate")
    submit_label = _("Link")
    intro = _("The incident is investigated, answered and counted once, on the primary complaint.")

    def get_initial(self):
        return {"primary": self.request.GET.get("primary", "")}

    def perform(self, form):
        number = selectors.normalise_number(form.cleaned_data["primary"])
        primary = selectors.complaint_queryset(user=self.request.user).filter(number=number).first()
        if primary is None:
            raise DomainError(_("No complaint you can see has that number."), field="primary")
        return services.complaint_link_duplicate(
            complaint=self.complaint, primary=primary, by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def success_message(self, result) -> str:
        return gettext("Linked to %(number)s.") % {"number": result.primary.number}


class UnlinkView(ComplaintStepView):
    capability = "unlink_duplicate"
    form_class = forms.ReasonForm
    title = _("Remove the duplicate link")

    def perform(self, form):
        return services.complaint_unlink_duplicate(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class MakePrimaryView(ComplaintStepView):
    capability = "make_primary"
    form_class = forms.ReasonForm
    title = _("Make this the primary complaint")
    intro = _("The incident is then handled on this complaint; the others are linked to it.")

    def perform(self, form):
        return services.complaint_change_primary(new_primary=self.complaint, by=self.request.user, **form.cleaned_data)


# --- Follow-up --------------------------------------------------------------------------------------------


class ReturnVisitView(ComplaintStepView):
    capability = "return_visit"
    form_class = forms.ReturnVisitForm
    title = _("Record the return visit")
    intro = _("A dissatisfied driver's complaint goes to the head of the toll-collection office for review.")

    def perform(self, form):
        return services.complaint_return_visit_record(
            complaint=self.complaint, by=self.request.user, **form.cleaned_data
        )


class ReviewDecideView(ComplaintFormView):
    permission = "complaints.handle"
    form_class = forms.ReviewDecideForm
    title = _("Review the handling")
    submit_label = _("Decide")

    @cached_property
    def review(self) -> Review:
        review = Review.objects.select_related("complaint", "reviewer").filter(pk=self.kwargs["pk"]).first()
        if review is None or not access.can_view(self.request.user, review.complaint):
            raise Http404
        if review.status != Review.Status.PENDING or not access.can_decide_review(self.request.user, review):
            raise PermissionDenied
        return review

    def get(self, request, *args, **kwargs):
        self.review  # noqa: B018 - 404 / 403 before the form
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.review  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(complaint=self.review.complaint, **kwargs)

    def perform(self, form):
        return services.complaint_review_decide(review=self.review, by=self.request.user, **form.cleaned_data)

    def get_cancel_url(self) -> str:
        return self.review.complaint.get_absolute_url()

    def success_url_for(self, result) -> str:
        return self.get_cancel_url()


class CloseView(ComplaintStepView):
    capability = "close"
    form_class = forms.NoteForm
    title = _("Close the complaint")
    submit_label = _("Close")

    def perform(self, form):
        return services.complaint_close(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


class VoidView(ComplaintStepView):
    permission = "complaints.manage"
    capability = "void"
    form_class = forms.ReasonForm
    title = _("Void the registration")
    submit_label = _("Void the registration")
    danger = True
    intro = _("A mistaken registration keeps its number in the ledger, marked void with the reason.")

    def perform(self, form):
        return services.complaint_void(complaint=self.complaint, by=self.request.user, **form.cleaned_data)


# --- Penalties (PEN-3, PEN-4) --------------------------------------------------------------------------------


class PenaltyProposeView(ComplaintStepView):
    permission = "penalties.propose"
    capability = "propose_penalty"
    form_class = forms.ComplaintPenaltyForm
    title = _("Propose a penalty")
    submit_label = _("Propose")
    intro = _(
        "A verified complaint: the person at fault is fined 200–500 yuan, suspended or dismissed in grave "
        "cases; the responsible head is held accountable. The office decides the penalty on its page."
    )

    @cached_property
    def candidates(self) -> list[Staff]:
        """Whom the latest verdict found at fault: the only people a penalty may be proposed for."""
        verdict = self.complaint.verdicts.order_by("-recorded_at", "-pk").first()
        at_fault = verdict.staff_links.filter(at_fault=True).values("staff") if verdict else []
        return list(Staff.objects.filter(pk__in=at_fault).order_by("name"))

    def get_form_kwargs(self):
        candidates = Staff.objects.filter(pk__in=[staff.pk for staff in self.candidates]).order_by("name")
        return {**super().get_form_kwargs(), "candidates": candidates}

    def get_intro(self) -> str:
        if self.candidates:
            return super().get_intro()
        # Found walking issue 11: otherwise the page offers an empty list of people and a bare
        # "This field is required".
        return gettext(
            "The verdict names nobody at fault. Record the verdict again and tick the staff at fault; "
            "a penalty can then be proposed for them here."
        )

    def perform(self, form):
        data = form.cleaned_data
        return services.complaint_penalty_propose(
            complaint=self.complaint,
            proposed_by=self.request.user,
            staff=data["staff"],
            fine_fen=fen(data["fine"]),
            suspension=data["suspension"],
            dismissal=data["dismissal"],
            responsible_head=data["responsible_head"],
            description=data["description"],
        )

    def success_message(self, link) -> str:
        return gettext("Penalty proposed for %(name)s.") % {"name": link.penalty.staff.name}

    def success_url_for(self, link) -> str:
        return reverse("penalties:penalty_detail", args=[link.penalty_id])


class HandlingViolationView(ComplaintStepView):
    permission = "penalties.propose"
    capability = "propose_handling_violation"
    form_class = forms.HandlingViolationForm
    title = _("Propose penalties for mishandling")
    submit_label = _("Propose")
    intro = _(
        "A missed limit, or a review that found the handling at fault: the handler and the head of the "
        "handling department are each fined 200–500 yuan."
    )

    def perform(self, form):
        data = form.cleaned_data
        return services.complaint_handling_violation_propose(
            complaint=self.complaint,
            proposed_by=self.request.user,
            handler=data["handler"],
            handler_fine_fen=fen(data["handler_fine"]),
            head_fine_fen=fen(data["head_fine"]),
            description=data["description"],
            department=data["department"],
        )

    def success_message(self, result) -> str:
        return gettext("Penalties proposed; the office decides them on the penalties pages.")


@permission_required("complaints.register")
@require_POST
def take_up(request, pk: int):
    """CMP-8: the first staff member to accept a web complaint becomes its owner (a POST)."""
    return _simple_step(request, pk, "take_up", services.complaint_take_up, gettext("The complaint is yours now."))


@permission_required("complaints.handle")
@require_POST
def start_investigation(request, pk: int):
    return _simple_step(
        request, pk, "investigate", services.complaint_investigation_start, gettext("Investigation started.")
    )


def _simple_step(request, pk, capability, service, message):
    complaint = complaint_or_404(request.user, pk)
    if not selectors.capabilities(request.user, complaint).get(capability):
        raise PermissionDenied
    try:
        service(complaint=complaint, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, message)
    return redirect(complaint.get_absolute_url())
