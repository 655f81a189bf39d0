"""The progress report's bars and table cells: the markup the template loops gave, labels escaped."""

from workplans.progress import Tally
from workplans.templatetags.progress_charts import tally_bars, tally_counts, tally_headings

TALLIES = [Tally("red", "Red", 3), Tally("green", "<b>Green</b>", 6)]


def test_bars_are_a_share_of_the_largest_and_coloured_by_key_only_when_keyed():
    assert tally_bars(TALLIES, 6, keyed=True) == (
        '<li class="mnvp-chart__row"><span class="mnvp-chart__label">Red</span>'
        '<span class="mnvp-chart__track"><span class="mnvp-bar wp-bar--red mnvp-bar--50"></span>'
        '<span class="mnvp-chart__value">3</span></span></li>'
        '<li class="mnvp-chart__row"><span class="mnvp-chart__label">&lt;b&gt;Green&lt;/b&gt;</span>'
        '<span class="mnvp-chart__track"><span class="mnvp-bar wp-bar--green mnvp-bar--100"></span>'
        '<span class="mnvp-chart__value">6</span></span></li>'
    )
    assert 'class="mnvp-bar mnvp-bar--50"' in tally_bars(TALLIES, 6)


def test_headings_and_counts_give_one_cell_per_tally():
    assert tally_headings(TALLIES) == (
        '<th scope="col" class="mnvp-num">Red</th>'
        '<th scope="col" class="mnvp-num">&lt;b&gt;Green&lt;/b&gt;</th>'
    )
    assert tally_counts(TALLIES) == '<td class="mnvp-num">3</td><td class="mnvp-num">6</td>'
