from django import template
from wagtail.models import Site

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_pages(context):
    """The live, public pages under the site's home page that are marked 'show in menus'.

    Plain pages, not ``.specific()``: the menu needs only a title and a URL, and the specific
    classes would cost a query per page type on every public page.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []
    return site.root_page.get_children().live().public().in_menu()
