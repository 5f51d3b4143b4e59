"""The standard is seeded with the plan's defaults (PLAN §2) and stays editable data."""

import pytest
from django.urls import reverse

from inspections.models import Prohibition, ServiceCategory, ServiceProvision
from tests.roster.factories import user_with_role

SIX_UNIFICATIONS = ["企业文化规范", "机构标识规范", "办公环境规范", "着装规范", "服务标准规范", "文明用语规范"]
GARBLED = ["效劳", "原那么", "假设", "反响", "平安效益", "农信社", "联社", "信用社", "余外收入"]


@pytest.mark.django_db
def test_six_unifications_are_seeded_with_several_provisions_each():
    assert list(ServiceCategory.objects.values_list("name", flat=True)) == SIX_UNIFICATIONS
    for category in ServiceCategory.objects.all():
        assert category.provisions.count() >= 3, category


@pytest.mark.django_db
def test_ten_prohibitions_are_a_marked_placeholder():
    prohibitions = list(Prohibition.objects.all())
    assert [p.number for p in prohibitions] == list(range(1, 11))
    assert all(p.is_default_placeholder and p.text.startswith("不准") for p in prohibitions)


@pytest.mark.django_db
def test_seeded_text_has_none_of_the_garbled_words():
    texts = [p.text for p in ServiceProvision.objects.all()] + [p.text for p in Prohibition.objects.all()]
    texts += [c.name + c.description for c in ServiceCategory.objects.all()]
    for word in GARBLED:
        assert not any(word in text for text in texts), word


@pytest.mark.django_db
def test_standard_is_editable_but_not_deletable_in_the_admin(client):
    client.force_login(user_with_role("admin"))
    prohibition = Prohibition.objects.get(number=1)
    url = reverse("admin:inspections_prohibition_change", args=[prohibition.pk])
    response = client.post(url, {"number": 1, "text": "不准与司乘人员发生争吵。", "active": "on"})
    assert response.status_code == 302
    prohibition.refresh_from_db()
    assert prohibition.text == "不准与司乘人员发生争吵。" and not prohibition.is_default_placeholder
    assert client.get(reverse("admin:inspections_prohibition_delete", args=[prohibition.pk])).status_code == 403
