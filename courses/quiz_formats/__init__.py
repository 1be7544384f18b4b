"""Question banks in and out: GIFT, Moodle XML and a CSV spreadsheet template.

No models or database: parsers return plain ``ParsedQuestion`` dataclasses, or
raise ``QuestionFormatError`` naming the line or question of the first fault and
return nothing partial. Saving the questions is the job of the courses services.
The only Django used is translation: error messages are lazy ``gettext`` strings,
read in the language active where the error is shown.
"""

from .gift import parse_gift, read_gift
from .gift_writer import to_gift
from .moodle_xml import parse_moodle_xml, read_moodle_xml, to_moodle_xml
from .questions import (
    MatchPair,
    NumericAnswer,
    ParsedBank,
    ParsedChoice,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextAnswer,
    TextFormat,
    UnsupportedQuestion,
    category_parts,
    decode_text,
    fill,
    moodle_category_path,
    validate_question,
)
from .spreadsheet import CSV_COLUMNS, CSV_TEMPLATE, CSV_TEMPLATE_HEADER, parse_csv

__all__ = [
    "CSV_COLUMNS",
    "CSV_TEMPLATE",
    "CSV_TEMPLATE_HEADER",
    "MatchPair",
    "NumericAnswer",
    "ParsedBank",
    "ParsedChoice",
    "ParsedQuestion",
    "QuestionFormatError",
    "QuestionKind",
    "TextAnswer",
    "TextFormat",
    "UnsupportedQuestion",
    "category_parts",
    "decode_text",
    "fill",
    "moodle_category_path",
    "parse_csv",
    "parse_gift",
    "parse_moodle_xml",
    "read_gift",
    "read_moodle_xml",
    "to_gift",
    "to_moodle_xml",
    "validate_question",
]
