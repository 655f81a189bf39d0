import pytest

from cms.spreadsheets import neutralise_formula


@pytest.mark.parametrize("text", ["=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_formula_like_text_is_prefixed_so_spreadsheets_show_it_as_text(text):
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Northshire", "", "a=b", 42, None, 3.5])
def test_other_values_are_left_alone(value):
    assert neutralise_formula(value) == value
