"""Spreadsheet safety shared by every export.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (CSV injection). Every
exported text cell goes through :func:`neutralise_formula`, which prefixes such a
cell with an apostrophe so it shows as the text it is.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
