"""The shared form fields (tollservice/core/forms.py): ISO dates, months, money in yuan → fen."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from tollservice.core.forms import DateInput, MonthField, MonthInput, YuanField, date_field, datetime_field, fen


class ExampleForm(forms.Form):
    day = date_field("Day", required=False)
    moment = datetime_field("Moment", required=False)
    month = MonthField(label="Month", required=False, widget=MonthInput(placeholder="2026-11"))
    amount = YuanField(label="Amount", required=False)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_amounts_are_decimal_yuan_and_become_exact_fen():
    form = ExampleForm({"amount": "333.33"})
    assert form.is_valid()
    assert form.cleaned_data["amount"] == Decimal("333.33")
    assert fen(form.cleaned_data["amount"]) == 33333
    assert fen(None) is None


@pytest.mark.parametrize("typed", ["0.001", "0", "-5", "1e20"])
def test_fractions_of_a_fen_and_amounts_below_one_fen_are_refused(typed):
    assert "amount" in ExampleForm({"amount": typed}).errors


def test_months_clean_to_their_first_day_and_render_as_typed():
    form = ExampleForm({"month": "2026-02"})
    assert form.is_valid() and form.cleaned_data["month"] == datetime.date(2026, 2, 1)
    empty = ExampleForm({"month": ""})
    assert empty.is_valid() and empty.cleaned_data["month"] is None
    assert ExampleForm({"month": "2026-13"}).errors["month"] == ["Enter a month as YYYY-MM."]
    html = str(ExampleForm(initial={"month": datetime.date(2026, 2, 1)})["month"])
    assert 'type="month"' in html and 'value="2026-02"' in html and 'min="2000-01"' in html


def test_dates_are_iso_whatever_the_language():
    with translation.override("zh-hans"):
        html = DateInput().render("day", datetime.date(2026, 2, 1))
    assert 'type="date"' in html and 'value="2026-02-01"' in html
    assert ExampleForm({"day": "2026-02-01"}).is_valid()


@pytest.mark.parametrize(
    ("field", "typed"),
    [("day", "0001-01-01"), ("day", "9999-12-31"), ("moment", "0001-01-01T00:00"), ("moment", "9999-12-31T23:59")],
)
def test_a_day_outside_the_portals_calendar_is_refused_and_kept(field, typed):
    form = ExampleForm({field: typed})
    assert form.errors[field] == ["Choose a day between 2000-01-01 and 2999-12-31."]
    assert f'value="{typed}"' in str(form[field])


def test_the_first_and_last_days_of_the_portals_calendar_are_accepted_and_offered():
    form = ExampleForm({"day": "2999-12-31", "moment": "2000-01-01T00:00"})
    assert form.is_valid()
    assert form.cleaned_data["day"] == datetime.date(2999, 12, 31)
    assert form.cleaned_data["moment"].date() == datetime.date(2000, 1, 1)
    assert 'min="2000-01-01" max="2999-12-31"' in str(form["day"])
    assert 'min="2000-01-01T00:00" max="2999-12-31T23:59"' in str(form["moment"])
