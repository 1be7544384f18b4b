"""What a question keeps beyond GIFT's own syntax, in comment lines before it.

Moodle reads and writes a question's idnumber and tags as ``// [id:Q12] [tag:unit1]``
(``\\]`` is a bracket inside a value). What else we store and GIFT has no syntax
for (a mark, feedback on the whole response, hints, penalty, case sensitivity,
shuffle, all-or-nothing multiple choice, a category's description) is written as
one ``// lms:{...}`` comment holding JSON. Moodle ignores comments, so the file
still imports there; this site reads them back, so its own exports round-trip.
GIFT has no cloze syntax: a cloze question is written as a description (its text
with the gaps in place, escaped) after ``// lms:{"kind":"cloze",...}``; Moodle
imports it as a description.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from .cloze import total_weight
from .questions import (
    CHOICE_KINDS,
    DEFAULT_PENALTY,
    ParsedQuestion,
    QuestionFormatError,
    QuestionKind,
    decimal_text,
    fill,
    parse_decimal,
)

EXTRAS_PREFIX = "lms:"
_MOODLE_BITS = re.compile(r"\[(id|tag):((?:[^\]\\]|\\.)*)\]")
_TEXT_KEYS = ("feedback_correct", "feedback_partial", "feedback_incorrect")
_BOOL_KEYS = ("partial_credit", "case_sensitive", "shuffle_answers")
_KEYS = {
    "points",
    "penalty",
    "hints",
    "description",
    "true_false_feedback",
    # Essays: what Moodle XML keeps and GIFT's {} cannot.
    "response_lines",
    "response_template",
    "grader_info",
    # Cloze: GIFT has no syntax for it; the question is written as a description
    # (its text, gaps and all) that this site reads back as cloze.
    "kind",
    "general_feedback",
    *_TEXT_KEYS,
    *_BOOL_KEYS,
}


@dataclass
class GiftExtras:
    """The comment lines of one block, read."""

    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    @property
    def category_description(self) -> str | None:
        return self.settings.get("description")


def read_extras(comments: list[tuple[int, str]]) -> GiftExtras:
    """Read ``(line number, text after //)`` comments; other comments are ignored."""
    extras = GiftExtras()
    for line, comment in comments:
        comment = comment.strip()
        if comment.startswith(EXTRAS_PREFIX):
            extras.line = line
            extras.settings.update(_settings(comment[len(EXTRAS_PREFIX) :], line))
            continue
        for match in _MOODLE_BITS.finditer(comment):
            value = re.sub(r"\\(.)", r"\1", match.group(2)).strip()
            if match.group(1) == "id":
                extras.idnumber = value
            elif value:
                extras.tags.append(value)
    return extras


def _settings(text: str, line: int) -> dict[str, Any]:
    def fail(message) -> QuestionFormatError:
        return QuestionFormatError(message, line=line)

    try:
        settings = json.loads(text)
    except ValueError:
        raise fail(_('the settings after "// lms:" are not valid JSON')) from None
    if not isinstance(settings, dict):
        raise fail(_('the settings after "// lms:" are not valid JSON'))
    for key, value in settings.items():
        if key not in _KEYS:
            raise fail(fill(_('"%(key)s" is not a setting of "// lms:"'), {"key": key}))
        if key in _BOOL_KEYS:
            ok = isinstance(value, bool)
        elif key == "hints":
            ok = isinstance(value, list) and all(isinstance(h, str) for h in value)
        elif key == "response_lines":
            ok = isinstance(value, int) and not isinstance(value, bool) and value > 0
        elif key in ("points", "penalty"):
            ok = isinstance(value, str)
        elif key == "kind":
            ok = value == QuestionKind.CLOZE
        else:
            ok = isinstance(value, str)
        if not ok:
            raise fail(
                fill(_('the setting "%(key)s" has the wrong type'), {"key": key})
            )
    return settings


def apply_extras(question: ParsedQuestion, extras: GiftExtras) -> None:
    """Put what the comments held on ``question`` (before it is validated)."""
    question.idnumber = extras.idnumber
    question.tags = list(extras.tags)
    settings = extras.settings
    if settings.get("kind") == QuestionKind.CLOZE:
        if question.kind != QuestionKind.DESCRIPTION:
            raise QuestionFormatError(
                _('a cloze question ("kind":"cloze") has no answer block {…}'),
                line=extras.line,
            )
        question.kind = QuestionKind.CLOZE
        # As in Moodle, the mark is the gaps' weights unless "points" says else.
        question.default_mark = Decimal(total_weight(question.text))
        question.general_feedback = settings.get("general_feedback", "")
    try:
        if "points" in settings:
            question.default_mark = parse_decimal(settings["points"], _("the mark"))
        if "penalty" in settings:
            question.penalty = parse_decimal(settings["penalty"], _("the penalty"))
    except QuestionFormatError as error:
        raise error.located(line=extras.line) from None
    for key in _TEXT_KEYS + _BOOL_KEYS:
        if key in settings:
            setattr(question, key, settings[key])
    question.hints = list(settings.get("hints", []))
    for key in ("response_lines", "response_template", "grader_info"):
        if key in settings:
            setattr(question, key, settings[key])
    if settings.get("true_false_feedback") == "question":
        # The answer block's feedback is the question's, for Moodle to show too.
        right = next((c for c in question.choices if c.fraction == 1), None)
        wrong = next((c for c in question.choices if c.fraction != 1), None)
        if right is not None and wrong is not None:
            question.feedback_correct, right.feedback = right.feedback, ""
            question.feedback_incorrect, wrong.feedback = wrong.feedback, ""


def tf_feedback_in_block(question: ParsedQuestion) -> bool:
    """Whether a true/false question's right/wrong feedback goes in its answer
    block (``{TRUE#wrong#right}``), which Moodle shows, rather than in the
    ``// lms:`` comment: when its two answers have no feedback of their own."""
    return (
        question.kind == QuestionKind.TRUE_FALSE
        and not any(choice.feedback for choice in question.choices)
        and bool(question.feedback_correct or question.feedback_incorrect)
    )


def write_extras(question: ParsedQuestion) -> str:
    """The comment lines for what GIFT's syntax cannot hold, or ``""``."""
    lines = []
    bits = [f"[id:{_escape_bit(question.idnumber)}]"] if question.idnumber else []
    bits += [f"[tag:{_escape_bit(tag)}]" for tag in question.tags]
    if bits:
        lines.append("// " + " ".join(bits))
    settings: dict[str, Any] = {}
    if question.kind == QuestionKind.CLOZE:
        settings["kind"] = str(QuestionKind.CLOZE)
        if question.general_feedback:
            settings["general_feedback"] = question.general_feedback
    usual_mark = (
        total_weight(question.text) if question.kind == QuestionKind.CLOZE else 1
    )
    if (
        question.kind != QuestionKind.DESCRIPTION
        and question.default_mark != usual_mark
    ):
        settings["points"] = decimal_text(question.default_mark)
    if question.kind in CHOICE_KINDS and not question.partial_credit:
        settings["partial_credit"] = False
    in_block = tf_feedback_in_block(question)
    if in_block:
        settings["true_false_feedback"] = "question"
    for key in _TEXT_KEYS:
        value = getattr(question, key)
        native = key == "feedback_incorrect" and question.kind in (
            QuestionKind.NUMERIC,
            QuestionKind.SHORT_TEXT,
        )
        if in_block and key != "feedback_partial":
            native = True
        if value and not native:
            settings[key] = value
    if question.hints:
        settings["hints"] = list(question.hints)
    if question.penalty != DEFAULT_PENALTY:
        settings["penalty"] = decimal_text(question.penalty)
    if question.case_sensitive:
        settings["case_sensitive"] = True
    if not question.shuffle_answers:
        settings["shuffle_answers"] = False
    if question.kind == QuestionKind.ESSAY:
        if question.response_lines != ParsedQuestion.response_lines:
            settings["response_lines"] = question.response_lines
        for key in ("response_template", "grader_info"):
            if getattr(question, key):
                settings[key] = getattr(question, key)
    if settings:
        lines.append("// " + EXTRAS_PREFIX + _json(settings))
    return "".join(line + "\n" for line in lines)


def write_category_extras(description: str) -> str:
    if not description:
        return ""
    return f"// {EXTRAS_PREFIX}{_json({'description': description})}\n"


def _json(settings: dict[str, Any]) -> str:
    # JSON escapes line breaks and control characters, so it stays on one line.
    return json.dumps(settings, ensure_ascii=False, separators=(",", ":"))


def _escape_bit(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise QuestionFormatError(_("an idnumber or tag cannot hold a line break"))
    return value.replace("\\", "\\\\").replace("]", "\\]")
