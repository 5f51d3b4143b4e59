"""Choosing one person (or a few) out of many: a search-as-you-type box, never a ``<select>`` of
every staff member.

A module registers a **chooser** once (in its ``AppConfig.ready()``): what may be chosen, for whom
— a selector that scopes the rows to the reader and to what the page asks (``params``, e.g. the
inspection whose team is meant) — and how a row is searched and named::

    register_chooser(Chooser(
        name="staff",                              # /choose/staff/?q=…
        permission="roster.view",
        queryset=lambda *, user, params: roster_selectors.active_staff(),
        search=staff_search, exact=staff_exact, label=staff_label, detail=staff_detail,
    ))

A form uses it through ``ChooserField("staff", queryset=…, url_params={…})`` (``multiple=True``
for several; its initial value may be the row or just its id — a ``?staff=<pk>`` link, a model
form's foreign key — which the field looks up in its scoped queryset); a list's filter through
``ChooserFilter(chooser="staff", queryset=lambda request: …)``.
The field renders a text box: with JavaScript (``static/js/chooser.js``) it asks
``/choose/<name>/`` for matches as one types and keeps the chosen row's id beside the text;
without JavaScript the text typed (a name or an employee number) is resolved when the form is
sent — one match is taken, several are listed for the person to be more precise. The same URL
opened in the browser is a plain search page.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import django_filters
from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters.filters import QuerySetRequestMixin

# The most rows a search answers with; one types more to narrow it.
RESULT_LIMIT = 20
# A search for more than this is no name or number: the rest is ignored.
TERM_MAX_LENGTH = 100
# Several names typed in one box (without JavaScript) are separated by these.
_SEPARATORS = re.compile(r"[,，、;；\n]+")


@dataclass(frozen=True)
class Chooser:
    name: str
    permission: str
    # The rows the user may choose from, given the page's parameters; raises ``LookupError`` when
    # the parameters name something outside the user's scope (the search answers 404).
    queryset: Callable[..., QuerySet]
    # Rows matching a typed fragment, best first; and rows the text names exactly (a number, a name).
    search: Callable[[QuerySet, str], QuerySet]
    exact: Callable[[QuerySet, str], QuerySet]
    label: Callable[[object], str]
    detail: Callable[[object], str] = lambda obj: ""

    def url(self, **params) -> str:
        base = reverse("chooser", kwargs={"name": self.name})
        params = {key: value for key, value in params.items() if value not in (None, "")}
        return f"{base}?{urlencode(params)}" if params else base

    def results(self, queryset: QuerySet, term: str) -> list:
        return list(self.search(queryset, term)[:RESULT_LIMIT]) if term else []

    def as_json(self, obj) -> dict:
        return {"id": obj.pk, "label": self.label(obj), "detail": self.detail(obj)}

    def text_of(self, obj) -> str:
        """What the box shows for a chosen row, which also resolves back to it when typed."""
        detail = self.detail(obj)
        return f"{self.label(obj)} {detail}".strip()

    def resolve(self, queryset: QuerySet, text: str):
        """The one row ``text`` names in ``queryset``; ``ValidationError`` saying why not."""
        exact = list(self.exact(queryset, text)[:2])
        if len(exact) == 1:
            return exact[0]
        found = exact or list(self.search(queryset, text)[:6])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(_("Nobody here matches “%(text)s”."), code="no_match", params={"text": text})
        names = "、".join(self.text_of(obj) for obj in found[:5])
        raise forms.ValidationError(
            _("“%(text)s” matches several: %(names)s. Type more, e.g. the employee number."),
            code="ambiguous",
            params={"text": text, "names": names},
        )


_CHOOSERS: dict[str, Chooser] = {}


def register_chooser(chooser: Chooser) -> Chooser:
    existing = _CHOOSERS.get(chooser.name)
    if existing is not None and existing != chooser:
        raise ImproperlyConfigured(f"Chooser {chooser.name!r} is registered twice")
    _CHOOSERS[chooser.name] = chooser
    return chooser


def get_chooser(name: str) -> Chooser:
    try:
        return _CHOOSERS[name]
    except KeyError:
        raise LookupError(f"No chooser {name!r} is registered") from None


def search_term(value) -> str:
    """The typed text, spaces collapsed (a name pasted from a spreadsheet has stray ones)."""
    return " ".join(str(value or "").split())[:TERM_MAX_LENGTH]


def _ids(values) -> list[int]:
    ids = []
    for value in values:
        try:
            ids.append(int(value))
        except (TypeError, ValueError):
            continue
    return ids


# --- The form field ---------------------------------------------------------------------------------


class ChooserWidget(forms.Widget):
    """A text box (the search) and the chosen rows' ids; ``static/js/chooser.js`` makes it live."""

    def __init__(self, *, chooser: str, multiple: bool = False, url_params: dict | None = None, attrs=None):
        super().__init__(attrs)
        self.chooser_name, self.multiple, self.url_params = chooser, multiple, url_params or {}

    @property
    def chooser(self) -> Chooser:
        return get_chooser(self.chooser_name)

    def value_from_datadict(self, data, files, name):
        pks = data.getlist(f"{name}_pk") if hasattr(data, "getlist") else data.get(f"{name}_pk", [])
        if isinstance(pks, str):
            pks = [pks]
        return {"text": data.get(name, ""), "pks": [pk for pk in pks if str(pk).strip()]}

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_pk" not in data

    def _chosen(self, value) -> tuple[str, list]:
        """(text in the box, chosen objects) for what the form holds: submitted data or initial objects."""
        if isinstance(value, dict):  # submitted: shown back as it was typed
            text, objects = value.get("text", ""), value.get("objects", [])
            if not text and objects and not self.multiple:  # only the id was sent (a link's ``?x_pk=``)
                text = self.chooser.text_of(objects[0])
            return text, objects
        if value is None or value == "":
            return "", []
        objects = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
        objects = [obj for obj in objects if hasattr(obj, "pk")]
        if self.multiple:
            return "", objects
        return (self.chooser.text_of(objects[0]) if objects else ""), objects

    def render(self, name, value, attrs=None, renderer=None):
        chooser = self.chooser
        text, objects = self._chosen(value)
        attrs = self.build_attrs(self.attrs, attrs or {})
        attrs.setdefault("class", "form-control")
        chips = format_html_join(
            "",
            '<span class="badge text-bg-secondary chooser-chip" data-chooser-chip>{} '
            '<input type="hidden" name="{}_pk" value="{}">'
            '<button type="button" class="btn-close btn-close-white ms-1" data-chooser-remove '
            'aria-label="{}"></button></span>',
            ((chooser.text_of(obj), name, obj.pk, gettext("Remove")) for obj in objects),
        )
        single_pk = "" if self.multiple or not objects else objects[0].pk
        hidden = "" if self.multiple else format_html('<input type="hidden" name="{}_pk" value="{}">', name, single_pk)
        box = format_html(
            '<input type="search" name="{}" value="{}" autocomplete="off" spellcheck="false"{}>',
            name,
            text,
            flatatt({**attrs, "placeholder": attrs.get("placeholder") or gettext("Type a name or number")}),
        )
        return format_html(
            '<div class="chooser" data-chooser-url="{}" data-chooser-multiple="{}">'
            '<div class="chooser-chips d-flex flex-wrap gap-1 mb-1">{}</div>{}{}'
            '<div class="list-group chooser-results shadow-sm" role="listbox" hidden></div></div>',
            chooser.url(**self.url_params),
            "1" if self.multiple else "0",
            chips,
            box,
            hidden,
        )


