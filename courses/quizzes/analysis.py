"""The trainer's report on a quiz: results and classical item analysis.

Facility is the mean share of a question's points earned (for an all-or-nothing
question, the share of learners who got it right). Discrimination is Kelley's
upper-lower index: rank the submitted attempts that drew the question by their
total score, take the top and bottom 27%, and subtract the lower group's facility
from the upper group's (-1 to 1; below about 0.2 the question separates strong
from weak learners poorly). Every submitted attempt counts, retakes included.
Three queries, however many attempts.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from decimal import Decimal

from lms.spreadsheets import FormulaSafeWriter

from ..models import Question, QuestionResponse, Quiz, QuizAttempt

GROUP_SHARE = 0.27
BANDS = 10


@dataclass
class ItemStatistics:
    question: Question
    responses: int
    facility: float | None
    discrimination: float | None


@dataclass
class QuizReport:
    quiz: Quiz
    attempts: int
    learners: int
    passed_attempts: int
    learners_passed: int
    mean_score: float | None
    distribution: list[tuple[str, int]] = field(default_factory=list)
    items: list[ItemStatistics] = field(default_factory=list)

    @property
    def pass_rate(self) -> float | None:
        return 100 * self.passed_attempts / self.attempts if self.attempts else None

    @property
    def max_band(self) -> int:
        return max((count for _label, count in self.distribution), default=0) or 1


def quiz_report(quiz: Quiz) -> QuizReport:
    attempts = list(
        QuizAttempt.objects.filter(
            quiz=quiz, submitted_at__isnull=False, awaiting_marking=False
        ).values_list("pk", "user_id", "score", "passed")
    )
    scores = {pk: float(score) for pk, _user, score, _passed in attempts}
    users = {user for _pk, user, _score, _passed in attempts}
    passed_users = {user for _pk, user, _score, passed in attempts if passed}
    bands = [0] * BANDS
    for score in scores.values():
        bands[min(int(score // (100 / BANDS)), BANDS - 1)] += 1
    step = 100 // BANDS
    distribution = [
        (f"{i * step}–{i * step + step - (0 if i == BANDS - 1 else 1)}", count)
        for i, count in enumerate(bands)
    ]
    by_key: dict = {}
    for key, attempt_id, fraction in QuestionResponse.objects.filter(
        attempt__quiz=quiz,
        attempt__submitted_at__isnull=False,
        attempt__awaiting_marking=False,
    ).values_list("question_key", "attempt_id", "fraction"):
        by_key.setdefault(key, []).append((scores[attempt_id], float(fraction)))
    questions: dict = {}
    for question in (
        Question.objects.filter(translation_key__in=by_key)
        .select_related("locale", "category")
        .order_by("locale_id")
    ):
        # One row per question: the course's language version names it.
        if question.translation_key not in questions or (
            question.locale.language_code == quiz.course.locale.language_code
        ):
            questions[question.translation_key] = question
    items = [
        _item(questions[key], rows) for key, rows in by_key.items() if key in questions
    ]
    items.sort(key=lambda item: (item.question.category_id, item.question.name))
    return QuizReport(
        quiz=quiz,
        attempts=len(attempts),
        learners=len(users),
        passed_attempts=sum(1 for *_rest, passed in attempts if passed),
        learners_passed=len(passed_users),
        mean_score=(sum(scores.values()) / len(scores)) if scores else None,
        distribution=distribution,
        items=items,
    )


def _item(question: Question, rows: list[tuple[float, float]]) -> ItemStatistics:
    facility = sum(fraction for _score, fraction in rows) / len(rows)
    return ItemStatistics(question, len(rows), facility, discrimination_index(rows))


def discrimination_index(rows: list[tuple[float, float]]) -> float | None:
    """Upper minus lower 27% facility; None with fewer than 2 per group possible."""
    if len(rows) < 4:
        return None
    size = max(1, math.floor(len(rows) * GROUP_SHARE + 0.5))
    ranked = sorted(rows, key=lambda row: row[0])
    lower, upper = ranked[:size], ranked[-size:]
    mean = lambda group: sum(f for _s, f in group) / len(group)  # noqa: E731
    return mean(upper) - mean(lower)


def report_csv(report: QuizReport) -> str:
    out = io.StringIO()
    writer = FormulaSafeWriter(out)
    writer.writerow(["quiz", report.quiz.title])
    writer.writerow(["attempts", report.attempts])
    writer.writerow(["learners", report.learners])
    rate = report.pass_rate
    writer.writerow(["pass rate %", "" if rate is None else f"{rate:.1f}"])
    mean = report.mean_score
    writer.writerow(["mean score %", "" if mean is None else f"{mean:.1f}"])
    writer.writerow([])
    writer.writerow(["score band %", "attempts"])
    writer.writerows(report.distribution)
    writer.writerow([])
    writer.writerow(
        ["question", "category", "type", "responses", "facility", "discrimination"]
    )
    for item in report.items:
        writer.writerow(
            [
                item.question.name,
                item.question.category.name,
                item.question.kind,
                item.responses,
                _two_places(item.facility),
                _two_places(item.discrimination),
            ]
        )
    return out.getvalue()


def _two_places(value: float | None) -> str:
    return "" if value is None else f"{Decimal(value).quantize(Decimal('0.01'))}"
