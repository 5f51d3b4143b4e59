"""Keyset ("seek") pagination: every list pages by the values of its ordering, not by OFFSET.

A page number makes the database read and throw away every row before the page: the last page
of 200,000 penalties reads 200,000 rows. A keyset page asks for the rows *after* (or *before*)
the boundary row of the page the reader came from, which an index that matches the ordering
finds directly, however deep the page::

    ?                 the first page
    ?after=<token>    the page after the row the token names (the "Next" link)
    ?before=<token>   the page before it ("Previous")
    ?page=last        the last page (the ordering reversed, its first rows, turned back)

``FilteredListView`` / ``ReportListView`` and ``page_of()`` (``tollservice.core.list_views``) use
it without anything to configure: ``paginate(request, objects, per_page=…)`` returns a
``KeysetPage``, whose links keep every other parameter of the request (the filter) and drop the
other cursor. ``?page=1`` (or any page number: there are none) is the first page.

**The ordering** is the queryset's ``order_by()`` (or its model's ``Meta.ordering``): field names,
``-name`` for descending, lookups through relations (``"staff__name"``), ``F(…).asc(nulls_last=…)``
and annotations. It must end with a unique field of the listed model that is never NULL (``pk``,
say ``order_by("-incident_date", "-pk")``) — or include every field of a unique constraint —, so
that no two rows share a boundary; otherwise ``ImproperlyConfigured`` says so at the first request.
Directions may be mixed.

**NULL in an ordering field** is handled: a NULL sorts where the database puts it (PostgreSQL as
larger than any value, SQLite as smaller) unless the ordering says ``nulls_first`` or
``nulls_last``; the condition for the next page follows the same rule, so no row is skipped or
shown twice.

**The token** is the boundary row's ordering values, signed (``django.core.signing``, salted with
the ordering, so a token from another list or a hand-edited one is refused) and converted back by
the ordering fields' own ``to_python``. A token that does not verify is the first page, never an
error. A page *after* the last row shows the last page, a page *before* the first row the first
page. Going back from the last page (which is full) ends on a short first page, so that every row
is shown once either way; the "First" link gives the full first page.

**Counting** stops at ``COUNT_CAP`` rows (``SELECT COUNT(*) FROM (… LIMIT COUNT_CAP + 1)``): a
count reads every row it counts, so a list of 200,000 rows says "more than 10,000"
(``includes/row_count.html``) instead of reading them all on every page.

**A list whose scope is a union** (a team leader sees their teams' rows *or* their own *or* what
names them) has no single index in its order: the database would find each part and sort them
all, rows that grow with the team. ``in_branches(queryset, conditions)`` names the parts; a page
then reads the page's rows of each part through that part's own index (the list's condition, the
cursor's and the part's, in the list's order, limited), and merges them: a few bounded queries
instead of one that sorts the whole scope. The queryset itself (counts, downloads) is unchanged.

Sequences (a list a view built in Python) page the same way, by position.
"""

from __future__ import annotations

import datetime
import decimal
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.query import FlatValuesListIterable, ModelIterable, ValuesIterable
from django.http import QueryDict

PAGE_PARAM = "page"
AFTER_PARAM = "after"
BEFORE_PARAM = "before"
LAST_PAGE = "last"
CURSOR_PARAMS = (PAGE_PARAM, AFTER_PARAM, BEFORE_PARAM)
# A count reads every row it counts: beyond this many, a list says "more than COUNT_CAP".
COUNT_CAP = 10_000
_SALT = "tollservice.core.pagination"


