"""Chart helpers for the report templates: bar lengths as CSS classes (no inline styles)."""

from decimal import Decimal

from django import template

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
