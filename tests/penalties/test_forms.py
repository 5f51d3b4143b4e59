"""The penalties forms on their own: what they refuse before any service is asked."""

import datetime

import pytest
from django.utils import timezone, translation

from penalties.forms import PenaltyProposalForm, PeriodCloseForm, PeriodForm
from tollservice.core.dates import FIRST_MONTH, LAST_MONTH, month_end, shift_month

OUT_OF_RANGE = "Choose a month between 2000-01 and 2999-12."


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("month", ["0000-01", "0001-01", "1999-12", "3000-01", "9999-12"])
def test_the_month_fields_refuse_a_month_outside_the_range(month):
    for form in (PeriodForm({"month": month}), PeriodCloseForm({"month": month})):
        assert form.errors["month"] == [OUT_OF_RANGE]


@pytest.mark.parametrize("month", ["2000-01", "2999-12"])
def test_the_month_fields_take_the_ends_of_the_range(month):
    form = PeriodForm({"month": month})
    assert form.is_valid()
    assert form.period()[0].strftime("%Y-%m") == month


def test_the_month_input_tells_the_browser_the_range():
    html = str(PeriodForm()["month"])
    assert 'min="2000-01"' in html and 'max="2999-12"' in html


def test_neighbouring_months_stop_at_the_ends_of_the_range():
    assert shift_month(FIRST_MONTH, -1) is None and shift_month(LAST_MONTH, 1) is None
    assert shift_month(FIRST_MONTH, 1) == datetime.date(2000, 2, 1)
    assert shift_month(datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 1)
    assert shift_month(datetime.date(1, 1, 1), -1) is None  # no ValueError below year 1


def test_month_end_of_the_last_month_python_knows():
    assert month_end(datetime.date(9999, 12, 1)) == datetime.date(9999, 12, 31)
    assert month_end(datetime.date(2028, 2, 10)) == datetime.date(2028, 2, 29)


@pytest.mark.django_db
def test_the_proposal_form_refuses_a_future_incident():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = PenaltyProposalForm({"incident_date": tomorrow.isoformat()})
    assert form.errors["incident_date"] == ["The incident cannot be in the future."]
    assert "incident_date" not in PenaltyProposalForm({"incident_date": timezone.localdate().isoformat()}).errors
