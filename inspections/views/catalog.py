"""The office's checklist editor — versions with the date they take effect, their items, publishing
— and the module's settings (coverage targets, time limits)."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from inspections import forms, permissions, selectors, services
from inspections.models import ChecklistItem, ChecklistVersion, InspectionSettings
from inspections.rules import FULL_MARKS, ZERO
from inspections.views._common import ServiceFormView
from tollservice.access.permissions import has_permission
from tollservice.access.views import permission_required
from tollservice.core.errors import DomainError


def _version_or_404(user, pk: int) -> ChecklistVersion:
    try:
        return selectors.checklist_versions(user=user).get(pk=pk)
    except ChecklistVersion.DoesNotExist:
        raise Http404 from None


def _version_url(version: ChecklistVersion) -> str:
    return reverse("inspections:version_detail", args=[version.pk])


@permission_required("inspections.view")
def version_list(request):
    return render(
        request,
        "inspections/version_list.html",
        {
            "tab": "checklist",
            "versions": selectors.checklist_versions(user=request.user),
            "can_edit": has_permission(request.user, "inspections.catalog"),
        },
    )


@permission_required("inspections.view")
def version_detail(request, pk: int):
    version = _version_or_404(request.user, pk)
    items = list(selectors.checklist_items(version=version))
    return render(
        request,
        "inspections/version_detail.html",
        {
            "tab": "checklist",
            "version": version,
            "items": items,
            "total": sum((item.points for item in items), ZERO),
            "full_marks": FULL_MARKS,
            "can_edit": permissions.can(permissions.check_catalog_edit, request.user, version),
        },
    )


class _CatalogFormView(ServiceFormView):
    permission = "inspections.catalog"
    tab = "checklist"


class VersionDraftView(_CatalogFormView):
    form_class = forms.VersionDraftForm
    title = _("Draft a new checklist version")
    submit_label = pgettext_lazy("button", "Draft")
    intro = _(
        "The draft starts as a copy of the version it is based on. Change its items, then publish it: from "
        "the date it takes effect new inspections are scored with it, while inspections already held keep theirs."
    )

    def get_cancel_url(self) -> str:
        return reverse("inspections:version_list")

    def perform(self, form):
        return services.checklist_version_draft(created_by=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return _version_url(result)


class _VersionFormView(_CatalogFormView):
    def check_step(self):
        permissions.check_catalog_edit(self.request.user, self.version)

    @cached_property
    def version(self) -> ChecklistVersion:
        return _version_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(version=self.version, **kwargs)

    def get_cancel_url(self) -> str:
        return _version_url(self.version)

    def success_url_for(self, result) -> str:
        return _version_url(self.version)


class VersionUpdateView(_VersionFormView):
    form_class = forms.VersionUpdateForm
    title = _("Edit the draft version")

    def get_initial(self):
        return {"effective_from": self.version.effective_from, "note": self.version.note}

    def perform(self, form):
        return services.checklist_version_update(
            version=self.version, updated_by=self.request.user, **form.cleaned_data
        )


class VersionPublishView(_VersionFormView):
    form_class = django_forms.Form
    title = _("Publish the checklist version")
    submit_label = _("Publish")
    intro = _("A published version is never changed again. Its items' points must add up to 100.")

    def perform(self, form):
        return services.checklist_version_publish(version=self.version, published_by=self.request.user)

    def success_message(self, result) -> str:
        return gettext("Published: in force from %(date)s.") % {"date": result.effective_from.isoformat()}


class ItemCreateView(_VersionFormView):
    form_class = forms.ChecklistItemForm
    title = _("New checklist item")
    submit_label = _("Add")

    def perform(self, form):
        return services.checklist_item_save(version=self.version, saved_by=self.request.user, **form.cleaned_data)


class ItemUpdateView(_CatalogFormView):
    form_class = forms.ChecklistItemForm
    submit_label = _("Save")

    @cached_property
    def item(self) -> ChecklistItem:
        try:
            return ChecklistItem.objects.select_related("version").get(
                pk=self.kwargs["pk"], version__in=selectors.checklist_versions(user=self.request.user)
            )
        except ChecklistItem.DoesNotExist:
            raise Http404 from None

    def check_step(self):
        permissions.check_catalog_edit(self.request.user, self.item.version)

    def get_title(self) -> str:
        return gettext("Edit item %(code)s") % {"code": self.item.code}

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": self.item}

    def perform(self, form):
        return services.checklist_item_save(
            version=self.item.version, saved_by=self.request.user, item=self.item, **form.cleaned_data
        )

    def get_cancel_url(self) -> str:
        return _version_url(self.item.version)

    def success_url_for(self, result) -> str:
        return _version_url(self.item.version)


@permission_required("inspections.catalog")
@require_POST
def item_remove(request, pk: int):
    item = ChecklistItem.objects.filter(pk=pk).select_related("version").first()
    if item is None:
        raise Http404
    try:
        services.checklist_item_remove(item=item, removed_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("Item %(code)s removed.") % {"code": item.code})
    return redirect(_version_url(item.version))


class SettingsView(ServiceFormView):
    permission = "inspections.settings"
    tab = "settings"
    form_class = forms.SettingsForm
    title = _("Inspection settings")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"instance": InspectionSettings.current()}

    def get_cancel_url(self) -> str:
        return reverse("inspections:inspection_list")

    def perform(self, form):
        return services.inspection_settings_change(changed_by=self.request.user, **form.cleaned_data)

    def success_url_for(self, result) -> str:
        return reverse("inspections:settings")
