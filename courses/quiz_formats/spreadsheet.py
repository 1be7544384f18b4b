"""Question banks written in a spreadsheet and saved as CSV (UTF-8).

The first row names the columns, in any order and in any letter case; only
``type`` and ``question`` are required. Each further row is one question:

==================  ==========================================================
column              meaning
==================  ==========================================================
type                single_choice, multiple_choice, true_false, numeric or
                    short_text ("Single choice" is read the same)
category            where the question goes, e.g. ``NTTP/Module 1``; may be empty
name                a short name; empty takes the start of the question
question            the question text, plain text (line breaks are kept)
option_1..option_6  the options of a choice question, from option_1 on, no gaps;
                    add option_7 and more columns if needed
correct             single_choice: the number of the right option, ``2``;
                    multiple_choice: the right options, ``1;3``;
                    true_false: ``true`` or ``false`` (also T/F, درست/صحیح/غلط);
                    numeric: the answer, ``3.14`` (Urdu digits are fine)
tolerance           numeric only: how far off an answer may be, default 0
accepted_answers    short_text only: accepted answers separated by ``;``
                    (write ``\\;`` for a semicolon inside an answer)
feedback_correct    shown after a right answer
feedback_incorrect  shown after a wrong answer
mark                how many marks the question is worth, default 1
==================  ==========================================================

In a multiple_choice question the right options share the marks equally, and
each wrong option ticked takes away an equal share of them, so ticking every box
earns nothing. Empty rows are skipped. Cells may hold Urdu; save the file as
"CSV UTF-8" (a BOM is fine). Commas, semicolons or tabs may separate the cells.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import ROUND_DOWN, Decimal

from django.utils.translation import gettext_lazy as _

from content.text import normalise_for_matching, to_ascii_digits

from .cloze import total_weight
from .questions import (
    CHOICE_KINDS,
    NumericAnswer,
    ParsedChoice,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextAnswer,
    TextFormat,
    default_name,
    fill,
    parse_decimal,
    true_false_choices,
    validate_question,
)

__all__ = ["CSV_COLUMNS", "CSV_TEMPLATE", "CSV_TEMPLATE_HEADER", "parse_csv"]

CSV_COLUMNS = (
    "type",
    "category",
    "name",
    "question",
    "option_1",
    "option_2",
    "option_3",
    "option_4",
    "option_5",
    "option_6",
    "correct",
    "tolerance",
    "accepted_answers",
    "feedback_correct",
    "feedback_incorrect",
    "mark",
)
CSV_TEMPLATE_HEADER = ",".join(CSV_COLUMNS)
CSV_TEMPLATE = (
    CSV_TEMPLATE_HEADER
    + "\r\n"
    + "\r\n".join(
        [
            "single_choice,NTTP/Module 1,Capital,What is the capital of Pakistan?,"
            "Lahore,Islamabad,Karachi,,,,2,,,Well done.,Islamabad is the capital.,1",
            "multiple_choice,NTTP/Module 1,Provinces,Which of these are provinces?,"
            "Punjab,Sindh,Lahore,Balochistan,,,1;2;4,,,,,2",
            "true_false,NTTP/Module 1,Sun,سورج مشرق سے نکلتا ہے۔,,,,,,,درست,,,,,1",
            "numeric,NTTP/Module 2,Pi,Give pi to two decimal places.,"
            ",,,,,,3.14,0.005,,,,1",
            "short_text,NTTP/Module 2,Teacher,'استاد' کو انگریزی میں کیا کہتے ہیں؟,"
            ",,,,,,,,teacher;tutor,,,1",
        ]
    )
    + "\r\n"
)

_KIND_NAMES = ", ".join(QuestionKind)
_OPTION = re.compile(r"option_(\d+)")
_TRUE_WORDS = {normalise_for_matching(w) for w in ("true", "t", "yes", "درست", "صحیح")}
_FALSE_WORDS = {normalise_for_matching(w) for w in ("false", "f", "no", "غلط")}
_SHARE_PLACES = Decimal("0.0000001")  # Moodle keeps fractions to 7 places
_UNESCAPED_SEMICOLON = re.compile(r"(?<!\\);")


def parse_csv(text: str) -> list[ParsedQuestion]:
    """Read every question of a CSV question bank, or raise on the first fault."""
    text = text.removeprefix("\ufeff")
    rows = _rows(text)
    header_line, header = next(
        ((line, cells) for line, cells in rows if any(c.strip() for c in cells)),
        (1, None),
    )
    if header is None:
        raise QuestionFormatError(_("the file is empty"), line=1)
    columns = _columns(header, header_line)
    questions: list[ParsedQuestion] = []
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            raise QuestionFormatError(
                fill(
                    _("the row has %(cells)s cells but the header names %(columns)s"),
                    {"cells": len(cells), "columns": len(columns)},
                ),
                line=line,
            )
        row = dict(zip(columns, (cell.strip() for cell in cells), strict=False))
        number = len(questions) + 1
        try:
            question = _read_row(row)
            validate_question(question)
        except QuestionFormatError as error:
            raise error.located(line, row.get("name") or None, number) from None
        questions.append(question)
    if not questions:
        raise QuestionFormatError(_("the file holds no questions"), line=header_line)
    return questions


def _rows(text: str):
    """Rows with the line each starts on; a quoted cell may span several lines."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=lambda d: _known_columns(first, d))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise QuestionFormatError(
            fill(_("the CSV cannot be read (%(error)s)"), {"error": error}), line
        ) from None


