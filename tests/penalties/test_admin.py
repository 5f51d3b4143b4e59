"""The admin reads the ledger and penalties but cannot add, change or delete them (PEN-5)."""

import pytest
from django.urls import reverse

from penalties.models import LedgerEntry, LedgerPeriodClose
from tests.penalties.factories import decided_service_code
from tests.roster.factories import user_with_role


@pytest.fixture
def admin_client_(client, people):
    client.force_login(user_with_role("admin"))
    return client


def test_ledger_admin_is_read_only(admin_client_, people):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    entry = penalty.ledger_entries.get()
    assert admin_client_.get(reverse("admin:penalties_ledgerentry_changelist")).status_code == 200
    page = admin_client_.get(reverse("admin:penalties_ledgerentry_change", args=[entry.pk]))
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin_client_.get(reverse("admin:penalties_ledgerentry_add")).status_code == 403
    assert (
        admin_client_.post(reverse("admin:penalties_ledgerentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
        == 403
    )
    admin_client_.post(reverse("admin:penalties_ledgerentry_change", args=[entry.pk]), {"amount_fen": "1"})
    assert LedgerEntry.objects.get(pk=entry.pk).amount_fen == 20000


def test_penalty_admin_is_readable_not_writable(admin_client_, people):
    penalty = decided_service_code(office=people.office, staff=people.collector)
    assert admin_client_.get(reverse("admin:penalties_penalty_change", args=[penalty.pk])).status_code == 200
    assert admin_client_.get(reverse("admin:penalties_penalty_add")).status_code == 403
    assert admin_client_.get(reverse("admin:penalties_penalty_delete", args=[penalty.pk])).status_code == 403


def test_no_penalties_model_can_be_added_in_the_admin(admin_client_):
    # PEN-5: every record of the penalties app comes from its services, closed months included.
    from django.contrib import admin

    models = [model for model in admin.site._registry if model._meta.app_label == "penalties"]
    assert LedgerPeriodClose in models and len(models) >= 9
    for model in models:
        url = reverse(f"admin:penalties_{model._meta.model_name}_add")
        assert admin_client_.get(url).status_code == 403, model
