"""Every write about quizzes: start, save, submit, and question banks in.

Submitting grades exactly once. The attempt row is locked (``select_for_update``)
and the grade is written by a conditional UPDATE that only matches while the
attempt is open, so a second submission, a replayed request or two tabs at once
find the attempt graded and change nothing, on PostgreSQL and on SQLite alike.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from languages.text import normalise_for_matching

from ..models import (
    AnswerOption,
    CoursePage,
    Enrolment,
    Question,
    QuestionResponse,
    Quiz,
    QuizAttempt,
)
from ..quiz_formats import cloze
from ..services import LearningError, NotEnrolled, check_course_completion
from . import grading
from .access import bank_categories, can_manage_quiz

if TYPE_CHECKING:
    from lms.accounts.models import User

# A submission that left the browser just before the deadline still counts.
DEADLINE_GRACE = timedelta(seconds=30)
_random = secrets.SystemRandom()


class QuizNotAvailable(LearningError):
    message = _("This quiz is not available.")


class NoAttemptsLeft(LearningError):
    message = _("You have used all your attempts at this quiz.")


class AttemptClosed(LearningError):
    message = _("This attempt is closed; its answers can no longer change.")


class AwaitingMarking(LearningError):
    message = _(
        "Your last attempt is waiting for a trainer to mark your written "
        "answers. You can try again once it is marked."
    )


class QuizHasNoQuestions(LearningError):
    message = _("This quiz has no questions yet.")


class EssayTooLong(LearningError):
    message = _(
        "An essay answer can be at most 10,000 characters long. Shorten it and "
        "save again; nothing was saved."
    )


class MarkingRefused(LearningError):
    """The marker may not mark this attempt, or a mark is out of range."""

    message = _("This attempt is not yours to mark.")


# The longest essay answer kept (characters); the answer box says so too.
MAX_ESSAY_ANSWER = 10_000
MAX_MARKING_COMMENT = 5_000


@dataclass(frozen=True)
class Submission:
    attempt: QuizAttempt
    graded_now: bool
    late: bool
    course_completed_now: bool


@dataclass(frozen=True)
class EssayMark:
    """A trainer's mark for one essay answer: points out of the question's."""

    points: Decimal
    comment: str = ""


@dataclass(frozen=True)
class Marking:
    attempt: QuizAttempt
    marked_now: bool
    course_completed_now: bool


def course_group(course: CoursePage) -> list[int]:
    """The ids of a course and its translations: enrolment may be in either."""
    return list(
        CoursePage.objects.filter(translation_key=course.translation_key).values_list(
            "pk", flat=True
        )
    )


def _enrolment_for(user: User, quiz: Quiz) -> Enrolment | None:
    return (
        Enrolment.objects.filter(
            user=user, course__translation_key=quiz.course.translation_key
        )
        .select_for_update(of=("self",))
        .order_by("pk")
        .first()
    )


def start_attempt(
    user: User,
    quiz: Quiz,
    language: str,
    drawn: list[dict[str, Any]] | None = None,
) -> QuizAttempt:
    """Resume the learner's open attempt, or start the next one.

    An open attempt whose time is up is graded first, with what it saved.
    Refuses when every allowed attempt is used, while an attempt waits for a
    trainer's marking, or when the learner is not enrolled. ``drawn``: the
    questions drawn earlier by ``draw_questions`` (a paper answered offline),
    used for a new attempt instead of a fresh draw.
    """
    if not CoursePage.objects.live().filter(pk=quiz.course_id).exists():
        raise QuizNotAvailable()
    with transaction.atomic():
        # The enrolment row lock serialises this learner's starts on this course.
        if _enrolment_for(user, quiz) is None:
            raise NotEnrolled()
        open_attempt = QuizAttempt.objects.filter(
            user=user, quiz=quiz, submitted_at__isnull=True
        ).first()
        if open_attempt is not None:
            if not _past_deadline(open_attempt, timezone.now()):
                return open_attempt
            submit_attempt(user, open_attempt.pk, answers=None)
        previous = list(
            QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("-number")
        )
        # The next attempt waits for the mark: it may not be needed, and the
        # learner should see the trainer's comment first.
        if any(attempt.waiting_for_marking for attempt in previous):
            raise AwaitingMarking()
        if quiz.max_attempts and len(previous) >= quiz.max_attempts:
            raise NoAttemptsLeft()
        if drawn is None:
            seen = set(previous[0].question_ids) if previous else set()
            drawn = _draw(quiz, language, seen)
        if not drawn:
            raise QuizHasNoQuestions()
        now = timezone.now()
        deadline = (
            now + timedelta(minutes=quiz.time_limit_minutes)
            if quiz.time_limit_minutes
            else None
        )
        try:
            with transaction.atomic():
                return QuizAttempt.objects.create(
                    user=user,
                    quiz=quiz,
                    number=(previous[0].number + 1) if previous else 1,
                    language=language,
                    started_at=now,
                    deadline=deadline,
                    questions=drawn,
                )
        except IntegrityError:
            # Another request started the attempt first; resume that one.
            existing = QuizAttempt.objects.filter(
                user=user, quiz=quiz, submitted_at__isnull=True
            ).first()
            if existing is None:
                raise
            return existing


def draw_questions(user: User, quiz: Quiz, language: str) -> list[dict[str, Any]]:
    """The questions a next attempt would get, drawn without starting it: a
    paper the learner can answer offline before any attempt is used."""
    last = QuizAttempt.objects.filter(user=user, quiz=quiz).order_by("-number").first()
    drawn = _draw(quiz, language, set(last.question_ids) if last else set())
    if not drawn:
        raise QuizHasNoQuestions()
    return drawn


def _draw(quiz: Quiz, language: str, seen: set[int]) -> list[dict[str, Any]]:
    """Draw each rule's questions at random, preferring ones not seen last time.

    Questions are drawn by translation key and shown in the learner's language
    where a translation exists, else in the course's language.
    """
    # Only the course's own bank and its programme's: a rule naming another
    # programme's category (saved before that was refused) draws nothing.
    allowed = set(bank_categories(quiz.course_id).values_list("pk", flat=True))
    rules = [
        rule
        for rule in quiz.draw_rules.select_related("category")
        if rule.category_id in allowed
    ]
    rows = list(
        Question.objects.filter(category__in=[r.category_id for r in rules])
        .select_related("locale")
        .values("pk", "category_id", "translation_key", "locale__language_code", "kind")
        .order_by("pk")
    )
    course_language = quiz.course.locale.language_code
    by_key: dict[Any, dict[str, int]] = {}
    key_category: dict[Any, int] = {}
    descriptions: dict[int, list[Any]] = {}
    for row in rows:
        by_key.setdefault(row["translation_key"], {})[row["locale__language_code"]] = (
            row["pk"]
        )
        if row["kind"] == Question.Kind.DESCRIPTION:
            keys = descriptions.setdefault(row["category_id"], [])
            if row["translation_key"] not in keys:
                keys.append(row["translation_key"])
        else:
            key_category[row["translation_key"]] = row["category_id"]

    def pick(versions: dict[str, int]) -> int:
        for code in (language, course_language):
            if code in versions:
                return versions[code]
        return min(versions.values())

    # A category's descriptions are always shown, not counted in its draw. With
    # any description in the quiz, each rule's questions stay together after
    # their category's descriptions; otherwise all questions are shuffled.
    sections: list[tuple[list[int], list[int]]] = []
    chosen_ids: list[int] = []
    for rule in rules:
        keys = [k for k, c in key_category.items() if c == rule.category_id]
        fresh = [k for k in keys if not seen & set(by_key[k].values())]
        stale = [k for k in keys if k not in fresh]
        _random.shuffle(fresh)
        _random.shuffle(stale)
        section: list[int] = []
        for key in (fresh + stale)[: rule.count]:
            question_id = pick(by_key[key])
            if question_id not in chosen_ids:
                chosen_ids.append(question_id)
                section.append(question_id)
        texts = [pick(by_key[k]) for k in descriptions.pop(rule.category_id, [])]
        sections.append((texts, section))
    if any(texts for texts, _section in sections):
        chosen_ids = []
        for texts, section in sections:
            _random.shuffle(section)
            chosen_ids += texts + section
    else:
        _random.shuffle(chosen_ids)
    options: dict[int, list[tuple[int, str, str]]] = {qid: [] for qid in chosen_ids}
    kinds, shuffled, cloze_texts = {}, set(), {}
    for question_id, kind, shuffle, text in Question.objects.filter(
        pk__in=chosen_ids
    ).values_list("pk", "kind", "shuffle_answers", "text"):
        kinds[question_id] = kind
        if shuffle:
            shuffled.add(question_id)
        if kind == Question.Kind.CLOZE:
            cloze_texts[question_id] = text
    for question_id, option_id, text, match_text in (
        AnswerOption.objects.filter(question_id__in=chosen_ids)
        .order_by("sort_order", "pk")
        .values_list("question_id", "pk", "text", "match_text")
    ):
        options[question_id].append((option_id, text, match_text))
    drawn = []
    for question_id in chosen_ids:
        kind = kinds[question_id]
        shuffle = question_id in shuffled
        if kind == Question.Kind.MATCHING:
            drawn.append(_draw_matching(question_id, options[question_id], shuffle))
            continue
        if kind == Question.Kind.CLOZE:
            # Each gap's answers in shown order (empty for typed gaps).
            gaps = grading.cloze_draw(cloze_texts[question_id])
            drawn.append({"id": question_id, "options": [], "gaps": gaps})
            continue
        shown = [row[0] for row in options[question_id]] if _shows_options(kind) else []
        if kind != Question.Kind.TRUE_FALSE and shuffle:
            _random.shuffle(shown)
        drawn.append({"id": question_id, "options": shown})
    return drawn


def _draw_matching(
    question_id: int, rows: list[tuple[int, str, str]], shuffle: bool = True
) -> dict:
    """Items in a shuffled order, and the answers to choose from in another
    (without ``shuffle``, items in the trainer's order; answers always shuffled,
    or the first item's answer would come first).

    ``choices`` holds one option per distinct answer text, so two items with the
    same answer do not show it twice; which item it matches stays on the server.
    """
    items = [option_id for option_id, text, _answer in rows if text]
    choices: dict[str, int] = {}
    for option_id, _text, answer in rows:
        choices.setdefault(normalise_for_matching(answer), option_id)
    shuffled_choices = list(choices.values())
    if shuffle:
        _random.shuffle(items)
    _random.shuffle(shuffled_choices)
    return {"id": question_id, "options": items, "choices": shuffled_choices}


def _shows_options(kind: str) -> bool:
    return kind in (
        Question.Kind.SINGLE_CHOICE,
        Question.Kind.MULTIPLE_CHOICE,
        Question.Kind.TRUE_FALSE,
    )


def _past_deadline(attempt: QuizAttempt, now: datetime) -> bool:
    return attempt.deadline is not None and now > attempt.deadline + DEADLINE_GRACE


def past_deadline(attempt: QuizAttempt) -> bool:
    """True once the attempt's time, with its grace, is up."""
    return _past_deadline(attempt, timezone.now())


def answers_from_form(attempt: QuizAttempt, form: Any) -> dict[str, Any]:
    """Read ``q<id>`` fields of a submitted form for this attempt's questions only."""
    rows = Question.objects.filter(pk__in=attempt.question_ids).values_list(
        "pk", "kind", "text"
    )
    kinds = {pk: kind for pk, kind, _text in rows}
    cloze_texts = {pk: text for pk, kind, text in rows if kind == Question.Kind.CLOZE}
    answers: dict[str, Any] = {}
    for item in attempt.questions:
        field = f"q{item['id']}"
        if field not in form:
            continue
        question = Question(kind=kinds.get(item["id"], Question.Kind.SHORT_TEXT))
        if question.is_cloze:
            # One field per gap, q<id>_<gap number>; q<id> itself marks the
            # question as on the form (check boxes left empty send nothing).
            gaps = cloze.gaps_of(cloze_texts[item["id"]])
            answers[str(item["id"])] = grading.clean_cloze_response(
                gaps, [form.getlist(f"{field}_{gap.number}") for gap in gaps]
            )
            continue
        if question.is_essay:
            answers[str(item["id"])] = _essay_answer(form.getlist(field))
            continue
        answers[str(item["id"])] = grading.clean_response(
            question,
            len(item["options"]),
            form.getlist(field),
            choice_count=len(item.get("choices", ())),
        )
    return answers


def _essay_answer(raw: list[str]) -> str | None:
    """The essay as typed (line ends made ``\\n``), or refused when too long."""
    text = (raw[0] if raw else "").replace("\r\n", "\n").strip()
    if len(text) > MAX_ESSAY_ANSWER:
        raise EssayTooLong()
    return text or None


def save_answers(user: User, attempt_id: int, answers: dict[str, Any]) -> QuizAttempt:
    """Keep what the learner has answered so far; later answers replace earlier."""
    with transaction.atomic():
        attempt = (
            QuizAttempt.objects.select_for_update()
            .filter(pk=attempt_id, user=user)
            .first()
        )
        if attempt is None:
            raise QuizNotAvailable()
        now = timezone.now()
        if not attempt.is_open or _past_deadline(attempt, now):
            raise AttemptClosed()
        allowed = {str(qid) for qid in attempt.question_ids}
        merged = {**attempt.answers}
        merged.update({k: v for k, v in answers.items() if k in allowed})
        # Conditional on still being open: a submit that won the race wins.
        updated = QuizAttempt.objects.filter(
            pk=attempt.pk, submitted_at__isnull=True
        ).update(answers=merged, answers_saved_at=now)
        if not updated:
            raise AttemptClosed()
        attempt.answers, attempt.answers_saved_at = merged, now
        return attempt


def submit_attempt(
    user: User, attempt_id: int, answers: dict[str, Any] | None
) -> Submission:
    """Grade the attempt once, with ``answers`` merged over the saved ones.

    After the deadline (plus a short grace) the submitted answers are ignored and
    only those saved in time are graded. Submitting a graded attempt again
    returns it unchanged.
    """
    with transaction.atomic():
        found = (
            QuizAttempt.objects.select_related("quiz", "quiz__course")
            .filter(pk=attempt_id, user=user)
            .first()
        )
        if found is None:
            raise QuizNotAvailable()
        # Locks in the same order as start_attempt (enrolment, then attempt), so
        # a start and a submit of the same learner cannot deadlock.
        _enrolment_for(user, found.quiz)
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("quiz", "quiz__course")
            .get(pk=found.pk)
        )
        if not attempt.is_open:
            return Submission(attempt, False, False, False)
        now = timezone.now()
        late = _past_deadline(attempt, now)
        final = {**attempt.answers}
        if answers and not late:
            allowed = {str(qid) for qid in attempt.question_ids}
            final.update({k: v for k, v in answers.items() if k in allowed})
        questions = {
            q.pk: q
            for q in Question.objects.filter(pk__in=attempt.question_ids)
            .select_related("category")
            .prefetch_related("options")
        }
        options = grading.option_maps(questions)
        earned = possible = Decimal(0)
        responses = []
        # An answered essay waits for a trainer (an empty one earns 0, as in
        # Moodle, and needs no marking).
        awaiting = False
        for position, item in enumerate(attempt.questions):
            question = questions[item["id"]]
            if question.is_description:
                continue  # text between questions: worth nothing, no response
            if question.is_essay and final.get(str(question.pk)) is not None:
                awaiting = True
            shown = [options[oid] for oid in item["options"] if oid in options]
            response = final.get(str(question.pk))
            if question.is_cloze:
                fraction, _gaps = grading.grade_cloze(
                    question.text, item.get("gaps", []), response
                )
            else:
                fraction = grading.grade(
                    question, shown, response, grading.shown_choices(item, options)
                ).fraction
            points = (question.points * fraction).quantize(Decimal("0.01"))
            earned += points
            possible += question.points
            responses.append(
                QuestionResponse(
                    attempt=attempt,
                    question=question,
                    question_key=question.translation_key,
                    position=position,
                    response=response,
                    fraction=fraction,
                    points=points,
                )
            )
        # An attempt with an essay to mark has no score until a trainer marks it.
        score: Decimal | None = None
        passed: bool | None = None
        if not awaiting:
            score = grading.score_percent(earned, possible)
            passed = score >= attempt.quiz.pass_mark
        won = QuizAttempt.objects.filter(
            pk=attempt.pk, submitted_at__isnull=True
        ).update(
            submitted_at=now,
            answers=final,
            points_earned=earned,
            points_possible=possible,
            score=score,
            passed=passed,
            awaiting_marking=awaiting,
        )
        if not won:
            attempt.refresh_from_db()
            return Submission(attempt, False, False, False)
        QuestionResponse.objects.bulk_create(responses)
        attempt.refresh_from_db()
        completed_now = _complete_courses(user, attempt.quiz) if passed else False
        return Submission(attempt, True, late, completed_now)