def _column_name(cell: str) -> str:
    return "_".join(cell.strip().lower().replace("-", " ").split())


def _known_columns(line: str, delimiter: str) -> int:
    cells = next(csv.reader([line], delimiter=delimiter), [])
    return sum(
        1
        for cell in cells
        if _column_name(cell) in CSV_COLUMNS or _OPTION.fullmatch(_column_name(cell))
    )


def _columns(header: list[str], line: int) -> list[str]:
    columns = [_column_name(cell) for cell in header]
    for column in columns:
        if column not in CSV_COLUMNS and not _OPTION.fullmatch(column):
            raise QuestionFormatError(
                fill(
                    _(
                        'the column "%(column)s" is not known; the first row must '
                        "name the columns: %(columns)s"
                    ),
                    {"column": column, "columns": CSV_TEMPLATE_HEADER},
                ),
                line=line,
            )
        if columns.count(column) > 1:
            raise QuestionFormatError(
                fill(_('the column "%(column)s" appears twice'), {"column": column}),
                line=line,
            )
    for required in ("type", "question"):
        if required not in columns:
            raise QuestionFormatError(
                fill(
                    _('the first row must name the columns; "%(column)s" is missing'),
                    {"column": required},
                ),
                line=line,
            )
    return columns


def _read_row(row: dict[str, str]) -> ParsedQuestion:
    raw_kind = row.get("type", "")
    kind_name = _column_name(raw_kind)
    if kind_name not in set(QuestionKind):
        raise QuestionFormatError(
            fill(
                _('the type "%(type)s" is not one of %(types)s'),
                {"type": raw_kind, "types": _KIND_NAMES},
            )
            if raw_kind
            else fill(
                _("the type is empty; write one of %(types)s"), {"types": _KIND_NAMES}
            )
        )
    kind = QuestionKind(kind_name)
    text = row.get("question", "")
    mark = row.get("mark", "")
    question = ParsedQuestion(
        kind=kind,
        name=row.get("name") or default_name(text),
        text=text,
        text_format=TextFormat.PLAIN,
        feedback_correct=row.get("feedback_correct", ""),
        feedback_incorrect=row.get("feedback_incorrect", ""),
        category=row.get("category", ""),
        default_mark=parse_decimal(mark, _("the mark")) if mark else Decimal(1),
    )
    options = _options(row)
    correct = row.get("correct", "")
    _refuse_unused(row, kind, options)
    if kind in CHOICE_KINDS:
        question.choices = _choices(kind, options, correct)
    elif kind == QuestionKind.TRUE_FALSE:
        word = normalise_for_matching(correct)
        if word not in _TRUE_WORDS | _FALSE_WORDS:
            raise QuestionFormatError(
                fill(
                    _('"correct" must be true or false, not "%(correct)s"'),
                    {"correct": correct},
                )
                if correct
                else _('"correct" is empty; write true or false')
            )
        question.choices = true_false_choices(word in _TRUE_WORDS)
    elif kind == QuestionKind.ESSAY:
        pass  # answered in a box, marked by a trainer
    elif kind == QuestionKind.CLOZE:
        # The gaps are in the question's text, as in Moodle: {1:SHORTANSWER:=…}.
        if not mark:
            question.default_mark = Decimal(total_weight(text))
    elif kind == QuestionKind.NUMERIC:
        if not correct:
            raise QuestionFormatError(_('"correct" is empty; write the numeric answer'))
        tolerance = row.get("tolerance", "")
        question.numeric_answers = [
            NumericAnswer(
                parse_decimal(correct, _("the numeric answer")),
                (
                    parse_decimal(tolerance, _("the tolerance"))
                    if tolerance
                    else Decimal(0)
                ),
            )
        ]
    else:
        accepted = row.get("accepted_answers", "")
        if not accepted:
            raise QuestionFormatError(
                _('"accepted_answers" is empty; write the answers, separated by ;')
            )
        question.text_answers = [
            TextAnswer(answer.strip().replace("\\;", ";"))
            for answer in _UNESCAPED_SEMICOLON.split(accepted)
            if answer.strip()
        ]
    return question