# --- The ordering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Key:
    """One term of the ordering: what to compare, in which direction, and where NULL sorts."""

    name: str  # a lookup path ("incident_date", "staff__name", "pk") or an annotation
    descending: bool
    nulls_first: bool | None  # as the ordering says; None: where the database puts them
    field: Any  # the model field (or the annotation's output field) that reads a token back
    nullable: bool
    expression: Any = None  # an ordering by an expression (``Case``…): compared as an alias

    def order(self, *, reverse: bool = False) -> OrderBy:
        descending = self.descending != reverse
        if self.nulls_first is None:
            return OrderBy(F(self.name), descending=descending)
        first = self.nulls_first != reverse
        return OrderBy(F(self.name), descending=descending, nulls_first=first or None, nulls_last=not first or None)

    def nulls_come_first(self, connection) -> bool:
        """Whether NULL precedes every value in this term's order (the forward order)."""
        if self.nulls_first is not None:
            return self.nulls_first
        # A database puts NULL either above every value or below it; descending turns that over.
        return connection.features.nulls_order_largest == self.descending


def ordering_of(queryset: QuerySet) -> list[Key]:
    """The keys of ``queryset``'s ordering; ``ImproperlyConfigured`` when it cannot be paged."""
    query = queryset.query
    terms = list(query.order_by) or (list(queryset.model._meta.ordering) if query.default_ordering else [])
    if query.extra_order_by:
        raise ImproperlyConfigured("A paged list cannot be ordered with extra(order_by=…)")
    keys = [_key(queryset, term, index) for index, term in enumerate(terms)]
    if not _total(queryset.model, keys):
        raise ImproperlyConfigured(
            f"{queryset.model.__name__} list: its ordering {terms!r} must end with a unique field that is never "
            "NULL (add 'pk') so that it can be paged by keyset"
        )
    return keys


def _key(queryset: QuerySet, term, index: int) -> Key:
    nulls_first = None
    if isinstance(term, str):
        if term == "?" or "." in term:
            raise ImproperlyConfigured(f"A paged list cannot be ordered by {term!r}")
        descending, name = term.startswith("-"), term.lstrip("-")
    else:
        if not isinstance(term, OrderBy):
            term = term.asc()
        descending = term.descending
        nulls_first = True if term.nulls_first else (False if term.nulls_last else None)
        if not isinstance(term.expression, F):  # say ``shift_order()``: compared under a name of its own
            expression = term.expression
            return Key(f"_keyset_{index}", descending, nulls_first, expression.output_field, True, expression)
        name = term.expression.name
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return Key(name, descending, nulls_first, annotation.output_field, nullable=True)
    field, nullable = _resolve(queryset.model, name)
    return Key(name, descending, nulls_first, field, nullable)


def _resolve(model, path: str):
    """The field a lookup path ends on, and whether it can be NULL (a nullable relation on the
    way is a LEFT JOIN: NULL too)."""
    nullable = False
    parts = path.split("__")
    for index, part in enumerate(parts):
        try:
            field = model._meta.pk if part == "pk" else model._meta.get_field(part)
        except FieldDoesNotExist:
            raise ImproperlyConfigured(f"{model.__name__} has no field {part!r} (ordering {path!r})") from None
        nullable = nullable or field.null
        if index == len(parts) - 1:
            if field.is_relation and part != field.attname:
                # Django orders by a relation with the related model's own ordering: name it.
                raise ImproperlyConfigured(
                    f"Order the list by {path}_id or by a field of {part!r}, not by the relation {path!r}"
                )
            return field, nullable
        if not field.is_relation or field.many_to_many or field.one_to_many:
            raise ImproperlyConfigured(f"Ordering {path!r}: {part!r} is not a forward relation to one row")
        model = field.related_model
    raise ImproperlyConfigured(f"Empty ordering term {path!r}")  # pragma: no cover


def _total(model, keys: list[Key]) -> bool:
    """Whether no two rows can tie on every key: the keys include a unique field of the model,
    or every field of a unique constraint, none of them NULL."""
    own = {key.field.name for key in keys if "__" not in key.name and key.expression is None and not key.nullable}
    if not own:
        return False
    meta = model._meta
    unique_sets = [{field.name} for field in meta.concrete_fields if field.unique and not field.null]
    unique_sets += [set(fields) for fields in meta.unique_together]
    unique_sets += [
        set(constraint.fields)
        for constraint in meta.total_unique_constraints  # without a condition or expressions
    ]
    return any(fields <= own for fields in unique_sets)


