"""The working calendar's page: the office enters and removes days and confirms a year."""

from __future__ import annotations

import datetime

from django.urls import reverse

from tests.roster.factories import user_with_role
from tollservice.core.calendar.models import CalendarDay, CalendarYear


def test_the_office_enters_removes_and_confirms(client, db):
    office = user_with_role("office")
    client.force_login(office)
    url = reverse("calendar:index")
    response = client.post(f"{url}?year=2027", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"})
    assert response.status_code == 302
    assert CalendarDay.objects.get(date=datetime.date(2027, 1, 1)).name == "元旦"
    page = client.get(url, {"year": 2027}).content.decode()
    assert "元旦" in page and 'id="year-not-confirmed"' in page
    bad = client.post(url, {"date": "2027-01-05", "kind": "workday", "name": "调休"})  # a Tuesday
    assert bad.status_code == 200 and not CalendarDay.objects.filter(date=datetime.date(2027, 1, 5)).exists()
    client.post(reverse("calendar:day_remove"), {"date": "2027-01-01"})
    assert not CalendarDay.objects.filter(date=datetime.date(2027, 1, 1)).exists()
    client.post(reverse("calendar:year_confirm"), {"year": "2027", "source": "国务院办公厅通知"})
    assert CalendarYear.objects.get(year=2027).confirmed
    assert 'id="year-confirmed"' in client.get(url, {"year": 2027}).content.decode()
