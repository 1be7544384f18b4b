"""Moodle's GIFT text format, read and written the way Moodle reads and writes it.

A question is a block of lines ended by a blank line; lines starting with ``//``
are comments; ``::name::`` names a question; ``$CATEGORY: path`` sets the category
of the questions after it; ``[html]``, ``[markdown]``, ``[plain]`` or ``[moodle]``
before the text sets its format; ``\\~ \\= \\# \\{ \\} \\: \\\\`` are literal characters
and ``\\n`` is a line break. The answer block decides the type::

    {=right ~wrong ~%50%half#feedback ####general feedback}   single choice
    {~%50%one ~%50%other ~%-100%wrong}                        multiple choice (no =)
    {T} {TRUE#feedback if wrong#feedback if right} {F}        true/false
    {=answer =%50%other answer#feedback}                      short text
    {#3.14:0.01} {#1..5} {#=%100%3:0 =%50%3:1 ~#other}        numeric
    {=Lahore -> Punjab =Quetta -> Balochistan = -> Sindh}     matching
    {} {####general feedback}                                 essay
    (no answer block)                                         description

Text after the answer block makes a "missing word" question: the block becomes
``_____`` in the text. Wildcard answers are well-formed but not imported:
``read_gift`` lists them as ``UnsupportedQuestion`` with the line they start
on, and ``parse_gift`` refuses the file at the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .embedded_files import check_references
from .gift_extras import GiftExtras, apply_extras, read_extras
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
    answer_from_moodle,
    default_name,
    fill,
    not_empty,
    parse_decimal,
    percent_to_fraction,
    true_false_choices,
    validate_question,
)

__all__ = ["parse_gift", "read_gift"]

CATEGORY_PREFIX = "$CATEGORY:"

# Escaped characters are swapped for private-use placeholders while the structure
# is read, so "\{" can never open an answer block; they are put back in the text.
_ESCAPES = {":": ":", "#": "#", "=": "=", "{": "{", "}": "}", "~": "~", "\\": "\\"}
_ESCAPES["n"] = "\n"
_PLACEHOLDER_START = 0xF0000
_PLACEHOLDERS = {key: chr(_PLACEHOLDER_START + i) for i, key in enumerate(_ESCAPES)}
_RESTORE = str.maketrans({_PLACEHOLDERS[key]: _ESCAPES[key] for key in _ESCAPES})
_PLACEHOLDER_RANGE = re.compile(
    f"[{chr(_PLACEHOLDER_START)}-{chr(_PLACEHOLDER_START + len(_ESCAPES) - 1)}]"
)

ANSWER_WEIGHT = re.compile(r"\s*%([-+]?\d*\.?\d+)%")
FORMAT_MARKER = re.compile(r"\[(html|markdown|plain|moodle)\]")
_TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


def parse_gift(text: str) -> list[ParsedQuestion]:
    """Read every question of a GIFT file, or raise on the first fault."""
    return read_gift(text).all_supported()


def read_gift(text: str) -> ParsedBank:
    """Every question of a GIFT file, apart from the well-formed unsupported ones.

    A fault in the file raises QuestionFormatError naming its line.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if match := _PLACEHOLDER_RANGE.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise QuestionFormatError(_("the text holds a reserved character"), line=line)
    bank = ParsedBank([])
    category = ""
    for first_line, lines, comments in _blocks(text.split("\n")):
        extras = read_extras(comments)
        if lines[0].strip().startswith(CATEGORY_PREFIX):
            category = lines[0].strip()[len(CATEGORY_PREFIX) :].strip()
            if extras.category_description is not None:
                bank.category_descriptions[category] = extras.category_description
            first_line, lines = first_line + 1, lines[1:]
            if not "".join(lines).strip():
                continue
        number = len(bank.questions) + len(bank.unsupported) + 1
        reader = _BlockReader(first_line, "\n".join(lines), number)
        try:
            bank.questions.append(reader.read(category, extras))
        except UnsupportedQuestion as unsupported:
            bank.unsupported.append(unsupported)
    return not_empty(bank)


Comments = list[tuple[int, str]]