# --- Tokens -----------------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | datetime.timedelta):
        return str(value)
    return value


def _salt(keys: list[Key]) -> str:
    return _SALT + ":" + ",".join(f"{'-' if k.descending else ''}{k.name}" for k in keys)


def make_token(keys: list[Key], values: Sequence) -> str:
    return signing.dumps([_plain(value) for value in values], salt=_salt(keys))


def read_token(keys: list[Key], token: str) -> list | None:
    """The boundary values a token carries, typed by the ordering's fields; ``None`` if it does
    not verify or does not fit."""
    try:
        values = signing.loads(token, salt=_salt(keys))
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    typed = []
    for key, value in zip(keys, values, strict=True):
        if value is None:
            if not key.nullable:
                return None
            typed.append(None)
            continue
        try:
            typed.append(key.field.to_python(value))
        except (ValidationError, TypeError, ValueError):
            return None
    return typed


# --- The condition for the next page ------------------------------------------------------------


def _after(keys: list[Key], values: list, connection, *, reverse: bool) -> Q:
    """Rows strictly after the boundary row in the ordering (before it, with ``reverse``).

    ``(a, b, pk) > (x, y, z)`` is ``a > x OR (a = x AND (b > y OR (b = y AND pk > z)))``, each
    comparison turned for descending terms and NULL placed as it sorts. A bound on the first
    key alone is added in front, so the database starts its index range scan there."""
    pairs = list(zip(keys, values, strict=True))
    condition = _beyond(*pairs[-1], connection, reverse=reverse)  # the last key is unique: no ties
    for key, value in reversed(pairs[:-1]):
        condition = _beyond(key, value, connection, reverse=reverse) | (_equal(key, value) & condition)
    first, value = keys[0], values[0]
    if value is not None and not first.nullable:
        lookup = "gte" if first.descending == reverse else "lte"
        condition = Q(**{f"{first.name}__{lookup}": value}) & condition
    return condition


def _equal(key: Key, value) -> Q:
    return Q(**{f"{key.name}__isnull": True}) if value is None else Q(**{key.name: value})


def _beyond(key: Key, value, connection, *, reverse: bool) -> Q:
    """Rows whose ``key`` sorts strictly after ``value`` (before it, with ``reverse``)."""
    nulls_after = key.nulls_come_first(connection) == reverse  # NULL is met after every value
    if value is None:
        return ~Q(**{f"{key.name}__isnull": True}) if not nulls_after else Q(pk__in=[])
    lookup = "gt" if key.descending == reverse else "lt"
    beyond = Q(**{f"{key.name}__{lookup}": value})
    if key.nullable and nulls_after:
        beyond |= Q(**{f"{key.name}__isnull": True})
    return beyond


# --- Lists whose scope is a union ---------------------------------------------------------------

_BRANCHES = "keyset_branches"  # kept on the query, which every clone copies


def in_branches(queryset: QuerySet, conditions: Sequence[Q | Callable[[], Q]] | None) -> QuerySet:
    """``queryset`` paged as the union of ``conditions`` (see the module's docstring): each one,
    added to the queryset's own filter, must be read through an index in the list's order, and
    every row of the queryset must meet one of them at least. ``None``: one index serves.

    A condition may be a function that makes it when a page is read (say, the keys of a reader's
    few own rows, read first: a list of keys rather than a subquery the database would join to
    the whole table)."""
    queryset = queryset.all()
    setattr(queryset.query, _BRANCHES, tuple(conditions) if conditions else ())
    return queryset


def branches_of(queryset: QuerySet) -> tuple[Q, ...]:
    return getattr(queryset.query, _BRANCHES, ())


# --- Reading a row's key -------------------------------------------------------------------------


def _row_names(queryset: QuerySet) -> list[str] | None:
    """The names of a ``values()``/``values_list()`` queryset's columns, in order; ``None`` for
    model instances."""
    if issubclass(queryset._iterable_class, ModelIterable):
        return None
    query = queryset.query
    if queryset._fields:
        return [*queryset._fields, *(a for a in query.annotation_select if a not in queryset._fields)]
    return [*query.extra_select, *query.values_select, *query.annotation_select]


