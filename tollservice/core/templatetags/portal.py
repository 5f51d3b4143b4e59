from django import template

from tollservice.access.permissions import has_permission

register = template.Library()


@register.filter
def can(user, permission: str) -> bool:
    """``{% if user|can:"roster.manage" %}`` — the navigation shows only what the roles allow."""
    return has_permission(user, permission)
