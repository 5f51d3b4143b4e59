"""Form fields and widgets every module's forms share: texts, dates, months and money.

- ``text_field(label)``: a text area with a length limit (``tollservice.core.validators``), refused
  with a message when longer, never cut.
- ``DateInput`` / ``DateTimeInput``: the browser's pickers. Their value is ISO (``2026-11-05``,
  ``2026-11-05T09:30``) whatever the page language, so a Chinese and an English page post the same.
- ``date_field(label)`` / ``datetime_field(label)``: a ``DateField`` / ``DateTimeField`` with that
  picker, refused (``validate_day``) outside ``FIRST_DAY`` … ``LAST_DAY``, the portal's calendar;
  ``period_day_field(label)`` is one end of a report's period, the same field left optional;
  ``date_filter(...)`` a list's django-filter ``DateFilter`` with the same picker and check.
- ``MonthField``: a month typed or picked as ``YYYY-MM``; cleaned to the month's first day, refused
  outside ``FIRST_MONTH`` … ``LAST_MONTH`` (``tollservice.core.dates``).
- ``YuanField``: an amount typed in yuan with at most two decimals; its cleaned value is a
  ``Decimal`` and ``fen(value)`` turns it into the whole fen the services take (exactly, never
  through a float; ``None`` stays ``None``). Money is integer fen everywhere behind the form.

A form only checks the shape of what was typed; the rules live in the services, whose
``DomainError`` lands on the field of the same name.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tollservice.core.dates import FIRST_MONTH, LAST_MONTH, month_end
from tollservice.core.money import yuan_to_fen
from tollservice.core.validators import TEXT_MAX_LENGTH

MONTH_FORMAT = "%Y-%m"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


# The days a person may type. Python's dates end at year 1 and 9999-12-31, and what the portal does
# with a day (a deadline moved by days, a period split into months, a moment stored in UTC) steps
# outside them near either end; the portal has no business before 2000 or after 2999.
FIRST_DAY = FIRST_MONTH
LAST_DAY = month_end(LAST_MONTH)


class DateInput(forms.DateInput):
    """The browser's date picker, offering only the portal's calendar; its value is always ISO,
    whatever the page language."""

    input_type = "date"

    def __init__(self, attrs=None):
        bounds = {"min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()}
        super().__init__(attrs={**bounds, **(attrs or {})}, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker, offering only the portal's calendar; its value is ISO
    whatever the page language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        bounds = {"min": f"{FIRST_DAY.isoformat()}T00:00", "max": f"{LAST_DAY.isoformat()}T23:59"}
        super().__init__(attrs={**bounds, **(attrs or {})}, format="%Y-%m-%dT%H:%M")


class TimeInput(forms.TimeInput):
    """The browser's time picker (hours and minutes), the same in every page language."""

    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def text_field(
    label, *, required: bool = True, max_length: int = TEXT_MAX_LENGTH, rows: int = 3, help_text=""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def validate_day(value: datetime.date | datetime.datetime) -> None:
    """A day typed (or the day of a moment) lies between ``FIRST_DAY`` and ``LAST_DAY``."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(
            _("Choose a day between %(first)s and %(last)s."),
            code="outside_calendar",
            params={"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
        )


def _day_field(field_class, widget_class, label, *, required: bool, initial, help_text):
    return field_class(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        widget=widget_class(),
        validators=[validate_day],
    )


def date_field(label, *, required: bool = True, initial=None, help_text="") -> forms.DateField:
    """A ``DateField`` with the browser's date picker, refused outside the portal's calendar."""
    return _day_field(forms.DateField, DateInput, label, required=required, initial=initial, help_text=help_text)


def datetime_field(label, *, required: bool = True, initial=None, help_text="") -> forms.DateTimeField:
    """A ``DateTimeField`` with the browser's date-and-time picker, refused outside the portal's
    calendar (a local moment in year 1 has no UTC time to be stored as)."""
    return _day_field(
        forms.DateTimeField, DateTimeInput, label, required=required, initial=initial, help_text=help_text
    )


def period_day_field(label, *, required: bool = False, help_text="") -> forms.DateField:
    """One end of a report's period (periods are split into months and compared with their
    neighbours): a ``date_field``, optional unless told."""
    return date_field(label, required=required, help_text=help_text)


def date_filter(*, field_name: str, lookup_expr: str, label) -> django_filters.DateFilter:
    """A list's date filter (django-filter) with the picker and the check of ``date_field``."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, widget=DateInput(), validators=[validate_day]
    )


def parse_month(value: str) -> datetime.date:
    """``"2026-11"`` → 1 November 2026, for a month between ``FIRST_MONTH`` and ``LAST_MONTH``;
    otherwise a ``ValidationError`` that says what to type."""
    match = _MONTH.match(value)
    if not match or not 1 <= int(match[2]) <= 12:
        raise forms.ValidationError(_("Enter a month as YYYY-MM."))
    # Year 0000 is no date at all, and the months next to the ends of Python's calendar have no
    # neighbour or no last day; a month outside the range is a typing error, said as such.
    year, month = int(match[1]), int(match[2])
    if not (FIRST_MONTH.year, FIRST_MONTH.month) <= (year, month) <= (LAST_MONTH.year, LAST_MONTH.month):
        raise forms.ValidationError(
            _("Choose a month between %(first)s and %(last)s."),
            params={"first": FIRST_MONTH.strftime(MONTH_FORMAT), "last": LAST_MONTH.strftime(MONTH_FORMAT)},
        )
    return datetime.date(year, month, 1)


class MonthInput(forms.TextInput):
    """The browser's month picker where there is one (a text box with a hint elsewhere)."""

    input_type = "month"

    def __init__(self, attrs=None, *, placeholder: str = ""):
        bounds = {"min": FIRST_MONTH.strftime(MONTH_FORMAT), "max": LAST_MONTH.strftime(MONTH_FORMAT)}
        super().__init__(attrs={**bounds, "placeholder": placeholder, **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return value.strftime(MONTH_FORMAT)
        return super().format_value(value)


class MonthField(forms.Field):
    """A month as ``YYYY-MM``, cleaned to the date of its first day (``None`` when left empty)."""

    widget = MonthInput

    def to_python(self, value):
        if isinstance(value, datetime.date):
            return value.replace(day=1)
        value = (value or "").strip()
        return parse_month(value) if value else None


class YuanField(forms.DecimalField):
    """An amount in yuan with at most two decimals (fen); ``fen()`` converts it exactly."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal("0.01"))
        kwargs.setdefault("widget", forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))
        super().__init__(**kwargs)


def fen(value: Decimal | None) -> int | None:
    """A ``YuanField``'s cleaned value in whole fen (``None`` for an empty optional field)."""
    return None if value is None else yuan_to_fen(value)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Any number of photos in one file box (``<input type=file multiple>``), each checked by its
    content as ``tollservice.core.uploads.image_check`` does; the cleaned value is a list."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        from tollservice.core.errors import DomainError
        from tollservice.core.uploads import image_check

        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned = [super(PhotosField, self).clean(upload, initial) for upload in files]
        cleaned = [upload for upload in cleaned if upload]
        if self.required and not cleaned:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        for upload in cleaned:
            try:
                image_check(upload)
            except DomainError as error:
                raise forms.ValidationError(
                    _("“%(name)s”: %(reason)s"), params={"name": upload.name, "reason": str(error)}
                ) from None
        return cleaned