def _reader(queryset: QuerySet, keys: list[Key]):
    """A function from a row (instance, dict or tuple) to its ordering values; ``None`` for
    ``values()`` rows without every ordering column."""
    names = _row_names(queryset)
    if names is None:
        paths = [key.name.split("__") for key in keys]

        def of_instance(row):
            values = []
            for path in paths:
                value = row
                for part in path:
                    value = None if value is None else getattr(value, part)
                values.append(value)
            return values

        return of_instance
    positions = []
    for key in keys:
        candidates = [key.name]
        if key.name == "pk" or key.name.endswith("__pk"):
            candidates.append(key.name[: -len("pk")] + key.field.attname)
        if key.name.endswith("_id"):
            candidates.append(key.name[: -len("_id")])
        position = next((names.index(c) for c in candidates if c in names), None)
        if position is None:
            return None  # the rows do not carry their keys: they are read beside them
        positions.append(position)
    if issubclass(queryset._iterable_class, ValuesIterable):
        column_names = [names[p] for p in positions]
        return lambda row: [row[name] for name in column_names]
    if issubclass(queryset._iterable_class, FlatValuesListIterable):
        return lambda row: [row]
    return lambda row: [row[p] for p in positions]


# --- Pages ------------------------------------------------------------------------------------


@dataclass
class Count:
    """How many rows the list has, counted up to ``COUNT_CAP`` (``capped``: more than that)."""

    value: int
    capped: bool
    per_page: int

    @property
    def count(self) -> int:
        return self.value

    @property
    def num_pages(self) -> int:
        """Pages of the rows counted (at least one): approximate when the count is capped."""
        return max(1, math.ceil(self.value / self.per_page))


class KeysetPage(Sequence):
    """One page of a list: its rows (``object_list``), whether there are others, and the links.

    Also readable as Django's ``Page`` where templates and tests used it: iterable, indexable,
    ``paginator.count`` (the capped count)."""

    def __init__(
        self,
        object_list: list,
        *,
        query: QueryDict,
        has_previous: bool,
        has_next: bool,
        is_last: bool,
        previous_token: str = "",
        next_token: str = "",
        counter,
    ):
        self.object_list = object_list
        self.query = query
        self._has_previous, self._has_next, self.is_last = has_previous, has_next, is_last
        self.previous_token, self.next_token = previous_token, next_token
        self._counter = counter

    def __repr__(self) -> str:
        return f"<KeysetPage of {len(self.object_list)} rows>"

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_previous(self) -> bool:
        return self._has_previous

    def has_next(self) -> bool:
        return self._has_next

    def has_other_pages(self) -> bool:
        return self._has_previous or self._has_next

    @property
    def paginator(self) -> Count:
        """The count of the list (counted on first use: a page that does not show it costs nothing)."""
        if callable(self._counter):
            self._counter = self._counter()
        return self._counter

    @property
    def count(self) -> int:
        return self.paginator.value

    @property
    def count_capped(self) -> bool:
        return self.paginator.capped

    # Links: the request's query string with one cursor changed, the others and the page dropped.
    def _link(self, **cursor: str) -> str:
        query = self.query.copy()
        for name in CURSOR_PARAMS:
            query.pop(name, None)
        for name, value in cursor.items():
            query[name] = value
        return f"?{query.urlencode()}" if query else "?"

    @property
    def first_url(self) -> str:
        return self._link()

    @property
    def previous_url(self) -> str:
        if not self._has_previous:
            return ""
        return self._link(**{BEFORE_PARAM: self.previous_token}) if self.previous_token else self._link()

    @property
    def next_url(self) -> str:
        return self._link(**{AFTER_PARAM: self.next_token}) if self._has_next else ""

    @property
    def last_url(self) -> str:
        return self._link(**{PAGE_PARAM: LAST_PAGE})


