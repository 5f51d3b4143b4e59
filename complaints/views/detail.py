"""One complaint's page (timeline, people, every step's record, the buttons the reader may
use), its photos, and showing the driver's full phone number or email (logged)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from complaints import access, selectors, services
from complaints.forms.staff import RevealForm
from complaints.models import ComplaintPhoto, Extension, Review
from complaints.views.base import complaint_or_404
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.audit.selectors import recent_history
from tollservice.core.errors import DomainError
from tollservice.core.uploads import private_file_response


@permission_required("complaints.handle")
def complaint_detail(request, pk: int):
    user = request.user
    detail = selectors.complaint_detail(user=user, pk=pk)
    if detail is None:
        raise Http404
    complaint = detail.complaint
    suggestions = []
    if detail.can.get("link_duplicate"):
        suggestions = selectors.duplicate_candidates(user=user, complaint=complaint, limit=5)
    pending_review = next((r for r in detail.reviews if r.status == Review.Status.PENDING), None)
    extension_pending = next((e for e in detail.extensions if e.status == Extension.Status.PENDING), None)
    return render(
        request,
        "complaints/detail.html",
        {
            "tab": "complaints",
            "detail": detail,
            "complaint": complaint,
            "can": detail.can,
            "suggestions": suggestions,
            "pending_review": pending_review,
            "can_decide_review": pending_review is not None and access.can_decide_review(user, pending_review),
            "extension_pending": extension_pending,
            "can_decide_extension": extension_pending is not None
            and has_permission(user, "complaints.approve_extension")
            and extension_pending.requested_by_id != user.pk,
            "photos": list(complaint.photos.all()) if detail.complainant is not None else [],
            "history": recent_history(complaint) if has_permission(user, "audit.view") else None,
        },
    )


@permission_required("complaints.handle")
def complaint_photo(request, pk: int, photo_pk: int):
    """A photo of the complaint, to staff who may see the driver's data (never a person the
    complaint is about); anyone else gets a 404, as for a missing photo."""
    detail_allowed = False
    complaint = selectors.complaint_queryset(user=request.user).filter(pk=pk).first()
    photo = ComplaintPhoto.objects.filter(pk=photo_pk, complaint_id=pk).first()
    if complaint is not None and photo is not None:
        detail_allowed = access.can_see_complainant(request.user, complaint)
    return private_file_response(
        name=photo.file.name if photo else "",
        allowed=detail_allowed,
        content_type=photo.content_type if photo else "",
        download_name=f"{complaint.number}-{photo.pk}" if detail_allowed else "",
    )


@permission_required("complaints.handle")
@never_cache
def reveal_contact(request, pk: int):
    """The driver's full phone number or email, one at a time, with a reason: logged."""
    complaint = complaint_or_404(request.user, pk)
    if not selectors.capabilities(request.user, complaint).get("reveal_contact"):
        raise PermissionDenied
    form = RevealForm(request.POST or None)
    value = ""
    if request.method == "POST" and form.is_valid():
        try:
            value = services.complaint_contact_reveal(complaint=complaint, user=request.user, **form.cleaned_data)
        except DomainError as error:
            error.add_to_form(form)
    return render(
        request,
        "complaints/reveal.html",
        {"tab": "complaints", "complaint": complaint, "form": form, "value": value},
    )