def _complete_courses(user: User, quiz: Quiz) -> bool:
    """Check completion of the quiz's course, in each language the user is in."""
    completed_now = False
    for course in CoursePage.objects.filter(
        translation_key=quiz.course.translation_key, enrolments__user=user
    ):
        completed_now |= check_course_completion(user, course)
    return completed_now


def essays_to_mark(attempt: QuizAttempt) -> list[QuestionResponse]:
    """The attempt's answered essays, in the order shown, with their questions."""
    return [
        response
        for response in attempt.responses.select_related("question").order_by(
            "position"
        )
        if response.question.is_essay and response.response is not None
    ]


def mark_attempt(marker: User, attempt_id: int, marks: dict[int, EssayMark]) -> Marking:
    """Give each answered essay of a waiting attempt its points and a comment,
    then score the attempt, decide passed or failed, and complete the course if
    its rule now holds. ``marks`` is keyed by question id.

    Only a trainer of the quiz's programme may mark. Marking an attempt that is
    no longer waiting (marked already, by this or another trainer) returns it
    unchanged; a mark out of range refuses the whole marking.
    """
    with transaction.atomic():
        found = (
            QuizAttempt.objects.select_related("quiz", "quiz__course", "user")
            .filter(pk=attempt_id, submitted_at__isnull=False)
            .first()
        )
        if found is None or not can_manage_quiz(marker, found.quiz):
            raise MarkingRefused()
        # Locks in the order submit_attempt takes them: enrolment, then attempt.
        _enrolment_for(found.user, found.quiz)
        attempt = (
            QuizAttempt.objects.select_for_update(of=("self",))
            .select_related("quiz", "quiz__course")
            .get(pk=found.pk)
        )
        if not attempt.awaiting_marking:
            return Marking(attempt, False, False)
        essays = essays_to_mark(attempt)
        for response in essays:
            mark = marks.get(response.question_id)
            if mark is None:
                raise MarkingRefused(
                    _("Give every essay a mark: %(question)s has none.")
                    % {"question": response.question.name}
                )
            points = Decimal(mark.points)
            if not points.is_finite() or not 0 <= points <= response.question.points:
                raise MarkingRefused(
                    _("The mark for %(question)s must be from 0 to %(points)s.")
                    % {
                        "question": response.question.name,
                        "points": response.question.points.normalize(),
                    }
                )
            if len(mark.comment) > MAX_MARKING_COMMENT:
                raise MarkingRefused(
                    _("A comment can be at most 5,000 characters long.")
                )
            response.points = points.quantize(Decimal("0.01"))
            response.fraction = (response.points / response.question.points).quantize(
                Decimal("0.0000001")
            )
            response.comment = mark.comment.strip()
        QuestionResponse.objects.bulk_update(essays, ["points", "fraction", "comment"])
        earned = sum(attempt.responses.values_list("points", flat=True), Decimal(0))
        score = grading.score_percent(earned, attempt.points_possible or Decimal(0))
        passed = score >= attempt.quiz.pass_mark
        won = QuizAttempt.objects.filter(pk=attempt.pk, awaiting_marking=True).update(
            awaiting_marking=False,
            marked_at=timezone.now(),
            marked_by=marker,
            points_earned=earned,
            score=score,
            passed=passed,
        )
        if not won:  # pragma: no cover - the row lock makes this unreachable
            raise MarkingRefused()
        attempt.refresh_from_db()
        completed_now = (
            _complete_courses(attempt.user, attempt.quiz) if passed else False
        )
        return Marking(attempt, True, completed_now)


def unmet_quiz_requirements(user: User, course: CoursePage) -> list[str]:
    """Titles of the course's required quizzes this learner has not passed."""
    required = Quiz.objects.filter(
        Q(course__translation_key=course.translation_key) | Q(pk=_final_pk(course)),
        required=True,
    )
    passed = QuizAttempt.objects.filter(user=user, passed=True).values("quiz_id")
    return list(required.exclude(pk__in=passed).values_list("title", flat=True))


def _final_pk(course: CoursePage) -> int | None:
    return course.final_assessment_id
