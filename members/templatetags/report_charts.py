"""Chart helpers for the report templates: bar lengths as CSS classes (no inline styles)."""

import html
from decimal import Decimal

from django import template
from django.conf import settings
from django.utils import formats

register = template.Library()


@register.filter
def bar_class(value, largest=100) -> str:
    """``mnvp-bar--N``: ``value`` as a whole percentage of ``largest`` (0 to 100).

    The stylesheet has one width rule per whole percent, so a Content Security
    Policy without ``'unsafe-inline'`` still draws the chart.
    """
    try:
        value, largest = Decimal(value or 0), Decimal(largest or 0)
    except (TypeError, ArithmeticError, ValueError):
        return "mnvp-bar--0"
    if largest <= 0 or value <= 0:
        return "mnvp-bar--0"
    percent = int((value * 100 / largest).to_integral_value())
    return f"mnvp-bar--{max(1, min(percent, 100))}"


def plain_number(value) -> str:
    """An int or float as ``{{ value }}`` would show it, without the template's cost per value.

    For tags that draw hundreds of figures (a bar and a row per stage per MNVP): the
    locale's decimal separator, and Django's own formatting whenever digits are grouped.
    """
    if settings.USE_THOUSAND_SEPARATOR:
        return formats.number_format(value)
    text = str(value)
    return text.replace(".", formats.get_format("DECIMAL_SEPARATOR")) if "." in text else text


CHART_ROW = (
    '<li class="mnvp-chart__row"><span class="mnvp-chart__label">{}</span>'
    '<span class="mnvp-chart__track"><span class="mnvp-bar {}"></span>'
    '<span class="mnvp-chart__value">{}</span></span></li>'
)


def chart_row(label, bar_classes: str, value: str) -> str:
    """One bar of an ``mnvp-chart`` list: the label (escaped), the bar's classes and its value text.

    The one markup of a chart row for the tags that draw many (the funnel, workplan progress):
    ``str.format`` and the standard library's escape, as format_html's lazy-string checks on
    every value cost more than the template loops these tags replaced. ``bar_classes`` and
    ``value`` are the caller's own (class names, numbers), not user text.
    """
    return CHART_ROW.format(html.escape(str(label)), bar_classes, value)
