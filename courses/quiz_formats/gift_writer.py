"""Writing questions as GIFT (see ``gift`` for the format), for Moodle and back."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .gift import ANSWER_WEIGHT, CATEGORY_PREFIX, FORMAT_MARKER
from .questions import (
    CHOICE_KINDS,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    TextFormat,
    answer_to_moodle,
    decimal_text,
    either,
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


def to_gift(questions: Iterable[ParsedQuestion], *, lossy: bool = False) -> str:
    """Write ``questions`` as GIFT, which ``parse_gift`` reads back unchanged.

    GIFT has no place for a mark, nor for feedback on the whole response except a
    numeric or short-text question's feedback for any other answer. Such a question
    raises QuestionFormatError unless ``lossy`` is true, which leaves those out.
    """
    out: list[str] = []
    category = ""
    for number, question in enumerate(questions, start=1):
        try:
            validate_question(question)
            if not lossy:
                _check_gift_can_hold(question)
            block = _write_question(question)
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
            out.append(f"{CATEGORY_PREFIX} {category}".rstrip() + "\n")
        out.append(block)
    return "\n".join(out)


def _check_gift_can_hold(question: ParsedQuestion) -> None:
    lost = []
    if question.default_mark != 1 and question.kind != QuestionKind.DESCRIPTION:
        lost.append(
            fill(_("the mark %(mark)s"), {"mark": decimal_text(question.default_mark)})
        )
    if question.feedback_correct:
        lost.append(_("the feedback for a right answer"))
    if question.feedback_partial:
        lost.append(_("the feedback for a partly right answer"))
    if question.feedback_incorrect and question.kind not in (
        QuestionKind.NUMERIC,
        QuestionKind.SHORT_TEXT,
    ):
        lost.append(_("the feedback for a wrong answer"))
    if question.kind == QuestionKind.ESSAY:
        if question.response_lines != ParsedQuestion.response_lines:
            lost.append(_("the size of the answer box"))
        if question.response_template:
            lost.append(_("the answer template"))
        if question.grader_info:
            lost.append(_("the information for markers"))
    if lost:
        raise QuestionFormatError(
            fill(
                _("GIFT cannot hold %(what)s; export as Moodle XML instead"),
                {"what": either(lost)},
            )
        )


def _write_question(question: ParsedQuestion) -> str:
    text_format = question.text_format
    head = "::" + _escape(question.name) + "::"
    head += _write_text(
        question.text, text_format, always_mark=text_format != TextFormat.MOODLE
    )

    def feedback(text: str) -> str:
        return "#" + _write_text(text, text_format) if text else ""

    if question.kind == QuestionKind.DESCRIPTION:
        return head + "\n"
    lines: list[str] = []
    if question.kind in CHOICE_KINDS:
        lines = _write_choices(question, feedback)
    elif question.kind == QuestionKind.TRUE_FALSE:
        right = next(c for c in question.choices if c.fraction == 1)
        wrong = next(c for c in question.choices if c.fraction != 1)
        answer = "TRUE" if right.text == "true" else "FALSE"
        if wrong.feedback or right.feedback:
            answer += "#" + _write_text(wrong.feedback, text_format)
        if right.feedback:
            answer += "#" + _write_text(right.feedback, text_format)
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
