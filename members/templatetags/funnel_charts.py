"""The recruitment funnel's bars and table rows, drawn in Python.

The report repeats one funnel per MNVP (50 at host scale), each with nine bars and
nine table rows. As template loops that was thousands of template nodes and number
localisations, most of the page's time; these tags give the same markup (numbers by
:func:`report_charts.plain_number`, as the template would show them).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from .report_charts import bar_class, chart_row, plain_number

register = template.Library()

NO_TIME = "—"
ROW = (
    '<tr><th scope="row">{label}</th><td class="mnvp-num">{count}</td><td class="mnvp-num">{reached}</td>'
    '<td class="mnvp-num">{median}</td><td class="mnvp-num">{mean}</td></tr>'
)


def _days(value) -> str:
    return NO_TIME if value is None else plain_number(value)


@register.simple_tag
def funnel_bars(funnel):
    """One bar per stage, its length a share of the funnel's largest stage, with the median time in it."""
    largest = funnel.largest_count
    return mark_safe(  # every value is escaped or a number
        "".join(
            chart_row(
                stage.label,
                bar_class(stage.count, largest) + ("" if stage.is_open else " mnvp-bar--closed"),
                plain_number(stage.count)
                + ("" if stage.median_days is None else f" · median {plain_number(stage.median_days)} days"),
            )
            for stage in funnel.stages
        )
    )


@register.simple_tag
def funnel_rows(funnel):
    """A table row per stage: in it now, ever reached, median and mean days in it."""
    return mark_safe(  # every value is escaped or a number
        "".join(
            ROW.format(
                label=escape(str(stage.label)),
                count=plain_number(stage.count),
                reached=plain_number(stage.reached),
                median=_days(stage.median_days),
                mean=_days(stage.mean_days),
            )
            for stage in funnel.stages
        )
    )
