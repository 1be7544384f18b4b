"""Files of learners built in the tests (never real people's data)."""

from __future__ import annotations

import io

HEADER = "email,name_en,name_ur,province,district,gender,sector,role,institution"


def csv_bytes(*lines: str, header: str = HEADER, bom: bool = True) -> bytes:
    text = "\n".join([header, *lines]) + "\n"
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")


def xlsx_bytes(rows: list[list[object]], header: str = HEADER) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(header.split(","))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
