"""Actions a learner's phone queued offline, applied once each when it is back.

Each action goes through the service that does the same thing online
(``record_lesson_complete``, ``submit_attempt``), so grading and completion are
exactly as on the web. An action is recorded (``OfflineAction``) in the same
transaction as its effect: a replay finds the row and returns the stored result;
a refused action leaves no row and changes nothing, so it can be sent again
once its cause is gone (say, after enrolling).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses import services as course_services
from courses.models import Quiz, QuizAttempt
from courses.quizzes import reads as quiz_reads
from courses.quizzes import services as quiz_services

from .models import OfflineAction, OfflineQuizPaper

if TYPE_CHECKING:
    from lms.accounts.models import User

# At most this many answer fields, and values per field, in one queued quiz.
MAX_ANSWER_FIELDS = 100
MAX_VALUES_PER_FIELD = 20

NOT_VALID = gettext_lazy("This saved action is not valid; it was not sent.")
OTHER_LEARNER = gettext_lazy(
    "This was saved on this phone by another learner; it was not sent."
)
TIMED_QUIZ = gettext_lazy(
    "This quiz has a time limit, so it needs a connection; it cannot be taken offline."
)
NO_ATTEMPTS_LEFT = gettext_lazy(
    "You had already used all your attempts at this quiz (perhaps on another "
    "phone or computer), so these answers were not marked or recorded."
)
OPEN_ELSEWHERE = gettext_lazy(
    "You have started this quiz on another phone or computer. Finish it there; "
    "these answers were not recorded."
)


class OfflineRefused(course_services.LearningError):
    message = NOT_VALID


@dataclass(frozen=True)
class QueuedAction:
    """One action as the phone queued it, checked for shape (not yet for rights)."""

    client_id: uuid.UUID
    kind: str
    learner_id: int
    target: int  # the lesson's id, the attempt's, or the paper's
    answers: dict[str, list[str]] = field(default_factory=dict)
    # A quiz answered on a paper saved for offline: the attempt is made on arrival.
    paper: bool = False


@dataclass(frozen=True)
class ActionResult:
    client_id: str
    status: str  # "done", "duplicate" or "refused"
    result: dict[str, Any]


def read_queued_action(item: Any) -> QueuedAction:
    """Check one queued item's shape, or raise ``OfflineRefused``."""
    if not isinstance(item, dict):
        raise OfflineRefused()
    try:
        client_id = uuid.UUID(str(item.get("id", "")))
    except ValueError as error:
        raise OfflineRefused() from error
    learner = item.get("user")
    kind = item.get("kind")
    if not isinstance(learner, int) or isinstance(learner, bool):
        raise OfflineRefused()
    if kind == OfflineAction.Kind.LESSON_COMPLETE:
        lesson = item.get("lesson")
        if not isinstance(lesson, int) or isinstance(lesson, bool):
            raise OfflineRefused()
        return QueuedAction(client_id, kind, learner, target=lesson)
    if kind == OfflineAction.Kind.QUIZ_SUBMIT:
        attempt, paper = item.get("attempt"), item.get("paper")
        if (attempt is None) == (paper is None):
            raise OfflineRefused()  # one of the two, never both
        target = attempt if paper is None else paper
        answers = item.get("answers")
        if (
            not isinstance(target, int)
            or isinstance(target, bool)
            or not isinstance(answers, dict)
            or len(answers) > MAX_ANSWER_FIELDS
        ):
            raise OfflineRefused()
        cleaned: dict[str, list[str]] = {}
        for name, values in answers.items():
            if (
                not isinstance(values, list)
                or len(values) > MAX_VALUES_PER_FIELD
                or not all(isinstance(value, str) for value in values)
            ):
                raise OfflineRefused()
            cleaned[name] = values
        return QueuedAction(
            client_id,
            kind,
            learner,
            target=target,
            answers=cleaned,
            paper=paper is not None,
        )
    raise OfflineRefused()


def apply_queued_action(user: User, raw: Any) -> ActionResult:
    """Apply one queued item for ``user`` once; refuse it without any change
    when it is malformed, another learner's, or not allowed."""
    client_id = str(raw.get("id", ""))[:64] if isinstance(raw, dict) else ""
    try:
        action = read_queued_action(raw)
        if action.learner_id != user.pk:
            raise OfflineRefused(OTHER_LEARNER)
        try:
            with transaction.atomic():
                done = (
                    OfflineAction.objects.select_for_update()
                    .filter(user=user, client_id=action.client_id)
                    .first()
                )
                if done is not None:
                    return ActionResult(client_id, "duplicate", done.result)
                result = _apply(user, action)
                OfflineAction.objects.create(
                    user=user,
                    client_id=action.client_id,
                    kind=action.kind,
                    result=result,
                )
        except IntegrityError:
            # The same id arrived twice at once; the other request applied it
            # and this one's transaction (a no-op through idempotent services)
            # was rolled back.
            done = OfflineAction.objects.get(user=user, client_id=action.client_id)
            return ActionResult(client_id, "duplicate", done.result)
    except course_services.LearningError as error:
        return ActionResult(client_id, "refused", {"message": str(error.message)})
    return ActionResult(client_id, "done", result)