def _blocks(lines: list[str]) -> Iterable[tuple[int, list[str], Comments]]:
    """Blank lines end a question; comment lines are blanked but keep their place,
    and come along as ``(line number, text after //)``."""
    first_line, block, comments = 0, [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if block:
                yield from _trimmed(first_line, block, comments)
            block, comments = [], []
            continue
        if not block:
            first_line = number
        if line.strip().startswith("//"):
            comments.append((number, line.strip()[2:]))
            block.append("")
        else:
            block.append(line)
    if block:
        yield from _trimmed(first_line, block, comments)


def _trimmed(
    first_line: int, block: list[str], comments: Comments
) -> Iterable[tuple[int, list[str], Comments]]:
    """Drop leading comment lines, so the block starts where its content does."""
    for skipped, line in enumerate(block):
        if line.strip():
            yield first_line + skipped, block[skipped:], comments
            return


_ESCAPED = re.compile(r"\\([:#={}~\\n])")


def _hide_escapes(text: str) -> str:
    return _ESCAPED.sub(lambda match: _PLACEHOLDERS[match.group(1)], text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def _split_format(raw: str, default: TextFormat) -> tuple[TextFormat, str]:
    text = raw.strip()
    if match := FORMAT_MARKER.match(text):
        return TextFormat(match.group(1)), _restore(text[match.end() :]).strip()
    return default, _restore(text).strip()


class _BlockReader:
    """Reads one question block; offsets are into the escaped block text."""

    def __init__(self, first_line: int, raw: str, number: int):
        self.first_line = first_line
        self.body = _hide_escapes(raw)
        self.number = number
        self.name = ""
        self.text_format = TextFormat.MOODLE

    def line_at(self, offset: int) -> int:
        return self.first_line + self.body.count("\n", 0, offset)

    def error(self, message: str | Promise, offset: int = 0) -> QuestionFormatError:
        return QuestionFormatError(
            message,
            line=self.line_at(offset),
            question=self.name or None,
            number=self.number,
        )

    def unsupported(
        self, message: str | Promise, kind: str, offset: int = 0
    ) -> UnsupportedQuestion:
        return UnsupportedQuestion(
            message,
            kind,
            line=self.line_at(offset),
            question=self.name or default_name(_restore(self.body)),
            number=self.number,
        )

    def read(self, category: str, extras: GiftExtras) -> ParsedQuestion:
        body = self.body
        start = position = len(body) - len(body.lstrip())
        if body.startswith("::", position):
            end = body.find("::", position + 2)
            if end < 0:
                raise self.error(_("the name after :: is not closed with ::"), position)
            self.name = " ".join(_restore(body[position + 2 : end]).split())
            position = end + 2
        if not re.search(r"[{}]", body[position:]):
            description = self._description(body[position:], category)
            try:
                apply_extras(description, extras)
                if description.kind == QuestionKind.CLOZE:
                    validate_question(description)
            except QuestionFormatError as error:
                raise error.located(
                    self.line_at(start), self.name, self.number
                ) from None
            return description
        opening, closing = self._answer_block(position)
        after = body[closing + 1 :]
        question_text = body[position:opening]
        if after.strip():  # missing-word question: the blank stands where the block was
            question_text += "_____" + after
        self.text_format, text = _split_format(question_text, TextFormat.MOODLE)
        if not self.name:
            self.name = default_name(text)

        answer = body[opening + 1 : closing]
        general_feedback = ""
        if (general_at := answer.rfind("####")) >= 0:
            general_feedback = self.format_text(answer[general_at + 4 :])
            answer = answer[:general_at]
        question = ParsedQuestion(
            kind=QuestionKind.SHORT_TEXT,
            name=self.name,
            text=text,
            text_format=self.text_format,
            general_feedback=general_feedback,
            category=category,
        )
        self._read_answers(question, answer, opening + 1)
        try:
            apply_extras(question, extras)
            validate_question(question)
            check_references(question)
        except QuestionFormatError as error:
            raise error.located(self.line_at(start), self.name, self.number) from None
        return question

    def _description(self, raw: str, category: str) -> ParsedQuestion:
        """A block without an answer block: text shown between questions."""
        self.text_format, text = _split_format(raw, TextFormat.MOODLE)
        self.name = self.name or default_name(text)
        return ParsedQuestion(
            kind=QuestionKind.DESCRIPTION,
            name=self.name,
            text=text,
            text_format=self.text_format,
            category=category,
            default_mark=Decimal(0),
        )

    def _answer_block(self, start: int) -> tuple[int, int]:
        body = self.body
        opening, closing = body.find("{", start), body.find("}", start)
        if closing >= 0 and (opening < 0 or closing < opening):
            raise self.error(
                _("'}' has no '{' before it (write \\} for a brace)"), closing
            )
        if closing < 0:
            raise self.error(
                _("'{' is not closed by '}' before the blank line"), opening
            )
        if (again := body.find("{", opening + 1, closing)) >= 0:
            raise self.error(
                fill(
                    _("'{' is not closed before the next '{' on line %(line)s"),
                    {"line": self.line_at(again)},
                ),
                opening,
            )
        extra = re.search(r"[{}]", body[closing + 1 :])
        if extra:
            raise self.error(
                _("a question can have only one answer block { }"),
                closing + 1 + extra.start(),
            )
        return opening, closing

    def format_text(self, raw: str) -> str:
        return _split_format(raw, self.text_format)[1]

    def _read_answers(self, question: ParsedQuestion, answer: str, offset: int) -> None:
        stripped = answer.strip()
        if not stripped:
            question.kind = QuestionKind.ESSAY  # Moodle's GIFT: {} is an essay
            return
        if stripped.startswith("#"):
            question.kind = QuestionKind.NUMERIC
            self._read_numeric(question, answer, offset)
        elif "~" in stripped:
            self._read_choices(question, answer, offset)
        elif "=" in stripped and "->" in stripped:
            question.kind = QuestionKind.MATCHING
            self._read_pairs(question, answer, offset)
        elif stripped.split("#", 1)[0].strip().upper() in _TRUE_FALSE:
            question.kind = QuestionKind.TRUE_FALSE
            parts = stripped.split("#", 2) + ["", ""]
            correct = _TRUE_FALSE[parts[0].strip().upper()]
            wrong, right = self.format_text(parts[1]), self.format_text(parts[2])
            question.choices = (
                true_false_choices(True, right, wrong)
                if correct
                else true_false_choices(False, wrong, right)
            )
        else:
            question.kind = QuestionKind.SHORT_TEXT
            self._read_short_text(question, answer, offset)

    def _pieces(self, segment: str, offset: int, markers: str):
        """Split at each marker: (offset of the piece, its marker, its text)."""
        pieces, start, marker = [], 0, ""
        for index, char in enumerate(segment):
            if char in markers:
                pieces.append((offset + start, marker, segment[start:index]))
                start, marker = index + 1, char
        pieces.append((offset + start, marker, segment[start:]))
        lead_offset, _marker, lead = pieces[0]
        if lead.strip() and markers != "=":
            raise self.error(_("text before the first ~ or = answer"), lead_offset)
        return [piece for piece in pieces if piece[1] or piece[2].strip()]

    def _weight(self, text: str, offset: int) -> tuple[Decimal | None, str]:
        match = ANSWER_WEIGHT.match(text)
        if not match:
            return None, text
        fraction = percent_to_fraction(match.group(1))
        if not -1 <= fraction <= 1:
            raise self.error(
                fill(
                    _("the weight %(weight)s%% is outside -100%% to 100%%"),
                    {"weight": match.group(1)},
                ),
                offset,
            )
        return fraction, text[match.end() :]

    def _read_choices(self, question: ParsedQuestion, answer: str, offset: int) -> None:
        pieces = self._pieces(answer, offset, "~=")
        has_equals = any(marker == "=" for _offset, marker, _text in pieces)
        question.kind = (
            QuestionKind.SINGLE_CHOICE if has_equals else QuestionKind.MULTIPLE_CHOICE
        )
        for piece_offset, marker, content in pieces:
            fraction, rest = self._weight(content, piece_offset)
            if marker == "=":
                if fraction is not None:
                    raise self.error(
                        _(
                            "an option written with = is worth 100%; "
                            "write ~%50% for part marks"
                        ),
                        piece_offset,
                    )
                fraction = Decimal(1)
            text, _hash, feedback = rest.partition("#")
            choice = ParsedChoice(
                self.format_text(text),
                fraction if fraction is not None else Decimal(0),
                self.format_text(feedback),
            )
            if not choice.text:
                raise self.error(
                    fill(_("an option after %(marker)s is empty"), {"marker": marker}),
                    piece_offset,
                )
            question.choices.append(choice)

    def _read_pairs(self, question: ParsedQuestion, answer: str, offset: int) -> None:
        for piece_offset, _marker, content in self._pieces(answer, offset, "="):
            item, arrow, match = content.partition("->")
            if not arrow:
                raise self.error(
                    _("each item of a matching question needs -> and its answer"),
                    piece_offset,
                )
            question.pairs.append(
                MatchPair(self.format_text(item), _restore(match).strip())
            )

    def _read_short_text(
        self, question: ParsedQuestion, answer: str, offset: int
    ) -> None:
        for piece_offset, _marker, content in self._pieces(answer, offset, "="):
            fraction, rest = self._weight(content, piece_offset)
            text, _hash, feedback = rest.partition("#")
            fraction = Decimal(1) if fraction is None else fraction
            response, is_catch_all = self._moodle_answer(text, piece_offset)
            if is_catch_all:
                self._catch_all(question, fraction, feedback, piece_offset)
                continue
            question.text_answers.append(
                TextAnswer(response, fraction, self.format_text(feedback))
            )

    def _moodle_answer(self, raw: str, offset: int) -> tuple[str, bool]:
        try:
            return answer_from_moodle(self.format_text(raw))
        except UnsupportedQuestion as error:
            raise self.unsupported(error.message, error.kind, offset) from None
        except QuestionFormatError as error:
            raise self.error(error.message, offset) from None

    def _catch_all(
        self, question: ParsedQuestion, fraction: Decimal, feedback: str, offset: int
    ) -> None:
        """``*`` stands for "any other answer"; its feedback is the incorrect one."""
        if fraction != 0:
            raise self.error(_("an answer of * (anything) must be worth 0%"), offset)
        if question.feedback_incorrect:
            raise self.error(
                _("only one answer may stand for any other answer"), offset
            )
        question.feedback_incorrect = self.format_text(feedback)

    def _read_numeric(self, question: ParsedQuestion, answer: str, offset: int) -> None:
        hash_at = answer.index("#")
        region, region_offset = answer[hash_at + 1 :], offset + hash_at + 1
        if (tilde := region.find("~")) >= 0:
            lead, _hash, feedback = region[tilde + 1 :].partition("#")
            if lead.strip():
                raise self.error(
                    _("after ~ write # and the feedback for any other answer"),
                    region_offset + tilde,
                )
            self._catch_all(question, Decimal(0), feedback, region_offset + tilde)
            region = region[:tilde]
        for piece_offset, _marker, content in self._pieces(region, region_offset, "="):
            fraction, rest = self._weight(content, piece_offset)
            spec, _hash, feedback = rest.partition("#")
            fraction = Decimal(1) if fraction is None else fraction
            spec = _restore(spec).strip()
            if spec == "*":
                self._catch_all(question, fraction, feedback, piece_offset)
                continue
            try:
                value, tolerance = _numeric_spec(spec)
            except QuestionFormatError as error:
                raise self.error(error.message, piece_offset) from None
            question.numeric_answers.append(
                NumericAnswer(value, tolerance, fraction, self.format_text(feedback))
            )


def _numeric_spec(spec: str) -> tuple[Decimal, Decimal]:
    if not spec:
        raise QuestionFormatError(_("a numeric answer is empty"))
    if ".." in spec[1:]:
        low_text, high_text = spec.split("..", 1)
        low = parse_decimal(low_text, _("the lowest answer"))
        high = parse_decimal(high_text, _("the highest answer"))
        if high < low:
            raise QuestionFormatError(
                fill(_("the range %(range)s runs backwards"), {"range": spec})
            )
        value = (low + high) / 2
        return value, high - value
    if ":" in spec:
        value_text, tolerance_text = spec.split(":", 1)
        return (
            parse_decimal(value_text, _("the numeric answer")),
            parse_decimal(tolerance_text, _("the tolerance")),
        )
    return parse_decimal(spec, _("the numeric answer")), Decimal(0)
