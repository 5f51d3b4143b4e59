"""Form fields and widgets every module's forms share: texts, dates, months and money.

- ``text_field(label)``: a text area with a length limit (``tollservice.core.validators``), refused
  with a message when longer, never cut.
- ``DateInput`` / ``DateTimeInput``: the browser's pickers. Their value is ISO (``2026-11-05``,
  ``2026-11-05T09:30``) whatever the page language, so a Chinese and an English page post the same.
  ``date_field(label)`` is a ``DateField`` with that widget; ``period_day_field(label)`` one end of
  a report's period, refused outside ``FIRST_MONTH`` … the last day of ``LAST_MONTH``.
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

from django import forms
from django.utils.translation import gettext_lazy as _

from tollservice.core.dates import FIRST_MONTH, LAST_MONTH, month_end
from tollservice.core.money import yuan_to_fen
from tollservice.core.validators import TEXT_MAX_LENGTH

MONTH_FORMAT = "%Y-%m"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO, whatever the page language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """The browser's date-and-time picker; its value is ISO whatever the page language."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


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


def date_field(label, *, required: bool = True, initial=None, help_text="") -> forms.DateField:
    """A ``DateField`` with the browser's date picker."""
    return forms.DateField(label=label, required=required, initial=initial, help_text=help_text, widget=DateInput())


def validate_period_day(day: datetime.date) -> None:
    """A report's period starts and ends between ``FIRST_MONTH`` and the last day of
    ``LAST_MONTH``: periods are split into months and compared with their neighbours, which the
    ends of Python's calendar (year 1, year 9999) do not have."""
    last_day = month_end(LAST_MONTH)
    if not FIRST_MONTH <= day <= last_day:
        raise forms.ValidationError(
            _("Choose a day between %(first)s and %(last)s."),
            code="outside_calendar",
            params={"first": FIRST_MONTH.isoformat(), "last": last_day.isoformat()},
        )


def period_day_field(label, *, required: bool = False, help_text="") -> forms.DateField:
    """One end of a report's period: a date picker, refused outside the portal's calendar."""
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(attrs={"min": FIRST_MONTH.isoformat(), "max": month_end(LAST_MONTH).isoformat()}),
        validators=[validate_period_day],
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