class ChooserField(forms.Field):
    """One row (or, with ``multiple``, several) of a chooser, from ``queryset`` (already scoped).

    The cleaned value is the object (``None`` when left empty) or, with ``multiple``, a list."""

    def __init__(
        self, chooser: str, *, queryset: QuerySet | None = None, multiple: bool = False, url_params=None, **kw
    ):
        self.chooser_name, self.multiple, self.queryset = chooser, multiple, queryset
        kw.setdefault("widget", ChooserWidget(chooser=chooser, multiple=multiple, url_params=url_params))
        super().__init__(**kw)

    @property
    def chooser(self) -> Chooser:
        return get_chooser(self.chooser_name)

    def set_url_params(self, **params) -> None:
        self.widget.url_params = params

    def to_python(self, value):
        if not isinstance(value, dict):
            return [] if self.multiple else None
        if self.queryset is None:
            raise ImproperlyConfigured(f"The form sets the {self.chooser_name!r} chooser field's queryset (scoped)")
        queryset = self.queryset
        chosen = []
        pks = _ids(value.get("pks", []))
        if pks:
            chosen = self._objects(pks)
            if len(chosen) != len(set(pks)):
                raise forms.ValidationError(_("Choose again: someone chosen is not available here."), code="invalid")
        text = search_term(value.get("text", ""))
        if self.multiple:
            for part in filter(None, (p.strip() for p in _SEPARATORS.split(text))):
                obj = self.chooser.resolve(queryset, part)
                if obj not in chosen:
                    chosen.append(obj)
            value["objects"] = chosen
            return chosen
        if chosen and (not text or text == self.chooser.text_of(chosen[0])):
            value["objects"] = chosen
            return chosen[0]
        if not text:
            return None
        obj = self.chooser.resolve(queryset, text)
        value["objects"] = [obj]
        return obj

    def prepare_value(self, value):
        """What the widget shows: the chosen rows for ids (an initial ``?staff=<pk>``, a model
        form's foreign key, the ``_pk`` of a form sent back with errors), looked up in the field's
        scoped queryset in one query; an id outside it shows nothing."""
        if isinstance(value, dict):
            if "objects" not in value and value.get("pks") and self.queryset is not None:
                value = {**value, "objects": self._objects(value["pks"])}
            return value
        if isinstance(value, QuerySet) or hasattr(value, "pk"):
            return value
        many = list(value) if isinstance(value, list | tuple) else [value]
        if many and all(hasattr(item, "pk") for item in many):
            return many
        objects = self._objects(many) if self.queryset is not None else []
        return objects if self.multiple else (objects[0] if objects else None)

    def _objects(self, pks) -> list:
        """The rows of these ids in the scoped queryset, in the order given; one query. Read
        through the chooser's search with no words, which joins what its labels show (a team)."""
        ids = _ids(pks)
        if not ids:
            return []
        by_pk = {obj.pk: obj for obj in self.chooser.search(self.queryset.filter(pk__in=ids), "")}
        return [by_pk[pk] for pk in dict.fromkeys(ids) if pk in by_pk]

    def validate(self, value):
        if self.required and value in (None, []):
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data):
        return True


class ChooserFilter(QuerySetRequestMixin, django_filters.Filter):
    """A list's filter by one row chosen by typing (a ``ChooserField``), for choice sets too large
    for a ``<select>`` (every staff member). ``queryset`` is a queryset or a function of the
    request, as for django-filter's ``ModelChoiceFilter``; the filter form's GET keeps the typed
    text and the chosen id in the page's links."""

    field_class = ChooserField

    def __init__(self, *args, chooser: str, **kwargs):
        super().__init__(*args, chooser=chooser, **kwargs)