def _apply(user: User, action: QueuedAction) -> dict[str, Any]:
    if action.kind == OfflineAction.Kind.LESSON_COMPLETE:
        completion = course_services.record_lesson_complete(user, action.target)
        return {
            "kind": action.kind,
            "lesson": action.target,
            "course_completed": completion.course_completed_now,
            "message": _("Lesson completed."),
        }
    if action.paper:
        attempt = attempt_from_paper(user, action.target)
    else:
        attempt = (
            QuizAttempt.objects.select_related("quiz")
            .filter(pk=action.target, user=user)
            .first()
        )
    if attempt is None:
        raise quiz_services.QuizNotAvailable()
    if attempt.quiz.time_limit_minutes:
        raise OfflineRefused(TIMED_QUIZ)
    return submit_offline_answers(user, attempt, action.answers)


def submit_offline_answers(
    user: User, attempt: QuizAttempt, raw_answers: dict[str, list[str]]
) -> dict[str, Any]:
    """Grade ``attempt`` with the answers as a form sent them; the result as
    the phone shows it (never the right answers or feedback)."""
    answers = quiz_services.answers_from_form(attempt, MultiValueDict(raw_answers))
    submission = quiz_services.submit_attempt(user, attempt.pk, answers)
    graded = submission.attempt
    return {
        "kind": OfflineAction.Kind.QUIZ_SUBMIT,
        "attempt": graded.pk,
        "quiz": graded.quiz_id,
        # As the result page shows it: whole percent.
        "score": None if graded.score is None else floatformat(graded.score, 0),
        "passed": graded.passed,
        "awaiting_marking": graded.awaiting_marking,
        "course_completed": submission.course_completed_now,
        "result_url": reverse("courses:quiz_result", kwargs={"attempt_id": graded.pk}),
        "message": (
            _("Your answers were marked.")
            if submission.graded_now
            else _(
                "This attempt had already been submitted (perhaps from another "
                "device); its grade stands."
            )
        ),
    }


def attempt_from_paper(user: User, paper_id: int) -> QuizAttempt | None:
    """The attempt made from the learner's paper, made now if it was not yet.

    Run inside the caller's transaction. The paper row is locked first, so two
    phones sending the same paper at once make one attempt: the second finds
    it (already graded, its grade stands). Refused, changing nothing, when no
    attempt is left (used on another phone, say) or another attempt is open.
    """
    paper = (
        OfflineQuizPaper.objects.select_for_update(of=("self",))
        .select_related("quiz", "quiz__course")
        .filter(pk=paper_id, user=user)
        .first()
    )
    if paper is None:
        return None
    if paper.attempt_id is not None:
        return QuizAttempt.objects.select_related("quiz").get(pk=paper.attempt_id)
    if paper.quiz.time_limit_minutes:
        raise OfflineRefused(TIMED_QUIZ)
    try:
        attempt = quiz_services.start_attempt(
            user, paper.quiz, paper.language, drawn=paper.questions
        )
    except quiz_services.NoAttemptsLeft as error:
        raise OfflineRefused(NO_ATTEMPTS_LEFT) from error
    if attempt.questions != paper.questions:
        # start_attempt resumed an attempt begun elsewhere, with other questions.
        raise OfflineRefused(OPEN_ELSEWHERE)
    paper.attempt = attempt
    paper.save(update_fields=["attempt"])
    return attempt


@dataclass(frozen=True)
class OfflineQuiz:
    """What a saved course keeps for its quiz: the open attempt the learner
    started, or else a paper (no attempt is used by saving)."""

    attempt: QuizAttempt | None = None
    paper: OfflineQuizPaper | None = None


def prepare_offline_quiz(user: User, quiz: Quiz, language: str) -> OfflineQuiz:
    """The learner's open attempt, or a paper of questions drawn for her next
    attempt, to answer offline. Saving twice gives the same paper until she
    makes another attempt.

    Only quizzes without a time limit: a timed attempt's clock would run while
    the phone has no way to hand it in.
    """
    if quiz.time_limit_minutes:
        raise OfflineRefused(TIMED_QUIZ)
    if not quiz.course.live:
        raise quiz_services.QuizNotAvailable()
    status = quiz_reads.quiz_status(user, quiz)
    if not status.enrolled:
        raise course_services.NotEnrolled()
    if status.open_attempt is not None:
        return OfflineQuiz(attempt=status.open_attempt)
    if status.waiting_for_marking:
        raise quiz_services.AwaitingMarking()
    if not status.can_start:
        raise quiz_services.NoAttemptsLeft()
    made = len(status.attempts)
    paper = (
        OfflineQuizPaper.objects.filter(
            user=user,
            quiz=quiz,
            language=language,
            attempt__isnull=True,
            attempts_before=made,
        )
        .order_by("-pk")
        .first()
    )
    if paper is None:
        paper = OfflineQuizPaper.objects.create(
            user=user,
            quiz=quiz,
            language=language,
            questions=quiz_services.draw_questions(user, quiz, language),
            attempts_before=made,
        )
    return OfflineQuiz(paper=paper)


def submit_paper(
    user: User, paper_id: int, raw_answers: dict[str, list[str]]
) -> dict[str, Any]:
    """A paper sent online (the connection was back when she submitted): the
    attempt is made and graded in one transaction, as the sync would."""
    with transaction.atomic():
        attempt = attempt_from_paper(user, paper_id)
        if attempt is None:
            raise quiz_services.QuizNotAvailable()
        return submit_offline_answers(user, attempt, raw_answers)
