"""The admin reads complaints and never writes them."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from complaints.models import Complaint
from tests.roster.factories import user_with_role
from tollservice.core.calendar.models import CalendarDay


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Complaint, CalendarDay])
def test_the_admin_has_no_add_change_or_delete(model):
    request = RequestFactory().get("/admin/")
    request.user = user_with_role("admin")
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
