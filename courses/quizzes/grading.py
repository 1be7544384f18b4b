"""How a response earns points. Pure functions over loaded rows; no queries."""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from languages.text import normalise_for_matching

from ..models import AnswerOption, Question
from ..quiz_formats import cloze
from ..quiz_formats.cloze import Gap, GapAnswer
from ..quiz_formats.questions import QuestionFormatError, decimal_text, parse_decimal

MAX_TEXT_ANSWER = 500
ZERO = Decimal(0)
ONE = Decimal(1)
_random = random.SystemRandom()


@dataclass(frozen=True)
class Grade:
    fraction: Decimal
    # The options (in shown order) the response chose, for feedback.
    chosen: tuple[AnswerOption, ...] = ()
    # The numeric or text answer that matched, if any.
    matched: AnswerOption | None = None


def clean_response(
    question: Question,
    option_count: int,
    raw: Sequence[str],
    choice_count: int = 0,
) -> Any:
    """Turn submitted form values into the stored response, or None.

    Choices come as positions in the order shown (0, 1, 2...); anything out of
    range is dropped, so a forged form cannot name an option it was not shown.
    A matching question sends one value per item, in the items' order: the
    position of the chosen answer, or "" for none.
    """
    if question.kind == Question.Kind.MATCHING:
        picks = [
            int(v) if v.isascii() and v.isdigit() and int(v) < choice_count else None
            for v in list(raw)[:option_count]
        ]
        picks += [None] * (option_count - len(picks))
        return picks if any(p is not None for p in picks) else None
    if question.kind in (Question.Kind.NUMERIC, Question.Kind.SHORT_TEXT):
        text = (raw[0] if raw else "").strip()[:MAX_TEXT_ANSWER]
        return text or None
    positions = sorted(
        {int(v) for v in raw if v.isascii() and v.isdigit() and int(v) < option_count}
    )
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        return positions or None
    return positions[0] if len(positions) == 1 else None


def grade(
    question: Question,
    shown: Sequence[AnswerOption],
    response: Any,
    choices: Sequence[AnswerOption] = (),
) -> Grade:
    """The share of the question's points that ``response`` earns, 0 to 1.

    ``choices`` are the answers a matching question offered, in shown order.
    """
    if response is None or question.kind == Question.Kind.ESSAY:
        return Grade(ZERO)  # an essay earns what a trainer gives it, later
    if question.kind == Question.Kind.MATCHING:
        return _grade_matching(shown, response, choices)
    if question.kind in (Question.Kind.SINGLE_CHOICE, Question.Kind.TRUE_FALSE):
        if not isinstance(response, int) or not 0 <= response < len(shown):
            return Grade(ZERO)
        option = shown[response]
        return Grade(_clamp(option.fraction), chosen=(option,))
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        if not isinstance(response, list):
            return Grade(ZERO)
        chosen = tuple(shown[i] for i in response if 0 <= i < len(shown))
        if question.partial_credit:
            return Grade(_clamp(sum((o.fraction for o in chosen), ZERO)), chosen)
        right = {o.pk for o in shown if o.fraction > 0}
        exact = {o.pk for o in chosen} == right
        return Grade(ONE if exact else ZERO, chosen)
    if question.kind == Question.Kind.NUMERIC:
        return _grade_numeric(question, str(response))
    return _grade_text(question, str(response))


def _grade_numeric(question: Question, response: str) -> Grade:
    typed = response.replace("\u066c", "").replace(" ", "")
    if typed.count(",") == 1 and "." not in typed:
        typed = typed.replace(",", ".")  # a decimal comma, as many phones type
    try:
        number = parse_decimal(typed, "answer")
    except QuestionFormatError:
        return Grade(ZERO)
    best: AnswerOption | None = None
    for option in question.options.all():
        if option.value is None:
            continue
        if abs(number - option.value) <= option.tolerance and (
            best is None or option.fraction > best.fraction
        ):
            best = option
    return Grade(_clamp(best.fraction), matched=best) if best else Grade(ZERO)


def _grade_text(question: Question, response: str) -> Grade:
    keep_case = question.case_sensitive
    typed = normalise_for_matching(response, keep_case=keep_case)
    best: AnswerOption | None = None
    for option in question.options.all():
        if (
            option.text
            and normalise_for_matching(option.text, keep_case=keep_case) == typed
        ):
            if best is None or option.fraction > best.fraction:
                best = option
    return Grade(_clamp(best.fraction), matched=best) if best else Grade(ZERO)


