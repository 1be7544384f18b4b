"""The plain question model every format parses into, and the rules it must meet.

Fractions are the share of a question's mark that an answer earns, from -1 to 1,
as in Moodle (where they are written as percentages).

Error messages are lazy translations: ``fill`` puts the details into a message only
when it is read, so an error raised in one language reads in whichever language
is active where it is shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from enum import StrEnum

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from content.text import to_ascii_digits


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"  # several right options, partial credit
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"
    MATCHING = "matching"  # each item matched to one answer of a shared list
    DESCRIPTION = "description"  # text shown between questions, not graded
    ESSAY = "essay"  # a written answer, marked by a trainer
    # Moodle's embedded answers: gaps written in the text (see ``cloze``).
    CLOZE = "cloze"


class TextFormat(StrEnum):
    """How question text, choices and feedback are to be read."""

    HTML = "html"
    MARKDOWN = "markdown"
    PLAIN = "plain"
    # Moodle's "auto-format": HTML is allowed and line breaks are kept.
    MOODLE = "moodle"


TRUE_TEXT = "true"
FALSE_TEXT = "false"
DEFAULT_PENALTY = Decimal("0.3333333")  # Moodle's default: a third per wrong try
CHOICE_KINDS = frozenset({QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE})


def _fill(template: str | Promise, params: dict) -> str:
    return str(template) % params


fill = lazy(_fill, str)
"""``template % params``, done each time the text is read, in the active language.

