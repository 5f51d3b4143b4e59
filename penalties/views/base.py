"""Shared pieces of the penalties pages: the form view that calls a service, the filtered list
that also exports to Excel, and the lookups that turn an object outside the user's scope into
a 404."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django_filters.views import FilterView

from penalties import exports, selectors
from penalties.models import Penalty
from tollservice.access.views import PermissionRequiredMixin
from tollservice.core.service_views import ServiceFormView as BaseServiceFormView


def penalty_or_404(user, pk: int) -> Penalty:
    """The penalty, if it is in the user's scope; otherwise a 404, as if it did not exist."""
    try:
        return selectors.penalty_detail(user=user, pk=pk)
    except Penalty.DoesNotExist:
        raise Http404 from None


class TabMixin:
    tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(tab=self.tab, **kwargs)


class ServiceFormView(BaseServiceFormView):
    """The penalties pages' form view: a notice above the form and cards beside it."""

    template_name = "penalties/form.html"
    intro = ""
    danger = False
    # Cards shown beside the form: what the step acts on, what the rule will do.
    aside_templates: tuple[str, ...] = ()

    def get_context_data(self, **kwargs):
        warning = self.get_warning()
        form = kwargs.get("form")
        # A stale form (the fine was paid meanwhile) comes back with the service's refusal, which
        # says what the warning says; the form error alone is enough.
        if warning and form is not None and warning in (str(error) for error in form.non_field_errors()):
            warning = ""
        return super().get_context_data(
            intro=self.intro,
            warning=warning,
            danger=self.danger,
            aside_templates=self.aside_templates,
            **kwargs,
        )

    def get_warning(self) -> str:
        return ""


class PenaltyFormView(ServiceFormView):
    """A step on one penalty; the penalty is looked up in the user's scope."""

    tab = "penalties"
    aside_templates = ("penalties/includes/penalty_summary.html",)

    @cached_property
    def penalty(self) -> Penalty:
        return penalty_or_404(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(penalty=self.penalty, **kwargs)

    def get_cancel_url(self) -> str:
        return self.penalty_url()

    def penalty_url(self) -> str:
        return reverse("penalties:penalty_detail", args=[self.penalty.pk])

    def success_url_for(self, result) -> str:
        return self.penalty_url()


EXPORT_PARAM = "export"


def requested_export(request) -> str:
    """The download asked for with ``?export=xlsx`` or ``?export=csv``; "" for the page."""
    kind = request.GET.get(EXPORT_PARAM, "")
    return kind if kind in exports.EXPORT_FORMATS else ""


def export_queries(request, **pinned: str) -> dict[str, str]:
    """The page's query string, without its page number, for each download: ``{"xlsx": …, "csv": …}``.

    ``pinned`` parameters are added where the page left them to a default (say, this month), so
    that the download is of what the page showed even if the default changes meanwhile.
    """
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in pinned.items():
        query.setdefault(name, value)
    queries = {}
    for kind in exports.EXPORT_FORMATS:
        query[EXPORT_PARAM] = kind
        queries[kind] = query.urlencode()
    return queries


class ReportListView(PermissionRequiredMixin, TabMixin, FilterView):
    """A filtered, paginated list whose rows come from a report; ``?export=xlsx`` (or ``csv``)
    downloads every filtered row (not only the page), built from the same rows."""

    paginate_by = 25
    report_class: type[exports.Report] | None = None

    def get_report(self) -> exports.Report:
        return self.report_class()

    def get(self, request, *args, **kwargs):
        if kind := requested_export(request):
            return self.export(kind)
        return super().get(request, *args, **kwargs)

    def filtered_queryset(self):
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return filterset.queryset.none()
        return filterset.qs

    def export(self, kind: str):
        report = self.get_report()
        return exports.export_response(kind, report, report.rows(self.filtered_queryset().iterator(chunk_size=500)))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop(EXPORT_PARAM, None)
        report = self.get_report()
        context.update(
            report=report,
            rows=list(report.rows(context["page_obj"].object_list if context.get("page_obj") else [])),
            query_string=query.urlencode(),
            export_queries=export_queries(self.request),
        )
        return context
