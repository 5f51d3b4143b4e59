"""The 2026 public holidays and make-up working days (调休), as the State Council set them.

Source: 国务院办公厅关于2026年部分节假日安排的通知 (General Office of the State Council, 4 November
2025). Every day of each holiday period is entered as a holiday (weekend days too, so that the
calendar reads like the notice); the Saturdays and Sundays worked in exchange are make-up days.
The office edits the calendar in the portal and enters each later year itself.
"""

import datetime

from django.db import migrations
from django.utils import timezone

SOURCE = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"

HOLIDAYS = [
    ("元旦", datetime.date(2026, 1, 1), datetime.date(2026, 1, 3)),
    ("春节", datetime.date(2026, 2, 15), datetime.date(2026, 2, 23)),
    ("清明节", datetime.date(2026, 4, 4), datetime.date(2026, 4, 6)),
    ("劳动节", datetime.date(2026, 5, 1), datetime.date(2026, 5, 5)),
    ("端午节", datetime.date(2026, 6, 19), datetime.date(2026, 6, 21)),
    ("中秋节", datetime.date(2026, 9, 25), datetime.date(2026, 9, 27)),
    ("国庆节", datetime.date(2026, 10, 1), datetime.date(2026, 10, 7)),
]
MAKE_UP_DAYS = [
    ("元旦", datetime.date(2026, 1, 4)),
    ("春节", datetime.date(2026, 2, 14)),
    ("春节", datetime.date(2026, 2, 28)),
    ("劳动节", datetime.date(2026, 5, 9)),
    ("国庆节", datetime.date(2026, 9, 20)),
    ("国庆节", datetime.date(2026, 10, 10)),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    days = []
    for name, first, last in HOLIDAYS:
        day = first
        while day <= last:
            days.append(CalendarDay(date=day, kind="holiday", name=name))
            day += datetime.timedelta(days=1)
    days += [CalendarDay(date=day, kind="workday", name=name) for name, day in MAKE_UP_DAYS]
    existing = set(CalendarDay.objects.filter(date__year=2026).values_list("date", flat=True))
    CalendarDay.objects.bulk_create(d for d in days if d.date not in existing)
    # Confirmed by nobody in particular: it came with the portal, from the notice above.
    CalendarYear.objects.get_or_create(year=2026, defaults={"confirmed_at": timezone.now(), "source": SOURCE})


def unseed(apps, schema_editor):
    CalendarDay = apps.get_model("workcalendar", "CalendarDay")
    CalendarYear = apps.get_model("workcalendar", "CalendarYear")
    CalendarDay.objects.filter(date__year=2026).delete()
    CalendarYear.objects.filter(year=2026, source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("workcalendar", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