``fill(_("the range %(range)s runs backwards"), {"range": spec})`` translates the
whole sentence; a param may itself be a lazy translation.
"""


class QuestionFormatError(ValueError):
    """A question bank that cannot be imported or exported, and where it breaks.

    ``line`` is the line in a GIFT or CSV file, ``number`` the position of the
    question in the file (1 for the first), ``question`` its name when known.
    ``message`` is usually a lazy translation, and ``str(error)`` puts the place
    before it in the language active when it is called, not when it was raised.
    """

    def __init__(
        self,
        message: str | Promise,
        line: int | None = None,
        question: str | None = None,
        number: int | None = None,
    ):
        self.message = message
        self.line = line
        self.question = question
        self.number = number
        super().__init__(message, line, question, number)

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(gettext("line %(line)s") % {"line": self.line})
        if self.number is not None:
            where.append(gettext("question %(number)s") % {"number": self.number})
        if self.question:
            where.append(f'"{self.question}"')
        if not where:
            return str(self.message)
        return gettext("%(place)s: %(message)s") % {
            "place": pgettext("list separator", ", ").join(where),
            "message": self.message,
        }

    def located(
        self,
        line: int | None = None,
        question: str | None = None,
        number: int | None = None,
    ) -> QuestionFormatError:
        """The same error, with the place filled in where it was not known."""
        return QuestionFormatError(
            self.message,
            line=self.line if self.line is not None else line,
            question=self.question or question,
            number=self.number if self.number is not None else number,
        )


class UnsupportedQuestion(QuestionFormatError):
    """A well-formed question of a type or feature this site does not import.

    Unlike other format errors it need not refuse the whole file: an import may
    skip it when the trainer agrees. ``kind`` is a ``QuestionKind`` value, or the
    Moodle type (``essay``, ``matching``, ``description``, ``multianswer``...).
    """

    def __init__(
        self,
        message: str | Promise,
        kind: str,
        line: int | None = None,
        question: str | None = None,
        number: int | None = None,
    ):
        super().__init__(message, line=line, question=question, number=number)
        self.kind = kind

    def located(
        self,
        line: int | None = None,
        question: str | None = None,
        number: int | None = None,
    ) -> UnsupportedQuestion:
        return UnsupportedQuestion(
            self.message,
            self.kind,
            line=self.line if self.line is not None else line,
            question=self.question or question,
            number=self.number if self.number is not None else number,
        )


@dataclass
class ParsedChoice:
    text: str
    fraction: Decimal
    feedback: str = ""


@dataclass
class NumericAnswer:
    """Any response within ``value`` ± ``tolerance`` earns ``fraction``."""

    value: Decimal
    tolerance: Decimal = Decimal(0)
    fraction: Decimal = Decimal(1)
    feedback: str = ""


@dataclass
class TextAnswer:
    """A short-text response, compared after ``normalise_for_matching``."""

    text: str
    fraction: Decimal = Decimal(1)
    feedback: str = ""


@dataclass
class MatchPair:
    """An item and the answer it matches; an item without text is a distractor."""

    text: str
    answer: str


@dataclass
class ParsedQuestion:
    """One question, whatever file it came from.

    Choice kinds use ``choices``; a true/false question has the two choices
    ``"true"`` and ``"false"``; numeric questions use ``numeric_answers``;
    short-text questions use ``text_answers``; matching questions use ``pairs``.
    ``feedback_incorrect`` of a numeric or short-text question is what any
    unlisted response gets.
    """

    kind: QuestionKind
    name: str
    text: str
    text_format: TextFormat = TextFormat.MOODLE
    choices: list[ParsedChoice] = field(default_factory=list)
    numeric_answers: list[NumericAnswer] = field(default_factory=list)
    text_answers: list[TextAnswer] = field(default_factory=list)
    pairs: list[MatchPair] = field(default_factory=list)
    feedback_correct: str = ""
    feedback_partial: str = ""
    feedback_incorrect: str = ""
    general_feedback: str = ""
    category: str = ""
    default_mark: Decimal = Decimal(1)
    # Essays only: lines of the answer box, text it starts with, marker's notes.
    response_lines: int = 15
    response_template: str = ""
    grader_info: str = ""
    # Multiple choice: each ticked option adds its share (else all or nothing).
    partial_credit: bool = True
    # What Moodle keeps beside a question: hints (texts in ``text_format``), the
    # share of the mark lost per wrong try, case-sensitive short answers, whether
    # options are shuffled, the trainer's own id and tags.
    hints: list[str] = field(default_factory=list)
    penalty: Decimal = DEFAULT_PENALTY
    case_sensitive: bool = False
    shuffle_answers: bool = True
    idnumber: str = ""
    tags: list[str] = field(default_factory=list)
    # Embedded images by the name texts use (``@@PLUGINFILE@@/name``).
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def accepted_texts(self) -> list[str]:
        """Short-text responses that earn some credit."""
        return [answer.text for answer in self.text_answers if answer.fraction > 0]

    @property
    def correct_choice(self) -> bool | None:
        """The right answer of a true/false question, else None."""
        if self.kind != QuestionKind.TRUE_FALSE:
            return None
        return next(
            (c.text == TRUE_TEXT for c in self.choices if c.fraction == 1), None
        )


@dataclass
class ParsedBank:
    """A whole file: the questions that can be imported, and those that cannot."""

    questions: list[ParsedQuestion]
    unsupported: list[UnsupportedQuestion] = field(default_factory=list)
    # A category path as the file writes it, and the description given with it.
    category_descriptions: dict[str, str] = field(default_factory=dict)

    def kinds_found(self) -> dict[str, int]:
        """How many questions of each kind the file holds, supported or not."""
        counts: dict[str, int] = {}
        for kind in [q.kind for q in self.questions] + [
            u.kind for u in self.unsupported
        ]:
            counts[str(kind)] = counts.get(str(kind), 0) + 1
        return counts

    def all_supported(self) -> list[ParsedQuestion]:
        """The questions, or the first unsupported one raised."""
        if self.unsupported:
            raise self.unsupported[0]
        return self.questions


_PATH_SEPARATOR = re.compile(r"(?<!/)/(?!/)")  # "//" is a slash inside a name
_CONTEXT = re.compile(r"^\$[a-z0-9]+\$$")


def category_parts(path: str) -> list[str]:
    """The categories of a Moodle path, outermost first, without its context.

    ``$course$/top/Unit 1/Week 2`` gives ``["Unit 1", "Week 2"]``; a ``/`` inside
    a name stays written as ``//``.
    """
    parts = [part.strip() for part in _PATH_SEPARATOR.split(path.strip())]
    if parts and _CONTEXT.match(parts[0]):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    return [part for part in parts if part]


def moodle_category_path(name: str) -> str:
    """A category's name (its path below the bank's top) as Moodle writes it."""
    return f"$course$/top/{name}" if name else ""


def not_empty(bank: ParsedBank) -> ParsedBank:
    """``bank``, or the error a file without any question gets."""
    if not bank.questions and not bank.unsupported:
        raise QuestionFormatError(_("the file holds no questions"))
    return bank


def true_false_choices(
    correct: bool, feedback_true: str = "", feedback_false: str = ""
) -> list[ParsedChoice]:
    return [
        ParsedChoice(TRUE_TEXT, Decimal(1 if correct else 0), feedback_true),
        ParsedChoice(FALSE_TEXT, Decimal(0 if correct else 1), feedback_false),
    ]


def parse_decimal(text: str, what: str | Promise) -> Decimal:
    """Read a number as people type it: ASCII, Urdu or Arabic-Indic digits.

    ``what`` names the number in the error, e.g. ``_("the tolerance")``.
    """
    cleaned = to_ascii_digits(text.strip()).replace("\u066b", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?", cleaned):
        raise _not_a_number(text, what)
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise _not_a_number(text, what) from None


def _not_a_number(text: str, what: str | Promise) -> QuestionFormatError:
    return QuestionFormatError(
        fill(
            _('%(what)s "%(text)s" is not a number'),
            {"what": what, "text": text.strip()},
        )
    )


def decimal_text(value: Decimal) -> str:
    """Write a Decimal without exponent or trailing zeros: 0.5, 33.33333, 1000."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def percent_to_fraction(text: str, what: str | Promise | None = None) -> Decimal:
    return parse_decimal(text, _("weight") if what is None else what) / 100


