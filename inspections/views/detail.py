"""One inspection: its page (results, deductions beside the score, an amended score with the
original and the reason, evidence, the read log of a covert visit, the outcomes of each finding),
its photos, closing it (INS-2) and correcting it with a reason."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from inspections import forms, permissions, selectors, services
from inspections.models import Evidence, Inspection, ItemResult
from inspections.views._common import InspectionFormView, inspection_or_404, inspection_url
from inspections.views.filling import result_rows, staff_for
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core.errors import DomainError
from tollservice.core.service_views import perform_once
from tollservice.core.uploads import private_file_response


@permission_required("inspections.view")
def inspection_detail(request, pk: int):
    try:
        inspection = selectors.inspection_detail(user=request.user, pk=pk)  # logs a covert read (INS-6)
    except Inspection.DoesNotExist:
        raise Http404 from None
    page = selectors.inspection_page(user=request.user, inspection=inspection)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "tab": "inspections",
            "inspection": inspection,
            "page": page,
            "photos": [e for e in inspection.evidence.all() if e.kind == Evidence.Kind.PHOTO],
            "cctv": [e for e in inspection.evidence.all() if e.kind == Evidence.Kind.CCTV],
            "amendments": list(inspection.amendments.all()),
            "history": recent_history(inspection) if has_permission(request.user, "audit.view") else None,
        },
    )


@permission_required("inspections.view")
def evidence_file(request, pk: int):
    """A photo, to whoever may see its inspection (a covert visit's photo read is logged)."""
    try:
        evidence = selectors.evidence_get(user=request.user, pk=pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    return private_file_response(
        name=evidence.file.name,
        allowed=evidence.kind == Evidence.Kind.PHOTO,
        content_type=evidence.content_type,
        download_name=f"{evidence.inspection.reference}-{evidence.pk}",
    )


@permission_required("inspections.record")
@require_POST
def evidence_remove(request, pk: int):
    try:
        evidence = selectors.evidence_get(user=request.user, pk=pk)
    except Evidence.DoesNotExist:
        raise Http404 from None
    try:
        services.evidence_remove_from_draft(evidence=evidence, removed_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("Photo removed."))
    return redirect(request.POST.get("next") or reverse("inspections:inspection_fill", args=[evidence.inspection_id]))


@permission_required("inspections.close")
@require_POST
def inspection_close(request, pk: int):
    """INS-2: closed once every finding has an outcome; otherwise the message names each one without."""
    inspection = inspection_or_404(request.user, pk)
    return perform_once(
        request,
        lambda: services.inspection_close(inspection=inspection, closed_by=request.user),
        done_url=inspection_url(inspection),
        success_message=gettext("Inspection %(reference)s closed.") % {"reference": inspection.reference},
    )


class CctvAddView(InspectionFormView):
    permission = "inspections.record"
    form_class = forms.CctvForm
    logs_read = False
    title = _("Cite a CCTV recording")
    submit_label = _("Add")

    def check_step(self):
        permissions.check_edit(self.request.user, self.inspection)

    def perform(self, form):
        return services.evidence_cctv_add(inspection=self.inspection, added_by=self.request.user, **form.cleaned_data)

    def success_message(self, result) -> str:
        return gettext("Recording cited.")

    def success_url_for(self, result) -> str:
        return reverse("inspections:inspection_fill", args=[self.inspection.pk])


class CorrectionView(InspectionFormView):
    """The office corrects an inspection in effect — results and particulars — with a reason; the
    original score stays beside the new one."""

    permission = "inspections.correct"
    template_name = "inspections/correction.html"
    form_class = forms.CorrectionForm
    title = _("Correct the inspection")
    submit_label = _("Save the correction")
    aside_templates = ()

    def check_step(self):
        permissions.check_correct(self.request.user, self.inspection)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"inspection": self.inspection}

    @cached_property
    def rows(self):
        posted = self.request.POST if self.request.method == "POST" else None
        return result_rows(self.inspection, posted=posted)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            rows=self.rows, staff_url=staff_for(self.inspection).url, verdicts=ItemResult.Verdict.choices, **kwargs
        )

    def perform(self, form):
        results = forms.parse_results(
            forms.rows_from_post(self.request.POST), staff=staff_for(self.inspection).queryset
        )
        data = form.cleaned_data
        return services.inspection_correct(
            inspection=self.inspection,
            corrected_by=self.request.user,
            reason=data["reason"],
            results=results,
            lane=data["lane"],
            booth=data["booth"],
            vehicles_sampled=data["vehicles_sampled"],
            summary=data["summary"],
        )

    def success_message(self, result) -> str:
        return gettext("Corrected: the score is now %(score)s (originally %(original)s).") % {
            "score": result.score,
            "original": result.original_score,
        }
