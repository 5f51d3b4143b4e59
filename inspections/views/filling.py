"""Filling in an inspection on a phone: start it, record each item, add photos, file it.

The form page works as a plain HTML form (every item defaults to compliant; "Save" sends them
all). With JavaScript (``static/js/inspections-form.js``) the draft is also kept on the device —
results and photos, in the browser's IndexedDB — and synced to the server whenever there is a
connection (``inspection_draft``: all results with the ids of the rows already saved, answered
with the live score from the one scoring function), so a lost signal, a reload or a closed tab
loses nothing. Filing is a separate, deliberate step (``InspectionFileView``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django import forms as django_forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from inspections import forms, permissions, rules, services
from inspections.choosers import CHOOSER, team_staff
from inspections.models import Evidence, FindingRecheck, Inspection, ItemResult
from inspections.selectors.lists import team_open_items
from inspections.views._common import InspectionFormView, ServiceFormView, finding_or_404, inspection_or_404
from tollservice.access.views import permission_required
from tollservice.core.errors import DomainError

# The largest draft a phone sends: a few dozen items, a few notes each.
MAX_DRAFT_BYTES = 512 * 1024


@dataclass(frozen=True)
class StaffScope:
    queryset: QuerySet
    url: str


def staff_for(inspection: Inspection) -> StaffScope:
    """Whom a finding of ``inspection`` may name, and the chooser's URL for them."""
    return StaffScope(queryset=team_staff(inspection), url=CHOOSER.url(inspection=inspection.pk))


def _fill_url(inspection: Inspection) -> str:
    return reverse("inspections:inspection_fill", args=[inspection.pk])


def _editable_or_404(request, pk: int, *, read: bool = False) -> Inspection:
    inspection = inspection_or_404(request.user, pk, read=read)
    if not permissions.can(permissions.check_edit, request.user, inspection):
        raise Http404
    return inspection


# --- Start, particulars -------------------------------------------------------------------------------


class InspectionStartView(ServiceFormView):
    permission = "inspections.record"
    form_class = forms.InspectionStartForm
    title = _("New inspection")
    submit_label = _("Start")
    intro = _(
        "Start the inspection here, then record each item on the next page; it is kept on this device "
        "and saved whenever there is a connection. Nothing counts until you file it."
    )

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user}

    def get_cancel_url(self) -> str:
        return reverse("inspections:inspection_list")

    def perform(self, form):
        return services.inspection_start(created_by=self.request.user, **form.start_kwargs())

    def success_message(self, result) -> str:
        return gettext("Inspection started: record each item.")

    def success_url_for(self, result) -> str:
        return _fill_url(result)


class InspectionParticularsView(InspectionFormView):
    """A draft's date and time, team, place and people (a covert visit's time is the visit's)."""

    permission = "inspections.record"
    form_class = forms.InspectionParticularsForm
    title = _("Particulars of the inspection")
    logs_read = False  # only its authors edit a draft

    def check_step(self):
        permissions.check_edit(self.request.user, self.inspection)

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"user": self.request.user, "inspection": self.inspection}

    def perform(self, form):
        return services.inspection_update(inspection=self.inspection, updated_by=self.request.user, **form.changes())

    def get_cancel_url(self) -> str:
        return _fill_url(self.inspection)

    def success_url_for(self, result) -> str:
        return _fill_url(self.inspection)


# --- The results ----------------------------------------------------------------------------------------


def result_rows(inspection: Inspection, *, posted=None) -> list[dict]:
    """The form's rows, item by item: the results saved (or, after a refused post, what was sent),
    and a compliant row for every item without one — so an untouched item counts as compliant."""
    items = list(inspection.checklist_version.items.select_related("category").order_by("order", "code"))
    by_item: dict[int, list[dict]] = {item.pk: [] for item in items}
    if posted is not None:
        for row in forms.rows_from_post(posted):
            try:
                item_id = int(row.get("item", ""))
            except (TypeError, ValueError):
                continue
            if item_id in by_item:
                by_item[item_id].append(
                    {
                        "pk": row.get("pk") or "",
                        "verdict": row.get("verdict") or ItemResult.Verdict.COMPLIANT,
                        "occurrences": row.get("occurrences") or "",
                        "grave": str(row.get("grave", "")).lower() in ("1", "on", "true"),
                        "staff_text": row.get("staff", ""),
                        "staff_pk": row.get("staff_pk", ""),
                        "note": row.get("note", ""),
                    }
                )
    else:
        photos: dict[int, list[Evidence]] = {}
        for evidence in inspection.evidence.filter(kind=Evidence.Kind.PHOTO, finding__isnull=False):
            photos.setdefault(evidence.finding_id, []).append(evidence)
        for result in inspection.results.select_related("staff", "staff__team").order_by("position", "pk"):
            if result.item_id in by_item:
                by_item[result.item_id].append(
                    {
                        "pk": result.pk,
                        "verdict": result.verdict,
                        "occurrences": result.occurrences or "",
                        "grave": result.grave,
                        "staff_text": CHOOSER.text_of(result.staff) if result.staff_id else "",
                        "staff_pk": result.staff_id or "",
                        "note": result.note,
                        "deduction": result.deduction if result.is_finding else None,
                        "photos": photos.get(result.pk, []),
                    }
                )
    rows, index = [], 0
    for item in items:
        entries = by_item[item.pk] or [{"pk": "", "verdict": ItemResult.Verdict.COMPLIANT, "occurrences": ""}]
        group = []
        for entry in entries:
            group.append({"index": index, **entry})
            index += 1
        rows.append({"item": item, "rows": group})
    return rows


