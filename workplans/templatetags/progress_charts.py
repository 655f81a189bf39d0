"""The workplan progress report's bars and table cells, drawn in Python.

The report repeats one section per MNVP (50 at host scale), each with nine bars and
eighteen table cells. As template loops that was thousands of template nodes and
number localisations, the larger part of the page's time; these tags give the same
markup (numbers by report_charts.plain_number, as the template would show them).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from members.templatetags.report_charts import bar_class, chart_row, plain_number

register = template.Library()


@register.simple_tag
def tally_bars(tallies, largest, keyed=False):
    """One bar per tally, its length a share of ``largest``; ``keyed`` colours it by its key (RAG)."""
    return mark_safe(  # every value is escaped or an integer
        "".join(
            chart_row(
                tally.label,
                (f"wp-bar--{escape(str(tally.key))} " if keyed else "") + bar_class(tally.count, largest),
                plain_number(tally.count),
            )
            for tally in tallies
        )
    )


@register.simple_tag
def tally_headings(tallies):
    """A column heading per tally."""
    return mark_safe(  # every label is escaped
        "".join(f'<th scope="col" class="mnvp-num">{escape(str(tally.label))}</th>' for tally in tallies)
    )


@register.simple_tag
def tally_counts(tallies):
    """A cell per tally, its count."""
    return mark_safe(  # numbers only
        "".join(f'<td class="mnvp-num">{plain_number(tally.count)}</td>' for tally in tallies)
    )
