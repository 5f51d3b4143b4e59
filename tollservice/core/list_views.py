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

Pages are keyset pages (``tollservice.core.pagination``): ``?after=…`` / ``?before=…`` /
``?page=last``, read through an index in the list's ordering however deep the page, so the
queryset's ordering must end with a unique field (``…, "pk"``). ``page_obj`` is a ``KeysetPage``
(``object_list``, ``has_next``, ``first_url`` … ``last_url``, ``count`` up to ``COUNT_CAP``);
``includes/pagination.html`` draws its links and ``includes/row_count.html`` its count.
Function views that page through something else (a queryset, or a list) use
``page_of(request, objects)``.

What each row needs beyond its queryset (a penalty's balance, say) is computed for the page's
rows only, in ``page_extras(objects)``: one query for the page, not one over every filtered row.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.functional import cached_property
from django_filters.views import FilterView

from tollservice.access.views import PermissionRequiredMixin
from tollservice.core import exports
from tollservice.core.pagination import CURSOR_PARAMS, KeysetPage, paginate

PAGE_SIZE = 25
EXPORT_PARAM = "export"


def query_without(query: QueryDict, *names: str) -> QueryDict:
    """A mutable copy of ``query`` (say ``request.GET``) without the parameters ``names`` — by
    default without the page's cursor, so that a link keeps the filter but starts at the first page."""
    query = query.copy()
    for name in names or CURSOR_PARAMS:
        query.pop(name, None)
    return query


def page_of(request, objects, *, per_page: int = PAGE_SIZE, count_of: QuerySet | int | None = None) -> KeysetPage:
    """The page of ``objects`` (a queryset ordered down to a unique field, or a sequence) that
    the request's ``?after=`` / ``?before=`` / ``?page=last`` asks for; the first page otherwise.
    ``count_of``: the same rows as a queryset that counts them more cheaply, if there is one, or
    their number when it is known already."""
    return paginate(request, objects, per_page=per_page, count_of=count_of)


def requested_export(request) -> str:
    """The download asked for with ``?export=xlsx`` or ``?export=csv``; "" for the page."""
    kind = request.GET.get(EXPORT_PARAM, "")
    return kind if kind in exports.EXPORT_FORMATS else ""


def export_queries(request, **pinned: str) -> dict[str, str]:
    """The page's query string, without its page number, for each download: ``{"xlsx": …, "csv": …}``.

    ``pinned`` parameters are added where the page left them to a default (say, this month), so
    that the download is of what the page showed even if the default changes meanwhile.
    """
    query = query_without(request.GET)
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
        """The queryset as filtered by the request; nothing when the filter is invalid. Built
        once per request (a download that logs its rows first asks for it twice); callers
        chain on it, which copies it."""
        return self._filtered

    @cached_property
    def _filterset(self):
        return self.get_filterset(self.get_filterset_class())

    @cached_property
    def _filtered(self):
        if self.filter_values is None:
            return self._filterset.queryset.none()
        return self._filterset.qs

    @cached_property
    def filter_values(self) -> dict | None:
        """The filters as the form read them (its cleaned data); ``None`` when they are invalid."""
        filterset = self._filterset
        if filterset.is_bound and not filterset.is_valid():
            return None
        return filterset.form.cleaned_data if filterset.is_bound else {}

    def get_count_queryset(self):
        """The list's rows written to be counted, when the database counts them more cheaply
        than it reads a page of ``get_queryset()`` (the same rows; the request's filters are
        applied to it alike); ``None``: the filtered list is counted."""
        return None

    def row_count(self, filtered):
        """What counts the filtered rows: the filtered queryset (read up to a cap), the same
        filters on ``get_count_queryset()``, or the number itself when the view knows it
        already (from kept totals)."""
        to_count = self.get_count_queryset()
        if to_count is not None:
            if self.filter_values is None:
                return 0
            bound = self._filterset.data if self._filterset.is_bound else None
            return self.get_filterset_class()(bound, queryset=to_count, request=self.request).qs
        return filtered if isinstance(filtered, QuerySet) else None

    def paginate_queryset(self, queryset, page_size):
        # Counted on the filtered queryset, not on the columns a report reads from it.
        filtered = getattr(self, "object_list", None)
        page = paginate(self.request, queryset, per_page=page_size, count_of=self.row_count(filtered))
        self.page_extras(page.object_list)
        return page.paginator, page, page.object_list, page.has_other_pages()

    def page_extras(self, objects: list) -> None:
        """Attach to the page's rows what they show beyond their queryset (one query for the
        page, never one over every filtered row). Nothing by default."""


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

    def export_queryset(self):
        """What a download lists: every filtered row, with what its rows show beyond the page's
        queryset (the page gets that from ``page_extras``)."""
        return self.filtered_queryset()

    def export(self, kind: str):
        objects = self.report.source(self.export_queryset()).iterator(chunk_size=exports.EXPORT_CHUNK_SIZE)
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
