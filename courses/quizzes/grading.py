"""How a response earns points. Pure functions over loaded rows; no queries."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from languages.text import normalise_for_matching

from ..models import AnswerOption, Question
from ..quiz_formats.questions import QuestionFormatError, parse_decimal

MAX_TEXT_ANSWER = 500
ZERO = Decimal(0)
ONE = Decimal(1)


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
    from ..quiz_formats.questions import decimal_text

    value = decimal_text(option.value)
    if option.tolerance:
        return f"{value} ± {decimal_text(option.tolerance)}"
    return value


def option_maps(questions: Mapping[int, Question]) -> dict[int, AnswerOption]:
    return {o.pk: o for q in questions.values() for o in q.options.all()}