def saved_score(inspection: Inspection) -> rules.Score | None:
    """The score the results saved so far give (``rules.score``, through the service); ``None``
    while they cannot be scored (an item recorded both ways)."""
    results = [
        services.ResultInput(item=r.item_id, verdict=r.verdict, occurrences=r.occurrences, grave=r.grave, staff=r.staff)
        for r in inspection.results.select_related("staff")
    ]
    try:
        return services.inspection_live_score(inspection=inspection, results=results)
    except DomainError:
        return None


def _points(value) -> str:
    return f"{value:.2f}"  # Decimal: exact, two places, as on every page


def _score_json(score: rules.Score) -> dict:
    return {
        "score": _points(score.score),
        "deduction": _points(score.deduction),
        "raw_deduction": _points(score.raw_deduction),
        "vetoed": score.vetoed,
        "items": {str(item): _points(item_score.deducted) for item, item_score in score.items.items()},
    }


def _save(request, inspection: Inspection, rows: list[dict], summary: str | None) -> rules.Score:
    """Save the draft's results (and its remarks, if they changed) through the services."""
    # The draft on the device is the truth for a draft: a row it names that is gone from the
    # server (removed from another device) is saved again as a new one rather than refused.
    known = set(inspection.results.values_list("pk", flat=True))
    for row in rows:
        if isinstance(row, dict) and str(row.get("pk") or "").isdigit() and int(row["pk"]) not in known:
            row["pk"] = None
    results = forms.parse_results(rows, staff=staff_for(inspection).queryset)
    if summary is not None and summary != inspection.summary:
        services.inspection_update(inspection=inspection, updated_by=request.user, summary=summary)
    return services.inspection_results_save(inspection=inspection, saved_by=request.user, results=results)


@permission_required("inspections.record")
def inspection_fill(request, pk: int):
    """The phone form (GET), and its plain submission without JavaScript (POST)."""
    # Its authors' own form: not a read of the visit by someone else (INS-6).
    inspection = inspection_or_404(request.user, pk)
    if not permissions.can(permissions.check_edit, request.user, inspection):
        messages.info(request, gettext("This inspection has been filed; it can no longer be filled in."))
        return redirect("inspections:inspection_detail", pk=inspection.pk)
    posted = None
    score = None
    if request.method == "POST":
        try:
            score = _save(request, inspection, forms.rows_from_post(request.POST), request.POST.get("summary", ""))
        except DomainError as error:
            messages.error(request, str(error))
            posted = request.POST
        else:
            messages.success(request, gettext("Saved. Score so far: %(score)s.") % {"score": score.score})
            return redirect(_fill_url(inspection))
    inspection.refresh_from_db()
    staff = staff_for(inspection)
    if score is None and posted is None:
        score = saved_score(inspection)
    groups = result_rows(inspection, posted=posted)
    recheck = team_open_items(user=request.user, team=inspection.team)
    rechecked = {r.finding_id: r for r in FindingRecheck.objects.filter(inspection=inspection)}
    for finding in recheck["findings"]:
        finding.rechecked = rechecked.get(finding.pk)
    return render(
        request,
        "inspections/fill.html",
        {
            "tab": "inspections",
            "inspection": inspection,
            "groups": groups,
            "next_index": sum(len(group["rows"]) for group in groups),
            "score": score,
            "staff_url": staff.url,
            "verdicts": ItemResult.Verdict.choices,
            "general_photos": inspection.evidence.filter(kind=Evidence.Kind.PHOTO, finding__isnull=True),
            "cctv": inspection.evidence.filter(kind=Evidence.Kind.CCTV),
            "findings": inspection.results.findings().select_related("item", "staff"),
            "recheck": recheck,
            "recheck_count": len(recheck["findings"]) + len(recheck["orders"]),
            "photo_form_note_max": 500,
            "saved_at": inspection.updated_at,
        },
    )


