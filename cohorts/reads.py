"""What a learner sees of their cohorts: their deadlines (reads only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from courses.models import CoursePage, Enrolment, ProgrammePage
from lms.accounts.models import User

from .models import CohortMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class CohortDeadline:
    cohort_name: str
    deadline: datetime.date
    days_left: int
    # The cohort's courses by translation key (any language); empty: every
    # course of the programme, in any of its languages (their paths).
    course_keys: frozenset[str]
    programme_paths: tuple[str, ...]

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def covers(self, course: CoursePage) -> bool:
        if self.course_keys:
            return str(course.translation_key) in self.course_keys
        return course.path.startswith(self.programme_paths)


def deadlines_for(
    user: User | AnonymousUser, today: datetime.date | None = None
) -> list[CohortDeadline]:
    """The learner's cohort deadlines, soonest first, leaving out cohorts whose
    courses they have all finished, in any language (three queries)."""
    if not user.is_authenticated:
        return []
    today = today or timezone.localdate()
    memberships = list(
        CohortMembership.objects.filter(user=user)
        .select_related("cohort__programme")
        .prefetch_related("cohort__courses")
    )
    if not memberships:
        return []
    programme_paths: dict[str, list[str]] = {}
    for key, path in ProgrammePage.objects.filter(
        translation_key__in={m.cohort.programme.translation_key for m in memberships}
    ).values_list("translation_key", "path"):
        programme_paths.setdefault(str(key), []).append(path)
    finished = {
        str(key)
        for key in Enrolment.objects.filter(
            user=user, completed_at__isnull=False
        ).values_list("course__translation_key", flat=True)
    }
    result = []
    for membership in memberships:
        deadline = membership.deadline
        if deadline is None:
            continue
        cohort = membership.cohort
        keys = frozenset(str(course.translation_key) for course in cohort.courses.all())
        if keys and keys <= finished:
            continue
        paths = tuple(programme_paths.get(str(cohort.programme.translation_key), []))
        result.append(
            CohortDeadline(cohort.name, deadline, (deadline - today).days, keys, paths)
        )
    return sorted(result, key=lambda item: item.deadline)


def deadline_for_course(
    user: User | AnonymousUser, course: CoursePage
) -> CohortDeadline | None:
    return next((d for d in deadlines_for(user) if d.covers(course)), None)
