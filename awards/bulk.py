"""Issuing an award to the teachers listed in a CSV file.

As with bulk enrolment (cohorts.bulk): a file is refused whole only when it
cannot be read; each row is its own transaction and its own problem, named by
line in the reader's language; a rerun of the same file issues nothing twice.
Award lists are short (a district's winners), so the rows are issued while the
manager waits, with a low row limit, rather than through a task.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from lms.accounts.models import User

from .models import Award
from .services import CITATION_MAX_LENGTH, AwardError, issue_award, may_issue_awards

MAX_FILE_BYTES = 256 * 1024
MAX_ROWS = 500
HEADER_ALIASES = {
    "e-mail": "email",
    "email address": "email",
    "ای میل": "email",
    "citation": "citation_en",
    "citation (english)": "citation_en",
    "citation (urdu)": "citation_ur",
    "حوالہ": "citation_ur",
}
COLUMNS = ("email", "citation_en", "citation_ur")

PROBLEMS: dict[str, StrOrPromise] = {
    "columns": _("The line has more cells than the header."),
    "email_missing": _("The e-mail address is missing."),
    "email_invalid": _("“%(value)s” is not an e-mail address."),
    "email_repeated": _("%(value)s is listed twice (first on line %(first)s)."),
    "no_account": _("No teacher has an account with the address %(value)s."),
    "citation_too_long": _("The citation is longer than %(limit)s characters."),
    "refused": _("%(value)s"),
}


class AwardFileError(ValueError):
    """The file as a whole cannot be read."""

    def __init__(self, message: StrOrPromise) -> None:
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class RowProblem:
    line: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        template = PROBLEMS[self.code]
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return str(template)


@dataclass
class FileOutcome:
    issued: int = 0
    already: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def _clean(value: str) -> str:
    text = unicodedata.normalize("NFC", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return " ".join(text.split())


def read_award_file(data: bytes) -> list[dict[str, Any]]:
    """The rows as ``{"line": n, "email": …, "citation_en": …}``."""
    if len(data) > MAX_FILE_BYTES:
        raise AwardFileError(
            _("The file is larger than %(size)s KB.") % {"size": MAX_FILE_BYTES // 1024}
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AwardFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8”.")
        ) from error
    if "\x00" in text:
        raise AwardFileError(_("The file is not a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AwardFileError(_("The file is empty.")) from None
    except csv.Error as error:
        raise AwardFileError(_("The file is not a CSV file.")) from error
    keys = []
    for cell in header:
        key = _clean(cell).lower()
        keys.append(HEADER_ALIASES.get(key, key).replace(" ", "_"))
    if "email" not in keys:
        raise AwardFileError(
            _("The first line must name the columns, among them “email”.")
        )
    rows: list[dict[str, Any]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(_clean(cell) for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise AwardFileError(
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
    except csv.Error as error:
        raise AwardFileError(
            _("Line %(line)s cannot be read: %(error)s")
            % {"line": reader.line_num, "error": error}
        ) from error
    return rows


def _row_problem(row: dict[str, Any], seen: dict[str, int]) -> RowProblem | None:
    line = row["line"]
    if row.get("_extra"):
        return RowProblem(line, "columns")
    email = row.get("email", "")
    if not email:
        return RowProblem(line, "email_missing")
    try:
        validate_email(email)
    except ValidationError:
        return RowProblem(line, "email_invalid", {"value": email})
    key = email.lower()
    if key in seen:
        return RowProblem(line, "email_repeated", {"value": email, "first": seen[key]})
    seen[key] = line
    if max(len(row.get("citation_en", "")), len(row.get("citation_ur", ""))) > (
        CITATION_MAX_LENGTH
    ):
        return RowProblem(line, "citation_too_long", {"limit": CITATION_MAX_LENGTH})
    return None


def issue_award_from_file(award: Award, data: bytes, *, actor: User) -> FileOutcome:
    """Read the file (``AwardFileError`` if it cannot be) and issue the award
    to each good row, one transaction a row; bad rows change nothing."""
    if not may_issue_awards(actor):
        raise AwardFileError(_("Only programme managers may issue awards."))
    rows = read_award_file(data)
    outcome = FileOutcome()
    seen: dict[str, int] = {}
    emails = {row.get("email", "").lower() for row in rows if row.get("email")}
    teachers: dict[str, User] = {
        user.email_key: user
        for user in User.objects.annotate(email_key=Lower("email"))
        .filter(email_key__in=emails, is_active=True)
        .select_related("profile")
    }
    for row in rows:
        problem = _row_problem(row, seen)
        teacher = teachers.get(row.get("email", "").lower())
        if problem is None and teacher is None:
            problem = RowProblem(row["line"], "no_account", {"value": row["email"]})
        if problem is not None:
            outcome.problems.append(problem)
            continue
        if teacher is None:  # never: such a row has its problem above
            continue
        try:
            issued = issue_award(
                award,
                teacher,
                actor=actor,
                citation_en=row.get("citation_en", ""),
                citation_ur=row.get("citation_ur", ""),
            )
        except AwardError as error:
            outcome.problems.append(
                RowProblem(row["line"], "refused", {"value": str(error.message)})
            )
            continue
        if issued.created:
            outcome.issued += 1
        else:
            outcome.already += 1
    return outcome
