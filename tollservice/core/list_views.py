"""Lists: filter, paginate and export — the list pages of every module build on these.

A list of a module's objects is a ``FilteredListView`` (a django-filter ``FilterView`` behind one
permission) or, when it also downloads, a ``ReportListView``::

    class TalkListView(ReportListView):
        permission = "penalties.talks"            # tollservice/access/permissions.py
        tab = "talks"                             # the navigation tab the page belongs to
        template_name = "penalties/talk_list.html"
        filterset_class = filters.TalkFilter      # a django_filters.FilterSet
        report_class = exports.TalkReport         # a tollservice.core.exports.Report

        def get_queryset(self):
            return selectors.talk_list(user=self.request.user)  # scoped to the user

The template gets ``filter``, ``page_obj`` and, for a report, ``report``, ``rows`` (the page's
rows, as ``Row`` objects) and ``export_queries`` (``{"xlsx": …, "csv": …}``, the query string of
each download); it usually includes ``includes/filter_form.html``, ``includes/report_table.html``,
``includes/export_buttons.html`` and ``includes/pagination.html``. ``?export=xlsx`` (or ``csv``)
on the same URL downloads every filtered row, built from the same rows as the page. An invalid
filter lists nothing rather than everything.

Function views that page through something else use ``page_of(request, objects)``; pagination
links keep the page's other parameters with Django's ``{% querystring page=… %}``.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import QueryDict
from django.utils.functional import cached_property
from django_filters.views import FilterView

from tollservice.access.views import PermissionRequiredMixin
from tollservice.core import exports

PAGE_SIZE = 25
PAGE_PARAM = "page"
EXPORT_PARAM = "export"


def query_without(query: QueryDict, *names: str) -> QueryDict:
    """A mutable copy of ``query`` (say ``request.GET``) without the parameters ``names`` — by
    default without the page number, so that a link keeps the filter but starts at page one."""
    query = query.copy()
    for name in names or (PAGE_PARAM,):
        query.pop(name, None)
    return query


def page_of(request, objects, *, per_page: int = PAGE_SIZE) -> Page:
    """The page of ``objects`` that ``?page=`` asks for (the last one if the number is too big,
    the first one if it is not a number)."""
    return Paginator(objects, per_page).get_page(request.GET.get(PAGE_PARAM))


def requested_export(request) -> str:
    """The download asked for with ``?export=xlsx`` or ``?export=csv``; "" for the page."""
    kind = request.GET.get(EXPORT_PARAM, "")
    return kind if kind in exports.EXPORT_FORMATS else ""


def export_queries(request, **pinned: str) -> dict[str, str]:
    """The page's query string, without its page number, for each download: ``{"xlsx": …, "csv": …}``.

    ``pinned`` parameters are added where the page left them to a default (say, this month), so
    that the download is of what the page showed even if the default changes meanwhile.
    """
    query = query_without(request.GET, PAGE_PARAM)
    for name, value in pinned.items():
        query.setdefault(name, value)
    queries = {}
    for kind in exports.EXPORT_FORMATS:
        query[EXPORT_PARAM] = kind
        queries[kind] = query.urlencode()
    return queries


class TabMixin:
    """Puts the view's ``tab`` (the navigation tab the page belongs to) in the template context."""

    tab = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(tab=self.tab, **kwargs)


class FilteredListView(PermissionRequiredMixin, TabMixin, FilterView):
    """A filtered, paginated list of ``get_queryset()``, behind ``permission``."""

    paginate_by = PAGE_SIZE

    def filtered_queryset(self):
        """The queryset as filtered by the request; nothing when the filter is invalid."""
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return filterset.queryset.none()
        return filterset.qs


class ReportListView(FilteredListView):
    """A filtered list whose rows come from a report; ``?export=xlsx`` (or ``csv``) downloads
    every filtered row (not only the page), built from the same rows."""

    report_class: type[exports.Report] | None = None

    def get_report(self) -> exports.Report:
        return self.report_class()

    @cached_property
    def report(self) -> exports.Report:
        return self.get_report()

    def get(self, request, *args, **kwargs):
        if kind := requested_export(request):
            return self.export(kind)
        return super().get(request, *args, **kwargs)

    def export(self, kind: str):
        objects = self.report.source(self.filtered_queryset()).iterator(chunk_size=exports.EXPORT_CHUNK_SIZE)
        return exports.export_response(kind, self.report, self.report.rows(objects))

    def get_context_data(self, **kwargs):
        # The page is cut from what the report reads (instances, or the tuples of ``values_list``).
        object_list = kwargs.pop("object_list", self.object_list)
        context = super().get_context_data(object_list=self.report.source(object_list), **kwargs)
        page = context.get("page_obj")
        context.update(
            report=self.report,
            rows=list(self.report.rows(page.object_list if page is not None else context["object_list"])),
            export_queries=export_queries(self.request),
        )
        return context
