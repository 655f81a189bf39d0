"""Template tags for public pages that show whether a volunteer is signed in."""

from django import template

from ..services import has_volunteer_session

register = template.Library()


@register.simple_tag(takes_context=True)
def volunteer_signed_in(context) -> bool:
    """``{% volunteer_signed_in as signed_in %}``: True while this browser has a volunteer session."""
    return has_volunteer_session(context.get("request"))
