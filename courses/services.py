"""Every write about enrolment and progress goes through these functions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from .completion import unmet_lesson_requirements, unmet_requirements
from .models import CoursePage, Enrolment, LessonPage, LessonProgress
from .signals import course_completed

if TYPE_CHECKING:
    from lms.accounts.models import User


class LearningError(Exception):
    """A request the learner cannot make; ``message`` says why, in their language."""

    message: StrOrPromise = _("This cannot be done.")

    def __init__(self, message: StrOrPromise | None = None) -> None:
        if message is not None:
            self.message = message
        super().__init__(str(self.message))


class CourseNotAvailable(LearningError):
    message = _("This course is not available.")


class LessonNotAvailable(LearningError):
    message = _("This lesson is not available.")


class NotEnrolled(LearningError):
    message = _("Enrol in the course first.")


class PrerequisitesNotMet(LearningError):
    pass


class LessonRequirementsNotMet(LearningError):
    pass


@dataclass(frozen=True)
class LessonCompletion:
    enrolment: Enrolment
    newly_completed: bool
    course_completed_now: bool
    next_lesson: LessonPage | None


def enrol(user: User, course: CoursePage) -> Enrolment:
    """Enrol ``user`` in a live course; enrolling twice returns the same row."""
    if not CoursePage.objects.live().filter(pk=course.pk).exists():
        raise CourseNotAvailable()
    existing = Enrolment.objects.filter(user=user, course=course).first()
    if existing:
        return existing
    completed = Enrolment.objects.filter(user=user, completed_at__isnull=False)
    missing = list(
        CoursePage.objects.live()
        .filter(pk__in=[item.pk for item in course.prerequisites.all()])
        .exclude(pk__in=completed.values("course_id"))
        .values_list("title", flat=True)
    )
    if missing:
        raise PrerequisitesNotMet(
            _("Complete these courses first: %(courses)s")
            % {"courses": ", ".join(missing)}
        )
    try:
        with transaction.atomic():
            return Enrolment.objects.create(user=user, course=course)
    except IntegrityError:
        # Two requests enrolled at once; the other one won.
        return Enrolment.objects.get(user=user, course=course)


def record_lesson_complete(user: User, lesson_id: int) -> LessonCompletion:
    """Mark a lesson done and complete the course when its rule now holds."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise LessonNotAvailable()
    course = CoursePage.objects.live().ancestor_of(lesson).first()
    if course is None:
        raise LessonNotAvailable()
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(user=user, course=course)
            .first()
        )
        if enrolment is None:
            raise NotEnrolled()
        unmet = unmet_lesson_requirements(user, lesson)
        if unmet:
            raise LessonRequirementsNotMet(
                _("Before this lesson is complete: %(requirements)s")
                % {"requirements": "; ".join(unmet)}
            )
        _progress, created = LessonProgress.objects.get_or_create(
            user=user, lesson=lesson, defaults={"course": course}
        )
        lessons = list(course.lessons())
        position = next(i for i, item in enumerate(lessons) if item.pk == lesson.pk)
        next_lesson = lessons[position + 1] if position + 1 < len(lessons) else None
        enrolment.last_lesson = next_lesson or lesson
        enrolment.save(update_fields=["last_lesson"])
        completed_now = _complete_if_rule_holds(enrolment, course, lessons)
    return LessonCompletion(enrolment, created, completed_now, next_lesson)


def check_course_completion(user: User, course: CoursePage) -> bool:
    """Re-check completion after something other than a lesson changed (a quiz)."""
    with transaction.atomic():
        enrolment = (
            Enrolment.objects.select_for_update()
            .filter(user=user, course=course)
            .first()
        )
        if enrolment is None:
            return False
        return _complete_if_rule_holds(enrolment, course, list(course.lessons()))


def _complete_if_rule_holds(
    enrolment: Enrolment, course: CoursePage, lessons: list[LessonPage]
) -> bool:
    """Must run inside the transaction holding the enrolment's row lock."""
    if enrolment.completed_at is not None:
        return False
    done = set(
        LessonProgress.objects.filter(
            user_id=enrolment.user_id, course=course
        ).values_list("lesson_id", flat=True)
    )
    needed = [
        lesson
        for lesson in lessons
        if course.completion_rule == CoursePage.CompletionRule.ALL or lesson.required
    ]
    if not needed or any(lesson.pk not in done for lesson in needed):
        return False
    if unmet_requirements(enrolment.user, course):
        return False
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["completed_at"])
    course_completed.send(sender=Enrolment, enrolment=enrolment)
    return True
