"""Cells that would start a formula are written as text, in our CSV exports and
in Wagtail's own (form submissions, reports)."""

import csv
import io
from decimal import Decimal

import pytest
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from lms.spreadsheets import FormulaSafeWriter, neutralise_formula


@pytest.mark.parametrize(
    "value,written",
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ayesha = teacher", "Ayesha = teacher"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        (-1, -1),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_only_cells_that_start_a_formula_get_an_apostrophe(value, written):
    assert neutralise_formula(value) == written


def test_the_writer_neutralises_every_cell():
    out = io.StringIO()
    FormulaSafeWriter(out).writerows([["=A1", "fine", 3], ["@x"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["'=A1", "fine", "3"],
        ["'@x"],
    ]


def test_wagtail_csv_exports_neutralise_formulas_too():
    class Export(SpreadsheetExportMixin):
        list_export = ["answer", "score"]

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["answer", "score"])
    Export().write_csv_row(writer, {"answer": '=HYPERLINK("http://x/")', "score": -1})
    assert out.getvalue().strip() == '"\'=HYPERLINK(""http://x/"")",-1'
