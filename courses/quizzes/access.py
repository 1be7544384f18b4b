"""Who may see and edit which quizzes: trainers only their programmes' banks."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from ..models import CoursePage, Question, QuestionCategory, Quiz


def editable_pages(user) -> QuerySet[Page]:
    return PagePermissionPolicy().instances_user_has_any_permission_for(
        user, ["change"]
    )


def editable_courses(user) -> QuerySet[CoursePage]:
    return CoursePage.objects.filter(pk__in=editable_pages(user).values("pk"))


def can_manage_quiz(user, quiz: Quiz) -> bool:
    if not user.is_active or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return editable_pages(user).filter(pk=quiz.course_id).exists()


def _owner_filter(user, prefix: str) -> Q:
    pages = editable_pages(user).values("pk")
    return Q(**{f"{prefix}course__in": pages}) | Q(**{f"{prefix}programme__in": pages})


def scoped(user, queryset: QuerySet) -> QuerySet:
    """The quizzes, questions or categories of the programmes ``user`` edits."""
    if user.is_superuser:
        return queryset
    model = queryset.model
    if model is Quiz:
        return queryset.filter(course__in=editable_pages(user).values("pk"))
    if model is Question:
        return queryset.filter(_owner_filter(user, "category__"))
    if model is QuestionCategory:
        return queryset.filter(_owner_filter(user, ""))
    return queryset.none()


class ProgrammeScopedPolicy(ModelPermissionPolicy):
    """Model permissions, and only for objects of the user's own programmes."""

    def _in_scope(self, user, instance) -> bool:
        if user.is_superuser:
            return True
        return scoped(user, self.model._default_manager.filter(pk=instance.pk)).exists()

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self._in_scope(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions) and self._in_scope(
            user, instance
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model._default_manager.none()
        return scoped(user, self.model._default_manager.all())
