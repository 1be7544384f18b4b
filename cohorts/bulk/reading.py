"""Reading a file of learners: the file as a whole, then each row on its own.

A file is refused as a whole only when it cannot be read at all (too large, not
CSV or XLSX, no header with an e-mail column, too many rows). Everything about a
single row (an address that is not one, a district we cannot find) is that
row's problem, named by its line, and the other rows go on.

District names come spelt many ways: "D.G. Khan", "Dera Ghazi Khan", "ڈیرہ
غازی خان", "Lahore District", with Urdu digits in a code. They are compared
through ``languages.text.normalise_for_matching`` with punctuation, spaces and
the word "district" removed, against each district's English and Urdu names and
code, and a short list of spellings people use (``DISTRICT_ALIASES``).
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from languages.text import normalise_for_matching, to_ascii_digits
from lms.accounts.models import District, Profile, Province

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
# An XLSX is a zip; refuse one that unpacks to far more than it weighs.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
NAME_MAX_LENGTH = Profile.NAME_MAX_LENGTH
INSTITUTION_MAX_LENGTH = 200

COLUMNS = (
    "email",
    "name_en",
    "name_ur",
    "province",
    "district",
    "gender",
    "sector",
    "role",
    "institution",
)
# Header spellings seen in files from the field.
HEADER_ALIASES = {
    "e-mail": "email",
    "email address": "email",
    "e-mail address": "email",
    "name": "name_en",
    "name (english)": "name_en",
    "name (urdu)": "name_ur",
    "urdu name": "name_ur",
    "school": "institution",
    "ای میل": "email",
    "نام": "name_ur",
    "صوبہ": "province",
    "ضلع": "district",
}
# Other names of districts (keys compared after ``place_key``).
DISTRICT_ALIASES = {
    "dg khan": "PB-DGK",
    "d g khan": "PB-DGK",
    "di khan": "KP-DIK",
    "d i khan": "KP-DIK",
    "ry khan": "PB-RYK",
    "r y khan": "PB-RYK",
    "tt singh": "PB-TTS",
    "t t singh": "PB-TTS",
    "pindi": "PB-RWP",
    "nawabshah": "SD-SBA",
    "benazirabad": "SD-SBA",
    "mirpurkhas": "SD-MPK",
    "mandi bahaudin": "PB-MBD",
    "sheikhupura": "PB-SKP",
    "shekhupura": "PB-SKP",
    "faislabad": "PB-FSD",
    "lyallpur": "PB-FSD",
    "islamabad capital territory": "IS-ISB",
    "ict": "IS-ISB",
    "karachi": "SD-KCS",
}
GENDERS = {
    "female": "female",
    "f": "female",
    "woman": "female",
    "خاتون": "female",
    "عورت": "female",
    "male": "male",
    "m": "male",
    "man": "male",
    "مرد": "male",
    "other": "other",
    "دیگر": "other",
    "": "",
}
SECTORS = {
    "public": "public",
    "government": "public",
    "govt": "public",
    "سرکاری": "public",
    "private": "private",
    "نجی": "private",
    "پرائیویٹ": "private",
}
ROLES = {
    "teacher": "teacher",
    "استاد": "teacher",
    "ٹیچر": "teacher",
    "lecturer": "lecturer",
    "لیکچرر": "lecturer",
}
_PLACE_WORDS = {"district", "distt", "dist", "ضلع", "province", "صوبہ"}


class LearnerFileError(ValueError):
    """The file as a whole cannot be read; ``message`` says why."""

    def __init__(self, message: StrOrPromise) -> None:
        self.message = message
        super().__init__(str(message))


# Each problem a row can have: stored by code, shown in the reader's language.
PROBLEMS: dict[str, StrOrPromise] = {
    "columns": _("The line has more cells than the header."),
    "email_missing": _("The e-mail address is missing."),
    "email_invalid": _("“%(value)s” is not an e-mail address."),
    "email_repeated": _("%(value)s is listed twice (first on line %(first)s)."),
    "name_missing": _("A new account needs a name in English (name_en)."),
    "name_too_long": _("A name is longer than %(limit)s characters."),
    "province_unknown": _("No province is called “%(value)s”."),
    "district_missing": _("The district is missing."),
    "district_unknown": _("No district matches “%(value)s”."),
    "district_not_in_province": _("%(district)s is not in %(province)s."),
    "gender_unknown": _("“%(value)s” is not a gender we know (female, male, other)."),
    "sector_unknown": _("“%(value)s” is not a sector (public or private)."),
    "role_unknown": _("“%(value)s” is not a role (teacher or lecturer)."),
    "institution_missing": _("A new account needs a school, college or university."),
    "column_missing": _("A new account needs the column %(column)s."),
    "out_of_scope": _(
        "You may not enrol learners of %(district)s: it is outside your area."
    ),
    "file": _("%(value)s"),
}


@dataclass
class RowProblem:
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "params": self.params}


def problem_message(problem: dict[str, Any]) -> str:
    """A stored problem, in the active language."""
    template = PROBLEMS.get(problem.get("code", ""), PROBLEMS["file"])
    params = dict(problem.get("params") or {})
    if get_language() == "ur":  # place names are stored in both languages
        for name in ("district", "province"):
            if params.get(f"{name}_ur"):
                params[name] = params[f"{name}_ur"]
    try:
        return str(template) % params
    except (KeyError, TypeError, ValueError):
        return str(template)


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def _header_key(cell: str) -> str:
    key = normalise_for_matching(_clean(cell)).replace("_", " ")
    key = HEADER_ALIASES.get(key, key)
    return key.replace(" ", "_")


def read_learner_file(name: str, data: bytes) -> list[dict[str, Any]]:
    """The rows of an uploaded file as ``{"line": n, column: text, …}``.

    Raises ``LearnerFileError`` when the file as a whole cannot be used.
    """
    if len(data) > MAX_FILE_BYTES:
        raise LearnerFileError(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    lower = name.lower()
    if lower.endswith(".xlsx"):
        table = _xlsx_rows(data)
    elif lower.endswith(".csv"):
        table = _csv_rows(data)
    else:
        raise LearnerFileError(_("Upload a .csv or .xlsx file."))
    try:
        header_line, header = next(table)
    except StopIteration:
        raise LearnerFileError(_("The file is empty.")) from None
    keys = [_header_key(cell) for cell in header]
    if "email" not in keys:
        raise LearnerFileError(
            _("The first line must name the columns, among them “email”.")
        )
    rows: list[dict[str, Any]] = []
    for line, cells in table:
        if not any(_clean(cell) for cell in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise LearnerFileError(
                _("The file has more than %(count)s rows; split it.")
                % {"count": MAX_ROWS}
            )
        row: dict[str, Any] = {"line": line}
        for key, cell in zip(keys, cells, strict=False):
            if key in COLUMNS:
                row[key] = _clean(cell)
        if len(cells) > len(keys) and any(_clean(c) for c in cells[len(keys) :]):
            row["_extra"] = True
        rows.append(row)
    return rows


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise LearnerFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” or as .xlsx.")
        ) from error
    if "\x00" in text:
        raise LearnerFileError(_("The file is not a CSV file."))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    try:
        while True:
            line = reader.line_num + 1
            cells = next(reader)
            yield line, cells
    except StopIteration:
        return
    except csv.Error as error:
        raise LearnerFileError(
            _("Line %(line)s cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    if not data.startswith(b"PK"):
        raise LearnerFileError(_("The file is not an XLSX workbook."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
            if unpacked > MAX_XLSX_UNPACKED_BYTES:
                raise LearnerFileError(_("The workbook is too large when unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise LearnerFileError(_("The file is not an XLSX workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        for index, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield index, [_clean(cell) for cell in cells]
    finally:
        workbook.close()


def place_key(text: str) -> str:
    """The comparison key of a place name: spelling folded, punctuation,
    spaces and the words "district"/"ضلع" dropped."""
    key = normalise_for_matching(to_ascii_digits(text))
    key = "".join(" " if unicodedata.category(ch)[0] in "PS" else ch for ch in key)
    words = [word for word in key.split() if word not in _PLACE_WORDS]
    return " ".join(words)


class PlaceIndex:
    """Provinces and districts by every key they may be written as (2 queries)."""

    def __init__(self) -> None:
        self.provinces: dict[str, Province] = {}
        for province in Province.objects.all():
            for text in (province.code, province.name_en, province.name_ur):
                self.provinces[place_key(text).replace(" ", "")] = province
        self.districts: dict[str, District] = {}
        by_code: dict[str, District] = {}
        for district in District.objects.select_related("province"):
            by_code[district.code] = district
            for text in (district.code, district.name_en, district.name_ur):
                self.districts[place_key(text).replace(" ", "")] = district
        for alias, code in DISTRICT_ALIASES.items():
            if code in by_code:
                self.districts.setdefault(alias.replace(" ", ""), by_code[code])

    def province(self, text: str) -> Province | None:
        return self.provinces.get(place_key(text).replace(" ", ""))

    def district(self, text: str) -> District | None:
        return self.districts.get(place_key(text).replace(" ", ""))


@dataclass
class LearnerRow:
    line: int
    email: str
    name_en: str = ""
    name_ur: str = ""
    province: Province | None = None
    district: District | None = None
    gender: str = ""
    sector: str = ""
    role: str = ""
    institution: str = ""
    # Problems that matter only when the row must make a new account.
    missing_for_new_account: list[RowProblem] = field(default_factory=list)


def parse_row(row: dict[str, Any], places: PlaceIndex) -> LearnerRow | RowProblem:
    """Check one row; a problem that stops it, or what it says."""
    line = int(row["line"])
    if row.get("_extra"):
        return RowProblem(line, "columns")
    email = to_ascii_digits(row.get("email", "")).strip().lower()
    if not email:
        return RowProblem(line, "email_missing")
    try:
        validate_email(email)
    except ValidationError:
        return RowProblem(line, "email_invalid", {"value": email[:100]})
    parsed = LearnerRow(line=line, email=email)
    parsed.name_en = row.get("name_en", "")
    parsed.name_ur = row.get("name_ur", "")
    if max(len(parsed.name_en), len(parsed.name_ur)) > NAME_MAX_LENGTH:
        return RowProblem(line, "name_too_long", {"limit": NAME_MAX_LENGTH})
    province_text = row.get("province", "")
    if province_text:
        parsed.province = places.province(province_text)
        if parsed.province is None:
            return RowProblem(line, "province_unknown", {"value": province_text[:100]})
    district_text = row.get("district", "")
    if district_text:
        parsed.district = places.district(district_text)
        if parsed.district is None:
            return RowProblem(line, "district_unknown", {"value": district_text[:100]})
        if parsed.province and parsed.district.province_id != parsed.province.pk:
            return RowProblem(
                line,
                "district_not_in_province",
                {
                    "district": parsed.district.name_en,
                    "district_ur": parsed.district.name_ur,
                    "province": parsed.province.name_en,
                    "province_ur": parsed.province.name_ur,
                },
            )
        parsed.province = parsed.district.province
    choice_problem = _choices(row, parsed)
    if choice_problem:
        return choice_problem
    parsed.institution = row.get("institution", "")[:INSTITUTION_MAX_LENGTH]
    if not parsed.name_en:
        parsed.missing_for_new_account.append(RowProblem(line, "name_missing"))
    if parsed.district is None:
        parsed.missing_for_new_account.append(RowProblem(line, "district_missing"))
    if not parsed.institution:
        parsed.missing_for_new_account.append(RowProblem(line, "institution_missing"))
    for column in ("sector", "role"):
        if not getattr(parsed, column):
            parsed.missing_for_new_account.append(
                RowProblem(line, "column_missing", {"column": column})
            )
    return parsed


def _choices(row: dict[str, Any], parsed: LearnerRow) -> RowProblem | None:
    for column, table, code in (
        ("gender", GENDERS, "gender_unknown"),
        ("sector", SECTORS, "sector_unknown"),
        ("role", ROLES, "role_unknown"),
    ):
        text = row.get(column, "")
        value = table.get(normalise_for_matching(text))
        if value is None and text:
            return RowProblem(parsed.line, code, {"value": text[:100]})
        setattr(parsed, column, value or "")
    return None
