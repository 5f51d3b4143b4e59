"""Factories for the standard (six unifications, service code, ten prohibitions)."""

import factory

from inspections.models import Prohibition, ServiceCategory, ServiceProvision


class ServiceCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceCategory
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"规范{n}")


class ServiceProvisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceProvision

    category = factory.SubFactory(ServiceCategoryFactory)
    code = factory.Sequence(lambda n: f"T-{n:03d}")
    text = factory.Sequence(lambda n: f"测试条款{n}")


class ProhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prohibition

    number = factory.Sequence(lambda n: 100 + n)
    text = factory.Sequence(lambda n: f"不准测试事项{n}。")
