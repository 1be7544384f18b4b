"""What a learner sees of their own learning. Reads only; writes are in services.

Each function issues a fixed number of queries, whatever the number of lessons,
enrolments or learners (the tests hold them to it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ModulePage,
    QuizAttempt,
)


@dataclass
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class OutlineItem:
    lesson: LessonPage
    module: ModulePage | None
    done: bool


@dataclass
class DashboardCourse:
    enrolment: Enrolment
    progress: Progress
    resume: LessonPage | None
    # Submitted attempts at the course's quizzes that wait for a trainer's mark.
    waiting_for_marking: list[QuizAttempt] = field(default_factory=list)


@dataclass
class Dashboard:
    in_progress: list[DashboardCourse] = field(default_factory=list)
    completed: list[DashboardCourse] = field(default_factory=list)

    @property
    def cpd_hours(self) -> Decimal:
        return sum(
            (item.enrolment.course.cpd_hours for item in self.completed), Decimal("0")
        )


def _enrolment(user, course: CoursePage) -> Enrolment | None:
    if not user.is_authenticated:
        return None
    return Enrolment.objects.filter(user=user, course=course).first()


def done_lesson_ids(user, course: CoursePage) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        LessonProgress.objects.filter(user=user, course=course).values_list(
            "lesson_id", flat=True
        )
    )


def first_unfinished(lessons: list[LessonPage], done: set[int]) -> LessonPage | None:
    for lesson in lessons:
        if lesson.pk not in done:
            return lesson
    return None


def course_outline(user, course: CoursePage) -> dict:
    lessons = list(course.lessons())
    modules = {
        module.path: module
        for module in ModulePage.objects.live().child_of(course).order_by("path")
    }
    done = done_lesson_ids(user, course)
    enrolment = _enrolment(user, course)
    outline = [
        OutlineItem(
            lesson, modules.get(lesson.path[: -lesson.steplen]), lesson.pk in done
        )
        for lesson in lessons
    ]
    return {
        "enrolment": enrolment,
        "outline": outline,
        "progress": Progress(
            len(done & {lesson.pk for lesson in lessons}), len(lessons)
        ),
        "resume_lesson": first_unfinished(lessons, done) if enrolment else None,
        "first_lesson": lessons[0] if lessons else None,
    }


def lesson_access(request: HttpRequest, lesson: LessonPage) -> HttpResponse | None:
    """None when the visitor may read the lesson, else where to send them."""
    if getattr(request, "is_preview", False):
        return None
    course = CoursePage.objects.ancestor_of(lesson).live().first()
    if course is None:
        return redirect("/")
    request.lesson_course = course  # saves lesson_context a query
    if course.open_lessons:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not Enrolment.objects.filter(user=request.user, course=course).exists():
        messages.info(request, _("Enrol in this course to open its lessons."))
        return redirect(course.url)
    return None


def lesson_context(user, lesson: LessonPage, course: CoursePage | None = None) -> dict:
    course = course or CoursePage.objects.ancestor_of(lesson).first()
    lessons = list(course.lessons()) if course else [lesson]
    position = next((i for i, item in enumerate(lessons) if item.pk == lesson.pk), 0)
    done = done_lesson_ids(user, course) if course else set()
    return {
        "course": course,
        "previous_lesson": lessons[position - 1] if position > 0 else None,
        "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
        "lesson_number": position + 1,
        "lesson_count": len(lessons),
        "lesson_done": lesson.pk in done,
        "progress": Progress(len(done & {item.pk for item in lessons}), len(lessons)),
        "enrolled": bool(course and _enrolment(user, course)),
    }


def dashboard(user) -> Dashboard:
    """The learner's courses with progress: four queries however many courses."""
    enrolments = list(
        Enrolment.objects.filter(user=user)
        .select_related("course", "course__locale")
        .order_by("-enrolled_at")
    )
    result = Dashboard()
    if not enrolments:
        return result
    paths = Q()
    for enrolment in enrolments:
        paths |= Q(path__startswith=enrolment.course.path)
    lessons_by_course: dict[int, list[LessonPage]] = {
        e.course_id: [] for e in enrolments
    }
    course_by_path = {e.course.path: e.course_id for e in enrolments}
    path_lengths = {len(path) for path in course_by_path}
    for lesson in LessonPage.objects.live().filter(paths).order_by("path"):
        for length in path_lengths:
            course_id = course_by_path.get(lesson.path[:length])
            if course_id is not None:
                lessons_by_course[course_id].append(lesson)
                break
    done_by_course: dict[int, set[int]] = {e.course_id: set() for e in enrolments}
    for course_id, lesson_id in LessonProgress.objects.filter(user=user).values_list(
        "course_id", "lesson_id"
    ):
        done_by_course.setdefault(course_id, set()).add(lesson_id)
    waiting: dict = {}
    for attempt in QuizAttempt.objects.filter(
        user=user, awaiting_marking=True, submitted_at__isnull=False
    ).select_related("quiz", "quiz__course"):
        waiting.setdefault(attempt.quiz.course.translation_key, []).append(attempt)
    for enrolment in enrolments:
        lessons = lessons_by_course[enrolment.course_id]
        done = done_by_course[enrolment.course_id]
        item = DashboardCourse(
            enrolment=enrolment,
            progress=Progress(
                len(done & {lesson.pk for lesson in lessons}), len(lessons)
            ),
            resume=first_unfinished(lessons, done),
            waiting_for_marking=waiting.get(enrolment.course.translation_key, []),
        )
        (result.completed if enrolment.is_complete else result.in_progress).append(item)
    result.completed.sort(key=lambda item: item.enrolment.completed_at, reverse=True)
    return result