def capped_count(objects, cap: int | None = None) -> tuple[int, bool]:
    """How many rows ``objects`` has, reading no more than ``cap`` (``COUNT_CAP``) + 1 of them:
    (count, more)."""
    cap = COUNT_CAP if cap is None else cap
    if not isinstance(objects, QuerySet):
        counted = len(objects)
    elif branches := branches_of(objects):
        counted = _count_in_branches(objects, branches, cap + 1)
    else:
        counted = objects.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def _count_in_branches(queryset: QuerySet, branches, limit: int) -> int:
    """How many of the rows of a list read in branches there are, up to about ``limit``: its
    condition as a whole is an OR that no one index serves (counted as a whole, the database
    would read the table), so each branch reads up to ``limit`` keys through its own index and
    their union (a row met in two branches counted once) is counted, in one query."""
    parts, params = [], []
    for number, condition in enumerate(branches):
        part = queryset.filter(condition() if callable(condition) else condition).order_by().values("pk")[:limit]
        try:
            sql, part_params = part.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # a branch that can hold no row (the keys of no own rows)
            continue
        parts.append(f"SELECT * FROM ({sql}) AS branch_{number}")
        params.extend(part_params)
    if not parts:
        return 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({' UNION '.join(parts)}) AS rows_in_branches", params)
        return cursor.fetchone()[0]


def paginate(request_or_query, objects, *, per_page: int, count_of: QuerySet | int | None = None) -> KeysetPage:
    """The page of ``objects`` (a queryset, or a sequence) that the request's cursor asks for.

    ``count_of`` is what the count reads when it is not ``objects`` itself: the filtered queryset
    whose ``values_list()`` a report pages, since those columns' joins would stay in the count and
    turn its index read into a scan of the table; or the number of rows, when it is known already
    (kept totals)."""
    query = getattr(request_or_query, "GET", request_or_query)
    if isinstance(objects, QuerySet):
        return _QuerysetPages(objects, per_page, count_of=count_of).page(query)
    return _SequencePages(list(objects), per_page).page(query)


class _Pages:
    """Fetching pages: subclasses say how to read the first, last, after and before rows."""

    def __init__(self, per_page: int):
        self.per_page = per_page

    def page(self, query: QueryDict) -> KeysetPage:
        n = self.per_page
        after, before = query.get(AFTER_PARAM), query.get(BEFORE_PARAM)
        if after and (boundary := self.read(after)) is not None:
            rows = self.fetch(boundary, n + 1, reverse=False)
            if rows:
                return self.make(query, rows[:n], has_previous=True, has_next=len(rows) > n)
            return self.last(query)  # nothing after it any more: the end of the list
        if before and (boundary := self.read(before)) is not None:
            rows = self.fetch(boundary, n + 1, reverse=True)
            if rows:  # fewer than a page: the start of the list, short (no row is shown twice)
                return self.make(query, rows[:n][::-1], has_previous=len(rows) > n, has_next=True)
            # Nothing before it any more: the first page.
        elif query.get(PAGE_PARAM) == LAST_PAGE:
            return self.last(query)
        rows = self.fetch(None, n + 1, reverse=False)
        return self.make(query, rows[:n], has_previous=False, has_next=len(rows) > n)

    def last(self, query: QueryDict) -> KeysetPage:
        n = self.per_page
        rows = self.fetch(None, n + 1, reverse=True)
        return self.make(query, rows[:n][::-1], has_previous=len(rows) > n, has_next=False, is_last=True)

    def make(self, query, rows, *, has_previous: bool, has_next: bool, is_last: bool = False) -> KeysetPage:
        objects = [row for _key, row in rows]
        return KeysetPage(
            objects,
            query=query,
            has_previous=has_previous,
            has_next=has_next,
            is_last=is_last or not has_next,
            previous_token=self.token(rows[0][0]) if rows and has_previous else "",
            next_token=self.token(rows[-1][0]) if rows and has_next else "",
            counter=self.count,
        )

    def count(self) -> Count:
        if isinstance(self.count_of, int):  # known already (kept totals): exact, nothing to read
            return Count(self.count_of, False, self.per_page)
        value, capped = capped_count(self.count_of)
        return Count(value, capped, self.per_page)


