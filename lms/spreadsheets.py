"""CSV and spreadsheet cells that cannot run as formulas.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and some read a leading tab or carriage return the same way) as a formula, so a
trainer's quiz title ``=HYPERLINK(...)`` or a visitor's form answer could run on
the computer of whoever opens the export. As OWASP's CSV-injection guidance
advises, such a cell gets a leading apostrophe, which spreadsheets show as text.
Plain numbers (``-0.25``) are left alone: they are values, not formulas.
"""

from __future__ import annotations

import csv
import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutralise_formula(value: Any) -> Any:
    """``value``, with an apostrophe before it if it would start a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


class FormulaSafeWriter:
    """``csv.writer`` whose cells are passed through ``neutralise_formula``."""

    def __init__(self, stream, **options) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, row) -> Any:
        return self._writer.writerow([neutralise_formula(cell) for cell in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def protect_wagtail_exports() -> None:
    """Neutralise formulas in the CSV exports of Wagtail's own listings (form
    submissions, reports): Wagtail guards its XLSX cells but not CSV ones."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    original = SpreadsheetExportMixin.preprocess_field_value
    if getattr(original, "neutralises_formulas", False):
        return

    def preprocess_field_value(self, field, value, export_format):
        value = original(self, field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value

    preprocess_field_value.neutralises_formulas = True
    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
