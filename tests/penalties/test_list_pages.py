"""Issue 9 on the penalty list's page: balances read for the page's rows only, totals up to the
count's cap, and the person filter a search-as-you-type box (never a ``<select>`` of everyone)."""

import pytest
from django.urls import reverse

from penalties import selectors, services
from tests.penalties.factories import decided_service_code
from tollservice.core import pagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def fines(people):
    first = decided_service_code(office=people.office, staff=people.collector)
    second = decided_service_code(office=people.office, staff=people.other, n=2)
    services.fine_collect(penalty=second, collected_by=people.finance, receipt_number="R-1", amount_fen=100)
    return [first, second]


def _outstanding_column(response) -> dict[int, object]:
    report = response.context["report"]
    column = max(i for i, c in enumerate(report.columns) if c.kind == "money")  # "Outstanding", the last
    return {row.values[0]: row.values[column] for row in response.context["rows"]}


def test_the_page_shows_each_row_s_balance_as_the_ledger_has_it(people, fines, client, settings):
    settings.LANGUAGE_CODE = "en"
    client.force_login(people.office)
    response = client.get(reverse("penalties:penalty_list"), HTTP_ACCEPT_LANGUAGE="en")
    expected = dict(
        selectors.with_balances(selectors.penalty_list(user=people.office)).values_list("pk", "outstanding_fen")
    )
    assert _outstanding_column(response) == expected
    assert response.context["totals"].outstanding_fen == sum(expected.values())


def test_totals_are_left_out_beyond_the_count_s_cap(people, fines, client, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_CAP", 1)
    client.force_login(people.office)
    response = client.get(reverse("penalties:penalty_list"))
    assert response.context["totals"] is None and response.context["totals_capped"]
    assert 'id="totals-capped"' in response.content.decode()


def test_the_person_filter_is_typed_not_chosen_from_every_name(people, fines, client):
    client.force_login(people.office)
    url = reverse("penalties:penalty_list")
    html = client.get(url).content.decode()
    assert people.other.name not in html.split('id="ledger-totals"')[0]  # no <option> per person
    assert 'data-chooser-url="/choose/penalty-staff/' in html
    # Without JavaScript the typed name is resolved; with it, the chosen id is sent beside it.
    by_name = client.get(url, {"staff": people.other.name})
    assert [row.values[0] for row in by_name.context["rows"]] == [fines[1].pk]
    by_pk = client.get(url, {"staff": "", "staff_pk": people.collector.pk})
    assert [row.values[0] for row in by_pk.context["rows"]] == [fines[0].pk]