class _QuerysetPages(_Pages):
    def __init__(self, queryset: QuerySet, per_page: int, *, count_of: QuerySet | int | None = None):
        super().__init__(per_page)
        self.objects = queryset
        self.count_of = queryset if count_of is None else count_of
        self.keys = ordering_of(queryset)
        self.expressions = {key.name: key.expression for key in self.keys if key.expression is not None}
        self.key_of = None if self.expressions else _reader(queryset, self.keys)
        self.connection = connections[queryset.db]
        self.branches = branches_of(queryset)
        if self.branches and (self.key_of is None or any(key.nullable for key in self.keys)):
            raise ImproperlyConfigured(
                f"{queryset.model.__name__} list: a list read in branches is ordered by fields that are never NULL "
                "and its rows carry them"
            )

    def read(self, token: str):
        return read_token(self.keys, token)

    def token(self, values) -> str:
        return make_token(self.keys, values)

    def fetch(self, boundary, limit: int, *, reverse: bool) -> list[tuple[list, Any]]:
        queryset = self.objects
        if self.expressions:
            queryset = queryset.alias(**self.expressions)
        if boundary is not None:
            queryset = queryset.filter(_after(self.keys, boundary, self.connection, reverse=reverse))
        queryset = queryset.order_by(*(key.order(reverse=reverse) for key in self.keys))
        if self.branches:
            return self._merged(queryset, limit, reverse=reverse)
        rows = list(queryset[:limit])
        if self.key_of is not None:
            return [(self.key_of(row), row) for row in rows]
        # ``values()`` rows without their keys (a report's chosen columns): the same condition,
        # order and limit give the keys of the same rows, through the same index.
        if rows and self.expressions:  # an alias cannot be selected: the same, annotated
            queryset = self.objects.annotate(**self.expressions)
            if boundary is not None:
                queryset = queryset.filter(_after(self.keys, boundary, self.connection, reverse=reverse))
            queryset = queryset.order_by(*(key.order(reverse=reverse) for key in self.keys))
        keys = list(queryset.values_list(*(key.name for key in self.keys))[:limit]) if rows else []
        return list(zip((list(k) for k in keys), rows, strict=True))

    def _merged(self, queryset: QuerySet, limit: int, *, reverse: bool) -> list[tuple[list, Any]]:
        """The first ``limit`` rows of the union of the branches: each branch's first ``limit``
        (through its own index), merged in the list's order, a row met twice kept once."""
        found: dict[tuple, Any] = {}
        for condition in self.branches:
            for row in queryset.filter(condition() if callable(condition) else condition)[:limit]:
                found.setdefault(tuple(self.key_of(row)), row)
        merged = list(found.items())
        for index in reversed(range(len(self.keys))):  # stable sorts, the last key first
            merged.sort(key=lambda item: item[0][index], reverse=self.keys[index].descending != reverse)
        return [(list(key), row) for key, row in merged[:limit]]


class _SequencePages(_Pages):
    """A list already in memory, paged by position (the token is the boundary's index)."""

    def __init__(self, objects: list, per_page: int):
        super().__init__(per_page)
        self.objects = self.count_of = objects

    def read(self, token: str):
        try:
            index = signing.loads(token, salt=_SALT + ":sequence")
        except signing.BadSignature:
            return None
        return index if isinstance(index, int) and 0 <= index < len(self.objects) else None

    def token(self, index: int) -> str:
        return signing.dumps(index, salt=_SALT + ":sequence")

    def fetch(self, boundary, limit: int, *, reverse: bool):
        indexed = list(enumerate(self.objects))
        if reverse:
            end = len(indexed) if boundary is None else boundary
            return indexed[max(0, end - limit) : end][::-1]
        start = 0 if boundary is None else boundary + 1
        return indexed[start : start + limit]
