"""Points as exact decimals: ``Decimal`` in Python, whole hundredths of a point in the database.

Scores are summed and averaged over hundreds of thousands of rows for rankings. Kept as integers
in the database, like money in fen, those sums are exact on SQLite (which would add a
``DecimalField`` in floating point) and PostgreSQL alike; in Python they are ``Decimal`` with two
places, so the scoring rules never see a float.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db import models

HUNDRED = Decimal(100)
STEP = Decimal("0.01")


class PointsField(models.BigIntegerField):
    """Points (0.5 per vehicle, 4 for a jam …) to two decimal places, stored as hundredths."""

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        # An average comes back as a float or a numeric; sums and plain values as integers.
        return (Decimal(str(value)) / HUNDRED).quantize(STEP)

    def to_python(self, value):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(str(value)).quantize(STEP)

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, int | float | str):
            value = Decimal(str(value))
        if not isinstance(value, Decimal):  # an expression
            return super().get_prep_value(value)
        hundredths = value * HUNDRED
        if hundredths != hundredths.to_integral_value():
            raise ValueError(f"Points have at most two decimal places: {value}")
        return int(hundredths)

    def formfield(self, **kwargs):
        defaults = {"form_class": forms.DecimalField, "max_digits": 7, "decimal_places": 2, "min_value": 0}
        defaults.update(kwargs)
        return models.Field.formfield(self, **defaults)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else str(value)
