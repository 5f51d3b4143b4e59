from django import template

from tollservice.access.permissions import has_permission

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


@register.simple_tag(takes_context=True)
def submission_token(context) -> str:
    """``{% submission_token %}`` inside a state-changing ``<form>``, next to ``{% csrf_token %}``:
    the form is then saved once however often it is sent (``tollservice.core.service_views``)."""
    from tollservice.core.service_views import submission_field

    request = context.get("request")
    return submission_field(getattr(request, "user", None))