def matched_choices(
    shown: Sequence[AnswerOption], response: Any, choices: Sequence[AnswerOption]
) -> list[AnswerOption | None]:
    """The answer chosen for each shown item of a matching question."""
    picks = response if isinstance(response, list) else []
    chosen: list[AnswerOption | None] = []
    for position in range(len(shown)):
        pick = picks[position] if position < len(picks) else None
        valid = isinstance(pick, int) and 0 <= pick < len(choices)
        chosen.append(choices[pick] if valid else None)
    return chosen


def is_match(item: AnswerOption, choice: AnswerOption | None) -> bool:
    return choice is not None and normalise_for_matching(
        choice.match_text
    ) == normalise_for_matching(item.match_text)


def _grade_matching(
    shown: Sequence[AnswerOption], response: Any, choices: Sequence[AnswerOption]
) -> Grade:
    """Each item matched right earns an equal share, as in Moodle."""
    if not shown:
        return Grade(ZERO)
    chosen = matched_choices(shown, response, choices)
    right = sum(
        is_match(item, choice) for item, choice in zip(shown, chosen, strict=True)
    )
    return Grade((Decimal(right) / len(shown)).quantize(Decimal("0.0000001")))


def shown_choices(
    item: Mapping[str, Any], options: Mapping[int, AnswerOption]
) -> list[AnswerOption]:
    """The answers an attempt's matching question offered, in shown order."""
    return [options[oid] for oid in item.get("choices", ()) if oid in options]


def _clamp(fraction: Decimal) -> Decimal:
    return min(max(fraction, ZERO), ONE)


def score_percent(earned: Decimal, possible: Decimal) -> Decimal:
    if possible <= 0:
        return ZERO
    return (100 * earned / possible).quantize(Decimal("0.01"))


def right_answers(question: Question, shown: Sequence[AnswerOption]) -> list[str]:
    """What a right answer is, in words, for the results page."""
    if question.kind in (Question.Kind.NUMERIC,):
        return [_number_text(o) for o in question.options.all() if o.fraction >= 1]
    if question.kind == Question.Kind.SHORT_TEXT:
        return [o.text for o in question.options.all() if o.fraction >= 1]
    if question.kind == Question.Kind.MATCHING:
        return [f"{o.text} → {o.match_text}" for o in shown]
    return [o.text for o in shown if o.fraction > 0]


def _number_text(option: AnswerOption) -> str:
    value = decimal_text(option.value)
    if option.tolerance:
        return f"{value} ± {decimal_text(option.tolerance)}"
    return value


def option_maps(questions: Mapping[int, Question]) -> dict[int, AnswerOption]:
    return {o.pk: o for q in questions.values() for o in q.options.all()}


# Cloze (embedded answers) ------------------------------------------------


@dataclass(frozen=True)
class GapGrade:
    """How one gap of a cloze response was graded."""

    gap: Gap
    fraction: Decimal
    # The gap's answers in the order shown (choice gaps; else as written).
    shown: tuple[GapAnswer, ...]
    # What the learner typed, or the answers they chose.
    typed: str | None = None
    chosen: tuple[GapAnswer, ...] = ()
    # The written answer a typed response matched, if any.
    matched: GapAnswer | None = None

    @property
    def answered(self) -> bool:
        return bool(self.typed) or bool(self.chosen)


def cloze_draw(text: str) -> list[list[int]]:
    """Each gap's answers in the order to show (shuffled where the gap says so);
    an empty list for a gap the learner types into."""
    orders = []
    for gap in cloze.gaps_of(text):
        if not gap.has_choices:
            orders.append([])
            continue
        order = list(range(len(gap.answers)))
        if gap.shuffle:
            _random.shuffle(order)
        orders.append(order)
    return orders


def _shown_answers(gap: Gap, order: Sequence[int]) -> tuple[GapAnswer, ...]:
    if not gap.has_choices:
        return gap.answers
    picked = [gap.answers[i] for i in order if 0 <= i < len(gap.answers)]
    # A text edited after the draw: fall back to the written order.
    return tuple(picked) if len(picked) == len(gap.answers) else gap.answers