@permission_required("inspections.record")
@require_POST
def inspection_draft(request, pk: int):
    """The phone's draft, synced: ``{"rows": [...], "summary": "..."}`` in, the live score and the
    saved rows' ids out (``{"ok": true, "score": {...}, "rows": [{"key": ..., "pk": ...}]}``)."""
    try:
        inspection = inspection_or_404(request.user, pk)
    except Http404:
        return JsonResponse({"ok": False, "error": gettext("This inspection cannot be found.")}, status=404)
    if len(request.body) > MAX_DRAFT_BYTES:
        return HttpResponseBadRequest()
    try:
        payload = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return HttpResponseBadRequest()
    rows = payload.get("rows") if isinstance(payload, dict) else None
    if not isinstance(rows, list):
        return HttpResponseBadRequest()
    if not permissions.can(permissions.check_edit, request.user, inspection):
        return JsonResponse(
            {"ok": False, "locked": True, "error": gettext("This inspection has been filed; it is locked.")},
            status=409,
        )
    summary = payload.get("summary")
    try:
        score = _save(request, inspection, rows, summary if isinstance(summary, str) else None)
    except DomainError as error:
        return JsonResponse({"ok": False, "error": str(error), "field": error.field}, status=400)
    saved = list(inspection.results.order_by("position", "pk").values_list("pk", flat=True))
    keys = [row.get("key") if isinstance(row, dict) else None for row in rows]
    return JsonResponse(
        {
            "ok": True,
            "score": _score_json(score),
            "rows": [{"key": key, "pk": pk} for key, pk in zip(keys, saved, strict=False)],
            "saved_at": timezone.now().isoformat(),
        }
    )


@permission_required("inspections.record")
@require_POST
def evidence_photo_upload(request, pk: int):
    """A photo for a draft (of one of its findings, or of the inspection as a whole).

    The phone names each photo it keeps ``draft-<id>.<ext>``: sent again after a lost answer, the
    same photo is not added twice."""
    inspection = inspection_or_404(request.user, pk)
    wants_json = "application/json" in request.headers.get("Accept", "")
    upload = request.FILES.get("photo")
    finding = None
    try:
        if upload is None:
            raise DomainError(_("Choose a photo."), field="photo")
        if request.POST.get("finding"):
            try:
                finding = inspection.results.get(pk=int(request.POST["finding"]))
            except (ValueError, ItemResult.DoesNotExist):
                raise DomainError(_("This finding belongs to another inspection."), field="finding") from None
        name = (upload.name or "")[:200]
        evidence = None
        if name.startswith("draft-"):
            evidence = Evidence.objects.filter(inspection=inspection, original_name=name, added_by=request.user).first()
        if evidence is None:
            evidence = services.evidence_photo_add(
                inspection=inspection,
                added_by=request.user,
                upload=upload,
                finding=finding,
                note=request.POST.get("note", ""),
            )
    except DomainError as error:
        if wants_json:
            return JsonResponse({"ok": False, "error": str(error)}, status=400)
        messages.error(request, str(error))
        return redirect(_fill_url(inspection))
    if wants_json:
        return JsonResponse(
            {"ok": True, "id": evidence.pk, "url": reverse("inspections:evidence_file", args=[evidence.pk])}
        )
    messages.success(request, gettext("Photo added."))
    return redirect(_fill_url(inspection))


@permission_required("inspections.record")
@require_POST
def finding_recheck(request, pk: int, finding: int):
    """The inspector records whether an earlier finding of the team is fixed."""
    inspection = _editable_or_404(request, pk)
    earlier = finding_or_404(request.user, finding)
    form = forms.RecheckForm(request.POST)
    if form.is_valid():
        try:
            services.finding_recheck_record(
                inspection=inspection, finding=earlier, recorded_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, gettext("Re-check recorded."))
    else:
        messages.error(request, gettext("Say whether it is fixed."))
    return redirect(_fill_url(inspection) + "#recheck")


# --- Filing ----------------------------------------------------------------------------------------------


class InspectionFileView(InspectionFormView):
    """The deliberate last step: the score as it will stand, then "File"."""

    permission = "inspections.record"
    template_name = "inspections/file.html"
    logs_read = False
    form_class = django_forms.Form  # nothing to fill in: the button is the decision
    title = _("File the inspection")
    submit_label = _("File")
    aside_templates = ()

    def check_step(self):
        permissions.check_file(self.request.user, self.inspection)

    def get_context_data(self, **kwargs):
        inspection = self.inspection
        results = list(inspection.results.select_related("item", "staff").order_by("position", "pk"))
        missing = rules.missing_items(
            [item.pk for item in inspection.checklist_version.items.all()], [rules.Entry.of(r) for r in results]
        )
        score = saved_score(inspection)
        return super().get_context_data(
            score=score,
            findings=[r for r in results if r.is_finding],
            missing=inspection.checklist_version.items.filter(pk__in=missing).order_by("order", "code"),
            editable=permissions.can(permissions.check_file, self.request.user, inspection),
            **kwargs,
        )

    def get_cancel_url(self) -> str:
        return _fill_url(self.inspection)

    def perform(self, form):
        return services.inspection_file(inspection=self.inspection, filed_by=self.request.user)

    def success_message(self, result) -> str:
        if result.status == Inspection.Status.SUBMITTED:
            return gettext("Submitted: the office reviews the visit before it takes effect.")
        return gettext("Filed: score %(score)s.") % {"score": result.score}

    def success_url_for(self, result) -> str:
        return reverse("inspections:inspection_detail", args=[result.pk])
