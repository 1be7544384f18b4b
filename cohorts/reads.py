"""What a learner sees of their cohorts: their deadlines (reads only)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from courses.models import CoursePage, Enrolment
from lms.accounts.models import User

from .models import CohortMembership

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


@dataclass(frozen=True)
class CohortDeadline:
    cohort_name: str
    deadline: datetime.date
    days_left: int
    course_ids: frozenset[int]  # empty: every course of the programme
    programme_path: str

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    def covers(self, course: CoursePage) -> bool:
        if self.course_ids:
            return course.pk in self.course_ids
        return course.path.startswith(self.programme_path)


def deadlines_for(
    user: User | AnonymousUser, today: datetime.date | None = None
) -> list[CohortDeadline]:
    """The learner's cohort deadlines, soonest first, leaving out cohorts whose
    courses they have all finished (two queries)."""
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
    finished = dict(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).values_list(
            "course_id", "course__path"
        )
    )
    result = []
    for membership in memberships:
        deadline = membership.deadline
        if deadline is None:
            continue
        cohort = membership.cohort
        course_ids = frozenset(course.pk for course in cohort.courses.all())
        path = cohort.programme.path
        taking = [
            cid
            for cid, cpath in finished.items()
            if (cid in course_ids if course_ids else cpath.startswith(path))
        ]
        if course_ids and len(taking) >= len(course_ids):
            continue
        result.append(
            CohortDeadline(
                cohort.name, deadline, (deadline - today).days, course_ids, path
            )
        )
    return sorted(result, key=lambda item: item.deadline)


def deadline_for_course(
    user: User | AnonymousUser, course: CoursePage
) -> CohortDeadline | None:
    return next((d for d in deadlines_for(user) if d.covers(course)), None)
