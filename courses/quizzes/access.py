"""Who may see and edit which quizzes: trainers only their programmes' banks.

The rule itself is ``content.scoping.scoped`` (one function for every model a
trainer touches); this module adds what only quizzes need: which categories a
quiz may draw from.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from content.scoping import ProgrammeScopedPolicy, editable_pages, scoped

from ..models import CoursePage, QuestionCategory, Quiz

__all__ = [
    "ProgrammeScopedPolicy",
    "bank_categories",
    "can_manage_quiz",
    "editable_courses",
    "editable_pages",
    "scoped",
]


def editable_courses(user) -> QuerySet[CoursePage]:
    return CoursePage.objects.filter(pk__in=editable_pages(user).values("pk"))


def can_manage_quiz(user, quiz: Quiz) -> bool:
    if not user.is_active or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return editable_pages(user).filter(pk=quiz.course_id).exists()


def bank_categories(course_id: int) -> QuerySet[QuestionCategory]:
    """The categories a quiz on this course may draw from: the course's own bank
    (in any of its languages) and its programme's shared bank. Never another
    programme's, whoever saves the quiz."""
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return QuestionCategory.objects.none()
    courses = CoursePage.objects.filter(translation_key=course.translation_key)
    parent = course.get_parent()
    programmes = type(parent).objects.filter(translation_key=parent.translation_key)
    return QuestionCategory.objects.filter(
        Q(course__in=courses.values("pk")) | Q(programme__in=programmes.values("pk"))
    )
