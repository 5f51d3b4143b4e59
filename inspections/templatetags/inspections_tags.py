"""Template tags other modules' pages use to show inspections without importing their views."""

from django import template

from inspections import selectors

register = template.Library()

INSPECTION_FINDING = "inspection_finding"  # penalties.models.Penalty.Source.INSPECTION_FINDING


@register.simple_tag(takes_context=True)
def penalty_source_finding(context, penalty):
    """The inspection finding a penalty was proposed from, if the reader may see it (INS-6: the
    link never reveals a covert visit the reader may not see); ``None`` otherwise.

    ``{% penalty_source_finding penalty as finding %}`` on the penalty's page."""
    request = context.get("request")
    if request is None or penalty.source != INSPECTION_FINDING or not penalty.source_object_id:
        return None
    return selectors.finding_visible(user=request.user, finding_id=penalty.source_object_id)
