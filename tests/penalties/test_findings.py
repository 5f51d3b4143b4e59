"""What a new user stumbled on in the penalties pages (issue 8, §5), each shown fixed."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from penalties import services
from penalties.models import Penalty
from tests.penalties.factories import decided_service_code, proposed_service_code, provisions
from tollservice.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def sign_in(user):
        client.logout()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        return client

    return sign_in


@pytest.mark.parametrize("day", ["0001-01-01", "1900-01-01"])
def test_an_incident_date_before_the_penalty_records_begin_is_refused(login, people, day):
    # Before, 0001-01-01 and 1900-01-01 were accepted as incident dates.
    office = login(people.office)
    data = {
        "rule": Penalty.Rule.SERVICE_CODE,
        "staff_pk": people.collector.pk,
        "source": Penalty.Source.INSPECTION_FINDING,
        "incident_date": day,
        "description": "未使用文明用语。",
        "provisions": [p.pk for p in provisions(1)],
        "propose": "1",
    }
    response = office.post(reverse("penalties:penalty_propose"), data)
    assert response.status_code == 200 and not Penalty.objects.exists()
    assert response.context["form"].errors["incident_date"] == [
        "The incident date is before 2023-01-01, when the station's penalty policy first took effect; check the date."
    ]
    preview = office.get(reverse("penalties:penalty_preview"), data)
    assert preview.json() == {"html": ""}  # the live preview shows nothing for such a date
    with pytest.raises(DomainError) as refused:
        proposed_service_code(office=people.office, staff=people.collector, incident_date=datetime.date(1900, 1, 1))
    assert refused.value.code == "before_records"


def test_a_fully_paid_penalty_reads_settled_and_an_unpaid_one_outstanding(login, people):
    # Before, a penalty whose fine was paid still read only "Decided".
    paid = decided_service_code(office=people.office, staff=people.collector)
    services.fine_collect(penalty=paid, collected_by=people.finance, receipt_number="R-1")
    unpaid = decided_service_code(office=people.office, staff=people.other)
    office = login(people.office)
    listing = office.get(reverse("penalties:penalty_list")).content.decode()
    assert "Decided, settled" in listing and "Decided, outstanding" in listing
    page = office.get(reverse("penalties:penalty_detail", args=[paid.pk])).content.decode()
    assert 'data-settlement="settled"' in page
    page = office.get(reverse("penalties:penalty_detail", args=[unpaid.pk])).content.decode()
    assert 'data-settlement="outstanding"' in page
    mine = login(people.collector.user).get(reverse("penalties:my_penalties")).content.decode()
    assert "Decided, settled" in mine
    download = office.get(reverse("penalties:penalty_list"), {"export": "csv"})
    assert "Decided, settled" in b"".join(download.streaming_content).decode("utf-8-sig")


@pytest.mark.parametrize("by", ["staff", "team", "department"])
def test_the_balances_page_links_only_where_the_reader_may_go(login, people, by):
    # Before, finance's balances page linked each name to a roster page that answered 403.
    decided_service_code(office=people.office, staff=people.collector)
    for user in (people.finance, people.office, people.leader):
        reader = login(user)
        page = reader.get(reverse("penalties:balances"), {"by": by}).content.decode()
        table = page[page.index('id="balance-table"') :]
        links = re.findall(r'<td[^>]*><a href="([^"]+)"', table)
        assert links, by
        for link in links:
            response = reader.get(link.replace("&amp;", "&"))
            assert response.status_code == 200, (user, link)
            assert people.collector.name in response.content.decode()


def test_the_eligibility_look_up_says_what_is_missing(login, people):
    # Before, a look-up with neither a person nor a team said "choose either" as for both.
    office = login(people.office)
    url = reverse("penalties:eligibility_lookup")
    neither = office.get(url, {"year": timezone.localdate().year})
    assert neither.context["form"].non_field_errors() == ["Choose a person or a team."]
    both = office.get(url, {"staff_pk": people.collector.pk, "team": people.team.pk})
    assert both.context["form"].non_field_errors() == ["Choose either a person or a team, not both."]
