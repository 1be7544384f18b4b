"""A dashboard table as CSV or XLSX, every text cell safe from running as a
formula (``lms.spreadsheets.neutralise_formula``) in either format."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from lms.spreadsheets import FormulaSafeWriter, neutralise_formula

from .tables import Cell, Table

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(cell: Cell) -> Cell:
    if cell is None:
        return ""
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return cell


def table_csv(table: Table) -> bytes:
    stream = io.StringIO()
    writer = FormulaSafeWriter(stream)
    writer.writerow([str(header) for header in table.headers])
    writer.writerows([_plain(cell) for cell in row] for row in table.rows)
    # A byte-order mark, so spreadsheet programs read the Urdu as UTF-8.
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def _xlsx_cell(cell: Cell) -> object:
    if cell is None:
        return None
    if isinstance(cell, Decimal):
        return float(cell)
    if isinstance(cell, str):
        return neutralise_formula(cell)
    return cell


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.slug[:31]
    sheet.append([neutralise_formula(str(header)) for header in table.headers])
    for row in table.rows:
        sheet.append([_xlsx_cell(cell) for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
