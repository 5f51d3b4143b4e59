from django import template

from tollservice.access.permissions import has_permission
from tollservice.core import text

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """``{% if user|can:"roster.manage" %}`` — the navigation shows only what the roles allow."""
    return has_permission(user, permission)


@register.filter
def yuan(fen) -> str:
    """``{{ entry.amount_fen|yuan }}`` → ``1,200.00``"""
    from tollservice.core.money import format_yuan

    return format_yuan(fen)


@register.filter
def person_name(user) -> str:
    """``{{ entry.actor|person_name }}`` — an account by its owner's name on the roster."""
    from tollservice.roster.names import person_name as name_of

    return name_of(user)


@register.filter
def join_list(items) -> str:
    """Items joined as the language joins them (、 in Chinese, ", " in English)."""
    return text.join_list(items)


@register.filter
def zip_with(first, second) -> list[tuple]:
    """``{% for column, cell in report.html_columns|zip_with:row.cells %}`` — two lists side by
    side (a list's cells with their columns' headings, for ``data-label``)."""
    return list(zip(first, second, strict=False))


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """``{% submission_token %}`` inside a state-changing ``<form>``, next to ``{% csrf_token %}``:
    the form is then saved once however often it is sent (``tollservice.core.service_views``)."""
    from tollservice.core.service_views import submission_field

    request = context.get("request")
    return submission_field(getattr(request, "user", None))