def fraction_to_percent(fraction: Decimal) -> str:
    return decimal_text(fraction * 100)


def decode_text(data: bytes) -> str:
    """Decode an uploaded GIFT or CSV file: UTF-8, with or without a BOM."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise QuestionFormatError(
            _(
                "the file is not UTF-8 text; save it as UTF-8 "
                '(in Excel: "CSV UTF-8") and upload it again'
            ),
            line=line,
        ) from None


def answer_from_moodle(text: str) -> tuple[str, bool]:
    """Read a Moodle short answer: ``(text, is_catch_all)``.

    In Moodle ``*`` is a wildcard and ``\\*`` a literal asterisk. A lone ``*``
    stands for "any other answer"; other wildcards are refused, since answers here
    are compared whole after ``normalise_for_matching``.
    """
    if text.strip() == "*":
        return "", True
    if _UNESCAPED_STAR.search(text):
        raise UnsupportedQuestion(
            fill(
                _(
                    'the answer "%(answer)s" uses the wildcard *, which is not '
                    "supported (write \\* for an asterisk)"
                ),
                {"answer": text},
            ),
            QuestionKind.SHORT_TEXT,
        )
    return text.replace("\\*", "*"), False


def answer_to_moodle(text: str) -> str:
    return text.replace("*", "\\*")


_UNESCAPED_STAR = re.compile(r"(?<!\\)\*")
_TAG = re.compile(r"<[^>]*>")


def default_name(text: str, limit: int = 60) -> str:
    """A name for a question that has none: the start of its text, tags removed."""
    words = " ".join(_TAG.sub(" ", text).split())
    if len(words) <= limit:
        return words
    cut = words[:limit].rsplit(" ", 1)[0] or words[:limit]
    return cut + "…"


def validate_question(question: ParsedQuestion) -> None:
    """Raise QuestionFormatError naming the first rule ``question`` breaks."""
    name = question.name

    def fail(message: str | Promise) -> QuestionFormatError:
        return QuestionFormatError(message, question=name or None)

    if question.kind not in set(QuestionKind):
        raise fail(
            fill(_('"%(kind)s" is not a question type'), {"kind": question.kind})
        )
    if not question.text.strip():
        raise fail(_("the question has no text"))
    if not name.strip():
        raise fail(_("the question has no name"))
    if not 0 <= question.penalty <= 1:
        raise fail(
            fill(
                _("the penalty %(percent)s%% must be 0%% to 100%%"),
                {"percent": fraction_to_percent(question.penalty)},
            )
        )
    if any(not tag.strip() for tag in question.tags):
        raise fail(_("a tag is empty"))
    if question.kind == QuestionKind.DESCRIPTION:
        if question.choices or question.numeric_answers or question.text_answers:
            raise fail(_("a description cannot have answers"))
        if question.pairs:
            raise fail(_("a description cannot have answers"))
        return
    if question.default_mark <= 0:
        raise fail(
            fill(
                _("the mark must be above 0, not %(mark)s"),
                {"mark": decimal_text(question.default_mark)},
            )
        )
    if question.kind == QuestionKind.CLOZE:
        _validate_cloze(question, fail)
        return
    if question.kind == QuestionKind.ESSAY:
        if question.choices or question.numeric_answers or question.text_answers:
            raise fail(_("an essay question cannot have answers"))
        if question.pairs:
            raise fail(_("an essay question cannot have answers"))
        if not 1 <= question.response_lines <= 100:
            raise fail(
                fill(
                    _("the answer box must have 1 to 100 lines, not %(lines)s"),
                    {"lines": question.response_lines},
                )
            )
        return
    for items, uses, misplaced in (
        (
            question.choices,
            question.kind in CHOICE_KINDS or question.kind == QuestionKind.TRUE_FALSE,
            _("a %(kind)s question cannot have choices"),
        ),
        (
            question.numeric_answers,
            question.kind == QuestionKind.NUMERIC,
            _("a %(kind)s question cannot have numeric answers"),
        ),
        (
            question.text_answers,
            question.kind == QuestionKind.SHORT_TEXT,
            _("a %(kind)s question cannot have text answers"),
        ),
    ):
        for item in items:
            if not -1 <= item.fraction <= 1:
                raise fail(
                    fill(
                        _(
                            "an answer is worth %(percent)s%%; "
                            "it must be -100%% to 100%%"
                        ),
                        {"percent": fraction_to_percent(item.fraction)},
                    )
                )
        if items and not uses:
            raise fail(fill(misplaced, {"kind": question.kind}))

    if question.pairs and question.kind != QuestionKind.MATCHING:
        raise fail(
            fill(
                _("a %(kind)s question cannot have matching pairs"),
                {"kind": question.kind},
            )
        )
    if question.kind in CHOICE_KINDS:
        _validate_choices(question, fail)
    elif question.kind == QuestionKind.MATCHING:
        _validate_pairs(question, fail)
    elif question.kind == QuestionKind.TRUE_FALSE:
        texts = sorted(choice.text for choice in question.choices)
        fractions = sorted(choice.fraction for choice in question.choices)
        if texts != [FALSE_TEXT, TRUE_TEXT] or fractions != [0, 1]:
            raise fail(_("a true/false question needs one right and one wrong answer"))
    elif question.kind == QuestionKind.NUMERIC:
        if not question.numeric_answers:
            raise fail(_("a numeric question needs an answer"))
        for answer in question.numeric_answers:
            if not answer.value.is_finite() or not answer.tolerance.is_finite():
                raise fail(_("a numeric answer must be a finite number"))
            if answer.tolerance < 0:
                raise fail(_("a numeric tolerance cannot be negative"))
        if max(a.fraction for a in question.numeric_answers) != 1:
            raise fail(_("no numeric answer is worth full marks"))
    elif question.kind == QuestionKind.SHORT_TEXT:
        if not question.text_answers:
            raise fail(_("a short-text question needs an accepted answer"))
        for answer in question.text_answers:
            if not answer.text.strip():
                raise fail(_("an accepted answer is empty"))
        if max(a.fraction for a in question.text_answers) != 1:
            raise fail(_("no accepted answer is worth full marks"))


def _validate_cloze(question: ParsedQuestion, fail) -> None:
    from .cloze import parse_cloze

    if (
        question.choices
        or question.numeric_answers
        or question.text_answers
        or question.pairs
    ):
        raise fail(_("a cloze question has its answers in its text"))
    try:
        parse_cloze(question.text)
    except QuestionFormatError as error:
        raise fail(error.message) from None


def _validate_pairs(question: ParsedQuestion, fail) -> None:
    items = [pair for pair in question.pairs if pair.text.strip()]
    if len(items) < 2:
        raise fail(_("a matching question needs at least two items to match"))
    for pair in question.pairs:
        if not pair.answer.strip():
            raise fail(
                fill(_('the item "%(item)s" has no answer'), {"item": pair.text})
            )


def _validate_choices(question: ParsedQuestion, fail) -> None:
    if len(question.choices) < 2:
        raise fail(_("a choice question needs at least two options"))
    for choice in question.choices:
        if not choice.text.strip():
            raise fail(_("an option is empty"))
    if question.kind == QuestionKind.SINGLE_CHOICE:
        if max(choice.fraction for choice in question.choices) != 1:
            raise fail(_("no option is marked correct (worth 100%)"))
        return
    earned = sum(c.fraction for c in question.choices if c.fraction > 0)
    if earned == 0:
        raise fail(_("no option is marked correct"))
    # Moodle's rule, which allows 3 × 33.33333%.
    if round(earned, 2) != 1:
        raise fail(
            fill(
                _("the right options add up to %(percent)s%%, not 100%%"),
                {"percent": fraction_to_percent(earned)},
            )
        )


FRACTION_STEP = Decimal("0.0000001")  # the 7 places an AnswerOption stores


def penalise_free_wrong_options(fractions: list[Decimal]) -> list[Decimal]:
    """Moodle's usual weights where a multiple-choice question with partial credit
    lets wrong options weigh 0 (so ticking every option would earn full marks).

    Each wrong option that weighs 0 takes -100% divided by the number of wrong
    options (those not above 0): -100% for one, -50% for two, -33.33333% for three,
    the last absorbing the rounding so that they add up exactly. With the right
    options adding up to 100%, ticking everything then earns 0. Fractions come
    back unchanged when no wrong option weighs 0 or no option is right.
    """
    wrong = [i for i, fraction in enumerate(fractions) if fraction <= 0]
    free = [i for i in wrong if fractions[i] == 0]
    if not free or len(wrong) == len(fractions):
        return list(fractions)
    share = (Decimal(-1) / len(wrong)).quantize(FRACTION_STEP, rounding=ROUND_DOWN)
    total = (Decimal(-len(free)) / len(wrong)).quantize(FRACTION_STEP)
    result = list(fractions)
    for i in free:
        result[i] = share
    result[free[-1]] = total - share * (len(free) - 1)
    return result


def check_wrong_options_subtract(
    kind: str, partial_credit: bool, fractions: list[Decimal]
) -> None:
    """Refuse a partial-credit multiple-choice question whose wrong option weighs 0.

    Files from Moodle may have such options; imports give them Moodle's usual
    penalty (``penalise_free_wrong_options``) instead of refusing the file.
    """
    if kind != QuestionKind.MULTIPLE_CHOICE or not partial_credit:
        return
    suggested = penalise_free_wrong_options(fractions)
    if suggested == list(fractions):
        return
    share = next(
        new for new, old in zip(suggested, fractions, strict=True) if new != old
    )
    raise QuestionFormatError(
        fill(
            _(
                "a wrong option is worth 0%%, so ticking every option would earn "
                "full marks; give each wrong option a negative weight, such as "
                "%(percent)s%% (-100%% divided by the number of wrong options)"
            ),
            {"percent": fraction_to_percent(share)},
        )
    )
