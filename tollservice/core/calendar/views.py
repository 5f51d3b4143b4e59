"""The working calendar's page (the group office): one year's holidays and make-up working days,
entering or removing a day, and confirming the year as entered (which ends the November
reminder)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from tollservice.access.views import permission_required
from tollservice.core.calendar import selectors, services
from tollservice.core.calendar.forms import CalendarDayForm, CalendarYearConfirmForm
from tollservice.core.calendar.models import CalendarYear
from tollservice.core.errors import DomainError

FIRST_YEAR, YEARS_AHEAD = services.FIRST_YEAR, services.YEARS_AHEAD


def _year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    this_year = timezone.localdate().year
    if value.isdigit() and FIRST_YEAR <= int(value) <= this_year + YEARS_AHEAD:
        return int(value)
    return this_year


def _page_url(year: int) -> str:
    return f"{reverse('calendar:index')}?year={year}"


@permission_required("calendar.manage")
def calendar_index(request):
    year = _year(request)
    day_form = CalendarDayForm(request.POST or None, initial={"date": f"{year}-01-01"})
    if request.method == "POST" and day_form.is_valid():
        try:
            services.calendar_day_set(actor=request.user, **day_form.cleaned_data)
        except DomainError as error:
            error.add_to_form(day_form)
        else:
            messages.success(request, gettext("Saved."))
            return redirect(_page_url(day_form.cleaned_data["date"].year))
    entry = CalendarYear.objects.filter(year=year).select_related("confirmed_by").first()
    this_year = timezone.localdate().year
    return render(
        request,
        "calendar/index.html",
        {
            "year": year,
            "years": range(this_year - 1, this_year + YEARS_AHEAD + 1),
            "days": selectors.calendar_days(user=request.user, year=year),
            "entry": entry,
            "day_form": day_form,
            "confirm_form": CalendarYearConfirmForm(),
        },
    )


@permission_required("calendar.manage")
@require_POST
def calendar_day_remove(request):
    form = CalendarDayForm(request.POST)
    form.is_valid()
    date = form.cleaned_data.get("date")
    if date is None:
        messages.error(request, gettext("Choose a day."))
        return redirect(_page_url(_year(request)))
    try:
        services.calendar_day_remove(actor=request.user, date=date)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The day is an ordinary day again."))
    return redirect(_page_url(date.year))


@permission_required("calendar.manage")
@require_POST
def calendar_year_confirm(request):
    year = _year(request)
    form = CalendarYearConfirmForm(request.POST)
    form.is_valid()
    try:
        services.calendar_year_confirm(actor=request.user, year=year, source=form.cleaned_data.get("source", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The calendar of %(year)s is confirmed as entered.") % {"year": year})
    return redirect(_page_url(year))
