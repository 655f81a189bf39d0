"""Spreadsheet safety shared by every export and import.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (CSV injection). Every
exported text cell goes through :func:`neutralise_formula`, which prefixes such a
cell with an apostrophe so it shows as the text it is. Imports refuse such cells (:func:`looks_like_formula`)
rather than store text that would turn into a formula in the next export's reader.
"""

import re

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


# A signed number or an international phone number starts with + or - harmlessly.
_PLAIN_NUMBER = re.compile(r"^[+-][\d\s().-]*$")


def looks_like_formula(value) -> bool:
    """True for text a spreadsheet would evaluate: ``=SUM(A1)``, ``@cmd``, ``+A1``."""
    if not isinstance(value, str) or not value.startswith(FORMULA_TRIGGERS):
        return False
    return not _PLAIN_NUMBER.match(value)


def protect_wagtail_exports() -> None:
    """Every CSV and XLSX export Wagtail writes goes through one method per cell,
    ``SpreadsheetExportMixin.preprocess_field_value``; wrap it once (CmsConfig.ready) so
    that every export view, ours and Wagtail's own reports (site history, locked and
    aging pages, workflows) neutralises formulas, not only those that remember a mixin.
    Idempotent: a neutralised cell starts with an apostrophe and is left alone.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        return neutralise_formula(original(self, field, value, export_format))

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