def clean_cloze_response(gaps: Sequence[Gap], raw: Sequence[Sequence[str]]) -> Any:
    """One value per gap from the form: text typed, a position in the shown
    order, or positions for check boxes; None where nothing was given."""
    values: list[Any] = []
    for index, gap in enumerate(gaps):
        given = list(raw[index]) if index < len(raw) else []
        count = len(gap.answers)
        positions = sorted(
            {int(v) for v in given if v.isascii() and v.isdigit() and int(v) < count}
        )
        if gap.kind == cloze.GapKind.MULTI_RESPONSE:
            values.append(positions or None)
        elif gap.kind == cloze.GapKind.CHOICE:
            values.append(positions[0] if len(positions) == 1 else None)
        else:
            text = (given[0] if given else "").strip()[:MAX_TEXT_ANSWER]
            values.append(text or None)
    return values if any(v is not None for v in values) else None


def grade_cloze(
    text: str, orders: Sequence[Sequence[int]], response: Any
) -> tuple[Decimal, list[GapGrade]]:
    """The question's share of its points, each gap weighing its weight, and
    each gap's grade. ``orders`` is the attempt's draw (``cloze_draw``)."""
    gaps = cloze.gaps_of(text)
    values = response if isinstance(response, list) else []
    grades = []
    for index, gap in enumerate(gaps):
        order = orders[index] if index < len(orders) else []
        value = values[index] if index < len(values) else None
        grades.append(_grade_gap(gap, _shown_answers(gap, order), value))
    total = sum(gap.weight for gap in gaps)
    if total <= 0:
        return ZERO, grades
    earned = sum((g.fraction * g.gap.weight for g in grades), ZERO)
    return (earned / total).quantize(Decimal("0.0000001")), grades


def _grade_gap(gap: Gap, shown: tuple[GapAnswer, ...], value: Any) -> GapGrade:
    kind = cloze.GapKind
    if gap.kind in (kind.CHOICE, kind.MULTI_RESPONSE):
        picks = value if isinstance(value, list) else [value]
        chosen = tuple(
            shown[p] for p in picks if isinstance(p, int) and 0 <= p < len(shown)
        )
        if gap.kind == kind.CHOICE:
            chosen = chosen[:1]
        fraction = _clamp(sum((a.fraction for a in chosen), ZERO))
        return GapGrade(gap, fraction, shown, chosen=chosen)
    typed = value if isinstance(value, str) and value.strip() else None
    if typed is None:
        return GapGrade(gap, ZERO, shown)
    matched = (
        _matched_number(gap, typed)
        if gap.kind == kind.NUMERIC
        else _matched_text(gap, typed)
    )
    fraction = _clamp(matched.fraction) if matched else ZERO
    return GapGrade(gap, fraction, shown, typed=typed, matched=matched)


def _matched_number(gap: Gap, typed: str) -> GapAnswer | None:
    number = _typed_number(typed)
    best = None
    for answer in gap.answers:
        if answer.catch_all:
            if best is None:
                best = answer  # any other answer: its feedback, usually 0
            continue
        if (
            number is not None
            and answer.value is not None
            and abs(number - answer.value) <= answer.tolerance
            and (best is None or best.catch_all or answer.fraction > best.fraction)
        ):
            best = answer
    return best


def _typed_number(typed: str) -> Decimal | None:
    text = typed.replace("\u066c", "").replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as many phones type
    try:
        return parse_decimal(text, "answer")
    except QuestionFormatError:
        return None


def _matched_text(gap: Gap, typed: str) -> GapAnswer | None:
    """The first written answer the response matches, as Moodle takes it;
    ``*`` stands for any run of characters, ``\\*`` for an asterisk."""
    keep_case = gap.case_sensitive
    key = normalise_for_matching(typed, keep_case=keep_case)
    for answer in gap.answers:
        parts = [
            normalise_for_matching(part.replace("\\*", "*"), keep_case=keep_case)
            for part in re.split(r"(?<!\\)\*", answer.text)
        ]
        pattern = ".*".join(re.escape(part) for part in parts)
        if re.fullmatch(pattern, key, flags=re.DOTALL):
            return answer
    return None


def gap_right_answers(gap: Gap) -> list[str]:
    """What a right answer to the gap is, in words, for the results page."""
    if gap.kind == cloze.GapKind.MULTI_RESPONSE:
        return [a.shown_text for a in gap.answers if a.fraction > 0]
    right = [a for a in gap.answers if a.fraction >= 1 and not a.catch_all]
    if gap.kind == cloze.GapKind.NUMERIC:
        return [
            f"{a.text} ± {decimal_text(a.tolerance)}" if a.tolerance else a.text
            for a in right
        ]
    return [a.shown_text for a in right]