def _options(row: dict[str, str]) -> list[str]:
    numbered = sorted(
        (int(match.group(1)), value)
        for column, value in row.items()
        if (match := _OPTION.fullmatch(column))
    )
    options: list[str] = []
    gap = None
    for number, value in numbered:
        if not value:
            gap = gap or number
            continue
        if gap is not None:
            raise QuestionFormatError(
                fill(
                    _(
                        "option_%(filled)s is filled but option_%(gap)s is empty; "
                        "fill the options from option_1 on"
                    ),
                    {"filled": number, "gap": gap},
                )
            )
        options.append(value)
    return options


def _refuse_unused(row: dict[str, str], kind: QuestionKind, options: list[str]):
    """A filled cell that this type ignores is most likely a slip: say so."""
    used = {
        "options": kind in CHOICE_KINDS,
        "tolerance": kind == QuestionKind.NUMERIC,
        "accepted_answers": kind == QuestionKind.SHORT_TEXT,
        "correct": kind
        not in (QuestionKind.SHORT_TEXT, QuestionKind.ESSAY, QuestionKind.CLOZE),
    }
    filled = {
        "options": bool(options),
        "tolerance": bool(row.get("tolerance")),
        "accepted_answers": bool(row.get("accepted_answers")),
        "correct": bool(row.get("correct")),
    }
    for column, is_used in used.items():
        if filled[column] and not is_used:
            message = (
                _(
                    'a %(kind)s question does not use "%(column)s"; '
                    'write the answers in "accepted_answers"'
                )
                if column == "correct" and kind == QuestionKind.SHORT_TEXT
                else _('a %(kind)s question does not use "%(column)s"')
            )
            raise QuestionFormatError(fill(message, {"kind": kind, "column": column}))


def _choices(
    kind: QuestionKind, options: list[str], correct: str
) -> list[ParsedChoice]:
    if not correct:
        raise QuestionFormatError(
            _(
                '"correct" is empty; write the number of the right option, '
                "or several as 1;3"
            )
            if kind == QuestionKind.MULTIPLE_CHOICE
            else _('"correct" is empty; write the number of the right option')
        )
    picks = [part for part in re.split(r"[;,\s]+", to_ascii_digits(correct)) if part]
    numbers = []
    for pick in picks:
        if not pick.isdigit() or not 1 <= int(pick) <= len(options):
            raise QuestionFormatError(
                fill(
                    _(
                        '"correct" names option %(pick)s, '
                        "but the options are 1 to %(last)s"
                    ),
                    {"pick": pick, "last": len(options)},
                )
            )
        if int(pick) in numbers:
            raise QuestionFormatError(
                fill(_('"correct" names option %(pick)s twice'), {"pick": pick})
            )
        numbers.append(int(pick))
    if kind == QuestionKind.SINGLE_CHOICE and len(numbers) != 1:
        raise QuestionFormatError(
            _(
                "a single_choice question has one right option; "
                "use multiple_choice for several"
            )
        )
    right_shares = _shares(Decimal(1), len(numbers))
    wrong_count = len(options) - len(numbers)
    # Only ticking boxes can be gamed; a wrong single choice simply earns nothing.
    wrong_shares = (
        _shares(Decimal(-1), wrong_count)
        if kind == QuestionKind.MULTIPLE_CHOICE
        else [Decimal(0)] * wrong_count
    )
    return [
        ParsedChoice(
            text,
            right_shares.pop() if index in numbers else wrong_shares.pop(),
        )
        for index, text in enumerate(options, start=1)
    ]


def _shares(total: Decimal, count: int) -> list[Decimal]:
    """``count`` fractions of 7 places that add up to exactly ``total``."""
    if count <= 1:
        return [total] * count
    share = (total / count).quantize(_SHARE_PLACES, rounding=ROUND_DOWN)
    return [total - share * (count - 1)] + [share] * (count - 1)
