"""The funnel's bars and table rows: the markup the template loops gave, numbers shown as there."""

from django.utils import translation

from members.enums import ApplicationStage
from members.reports import Funnel, StageStat
from members.templatetags.funnel_charts import funnel_bars, funnel_rows
from members.templatetags.report_charts import plain_number

S = ApplicationStage


def funnel():
    return Funnel(
        name="Northshire MNVP",
        partnership=None,
        stages=[
            StageStat(S.NEW, "New", 4, 9, 3.5, 7.1),
            StageStat(S.CHECKS, "Checks", 0, 2, None, None),
            StageStat(S.DECLINED, "Declined", 2, 2, None, None),
        ],
    )


def test_bars_show_count_and_median_and_mark_closed_stages():
    assert funnel_bars(funnel()) == (
        '<li class="mnvp-chart__row"><span class="mnvp-chart__label">New</span>'
        '<span class="mnvp-chart__track"><span class="mnvp-bar mnvp-bar--100"></span>'
        '<span class="mnvp-chart__value">4 · median 3.5 days</span></span></li>'
        '<li class="mnvp-chart__row"><span class="mnvp-chart__label">Checks</span>'
        '<span class="mnvp-chart__track"><span class="mnvp-bar mnvp-bar--0"></span>'
        '<span class="mnvp-chart__value">0</span></span></li>'
        '<li class="mnvp-chart__row"><span class="mnvp-chart__label">Declined</span>'
        '<span class="mnvp-chart__track"><span class="mnvp-bar mnvp-bar--50 mnvp-bar--closed"></span>'
        '<span class="mnvp-chart__value">2</span></span></li>'
    )


def test_rows_show_a_dash_where_a_stage_has_no_time():
    rows = funnel_rows(funnel())

    assert rows.startswith(
        '<tr><th scope="row">New</th><td class="mnvp-num">4</td><td class="mnvp-num">9</td>'
        '<td class="mnvp-num">3.5</td><td class="mnvp-num">7.1</td></tr>'
    )
    assert '<th scope="row">Checks</th><td class="mnvp-num">0</td><td class="mnvp-num">2</td>' in rows
    assert rows.count('<td class="mnvp-num">—</td>') == 4


def test_plain_number_uses_the_locales_decimal_separator():
    assert (plain_number(1234), plain_number(3.0), plain_number(7.1)) == ("1234", "3.0", "7.1")
    with translation.override("de"):
        assert plain_number(7.1) == "7,1"
