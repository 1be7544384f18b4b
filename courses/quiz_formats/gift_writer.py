"""Writing questions as GIFT (see ``gift`` for the format), for Moodle and back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import gettext_lazy as _

from .gift import ANSWER_WEIGHT, CATEGORY_PREFIX, FORMAT_MARKER
from .gift_extras import tf_feedback_in_block, write_category_extras, write_extras
from .questions import (
    CHOICE_KINDS,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextFormat,
    answer_to_moodle,
    decimal_text,
    fill,
    fraction_to_percent,
    validate_question,
)

__all__ = ["to_gift"]

_WRITE_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "#": "\\#",
        "=": "\\=",
        "~": "\\~",
        "{": "\\{",
        "}": "\\}",
        ":": "\\:",
        "\n": "\\n",
        "\r": "",
    }
)


def _escape(text: str) -> str:
    return text.replace("\r\n", "\n").translate(_WRITE_ESCAPES)


def _write_text(text: str, text_format: TextFormat, always_mark: bool = False) -> str:
    """Escape ``text``; mark its format when needed or when it looks like a marker."""
    marked = always_mark or FORMAT_MARKER.match(text.strip()) is not None
    return (f"[{text_format}]" if marked else "") + _escape(text)


def to_gift(
    questions: Iterable[ParsedQuestion],
    category_descriptions: Mapping[str, str] | None = None,
) -> str:
    """Write ``questions`` as GIFT, which ``read_gift`` reads back unchanged.

    What GIFT's syntax has no place for (a mark, whole-response feedback, hints,
    penalty...) goes in comment lines before the question (``gift_extras``):
    Moodle ignores them, this site reads them back. ``category_descriptions``
    gives the description of a category path, written before its ``$CATEGORY:``.
    """
    out: list[str] = []
    category = ""
    descriptions = category_descriptions or {}
    questions = list(questions)
    # Described categories holding no question themselves (such as a parent).
    used = {question.category for question in questions}
    for path in sorted(set(descriptions) - used):
        out.append(
            write_category_extras(descriptions[path]) + f"{CATEGORY_PREFIX} {path}\n"
        )
    for number, question in enumerate(questions, start=1):
        try:
            validate_question(question)
            if question.files:
                raise QuestionFormatError(
                    _("GIFT cannot hold images; export as Moodle XML instead")
                )
            block = write_extras(question) + _write_question(question)
        except QuestionFormatError as error:
            raise error.located(question=question.name, number=number) from None
        if question.category != category:
            if "\n" in question.category:
                raise QuestionFormatError(
                    _("a category cannot hold a line break"),
                    question=question.name,
                    number=number,
                )
            category = question.category
            out.append(
                write_category_extras(descriptions.get(category, ""))
                + f"{CATEGORY_PREFIX} {category}".rstrip()
                + "\n"
            )
        out.append(block)
    return "\n".join(out)


def _write_question(question: ParsedQuestion) -> str:
    text_format = question.text_format
    head = "::" + _escape(question.name) + "::"
    head += _write_text(
        question.text, text_format, always_mark=text_format != TextFormat.MOODLE
    )

    def feedback(text: str) -> str:
        return "#" + _write_text(text, text_format) if text else ""

    if question.kind in (QuestionKind.DESCRIPTION, QuestionKind.CLOZE):
        # A cloze question is its text; "// lms:" says it is one (gift_extras).
        return head + "\n"
    lines: list[str] = []
    if question.kind in CHOICE_KINDS:
        lines = _write_choices(question, feedback)
    elif question.kind == QuestionKind.TRUE_FALSE:
        right = next(c for c in question.choices if c.fraction == 1)
        wrong = next(c for c in question.choices if c.fraction != 1)
        answer = "TRUE" if right.text == "true" else "FALSE"
        right_feedback, wrong_feedback = right.feedback, wrong.feedback
        if tf_feedback_in_block(question):
            right_feedback = question.feedback_correct
            wrong_feedback = question.feedback_incorrect
        if wrong_feedback or right_feedback:
            answer += "#" + _write_text(wrong_feedback, text_format)
        if right_feedback:
            answer += "#" + _write_text(right_feedback, text_format)
        lines = [answer]
    elif question.kind == QuestionKind.NUMERIC:
        lines = ["#"]
        for numeric in question.numeric_answers:
            lines.append(
                f"=%{fraction_to_percent(numeric.fraction)}%"
                f"{decimal_text(numeric.value)}:{decimal_text(numeric.tolerance)}"
                + feedback(numeric.feedback)
            )
        if question.feedback_incorrect:
            lines.append("~" + feedback(question.feedback_incorrect))
    elif question.kind == QuestionKind.SHORT_TEXT:
        for text_answer in question.text_answers:
            lines.append(
                f"=%{fraction_to_percent(text_answer.fraction)}%"
                + _write_text(answer_to_moodle(text_answer.text), text_format)
                + feedback(text_answer.feedback)
            )
        if question.feedback_incorrect:
            lines.append("=%0%*" + feedback(question.feedback_incorrect))
        if any("->" in line for line in lines):
            # Moodle reads "=" together with "->" as a matching question.
            raise QuestionFormatError(
                _('GIFT cannot hold "->" in a short-text answer or its feedback')
            )
    elif question.kind == QuestionKind.MATCHING:
        for pair in question.pairs:
            if "->" in pair.text:
                raise QuestionFormatError(
                    _('GIFT cannot hold "->" in an item of a matching question')
                )
            item = _write_text(pair.text, text_format) if pair.text else ""
            lines.append(f"={item} -> {_escape(pair.answer)}")
    if question.general_feedback:
        lines.append("####" + _write_text(question.general_feedback, text_format))
    return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + "}\n"


def _write_choices(question: ParsedQuestion, feedback) -> list[str]:
    lines = []
    single = question.kind == QuestionKind.SINGLE_CHOICE
    equals_written = False
    for choice in question.choices:
        if ANSWER_WEIGHT.match(choice.text):
            raise QuestionFormatError(
                fill(
                    _(
                        "GIFT cannot hold an option that starts like a weight: "
                        '"%(option)s"'
                    ),
                    {"option": choice.text},
                )
            )
        # One "=" makes a single-choice question; "~" makes it a choice question at
        # all, so further full-mark options of a single choice are written ~%100%.
        if single and choice.fraction == 1 and not equals_written:
            marker, equals_written = "=", True
        elif choice.fraction == 0:
            marker = "~"
        else:
            marker = f"~%{fraction_to_percent(choice.fraction)}%"
        text = _write_text(choice.text, question.text_format)
        lines.append(marker + text + feedback(choice.feedback))
    return lines
