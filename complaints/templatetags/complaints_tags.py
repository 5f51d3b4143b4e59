"""Template tags other modules' pages use to point at complaints."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from complaints import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def complaint_source(context, penalty) -> str:
    """A penalty's source reference, linked to its complaint when it came from one (PEN-3,
    PEN-4) and the reader may see that complaint; the plain reference otherwise."""
    request = context.get("request")
    complaint = selectors.penalty_source_complaint(user=getattr(request, "user", None), penalty=penalty)
    if complaint is None:
        return penalty.source_reference
    return format_html(
        '<a href="{}" id="penalty-source-complaint">{}</a>',
        complaint.get_absolute_url(),
        penalty.source_reference or complaint.number,
    )
