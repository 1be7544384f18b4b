"""seed_demo's cohorts: two districts, learners at every stage, run twice."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from cohorts import scoping
from cohorts.models import Cohort, CohortMembership
from courses.models import Enrolment, LessonProgress
from lms.accounts.models import User

pytestmark = pytest.mark.django_db


def test_demo_cohorts_are_made_once_with_every_stage(demo_site):
    call_command("seed_demo", stdout=io.StringIO())  # the second run adds nothing
    cohorts = list(Cohort.objects.select_related("district").order_by("name_en"))
    assert [c.district.code for c in cohorts] == ["SD-KCS", "PB-LHR"]
    assert CohortMembership.objects.count() == 10  # 9 teachers and the demo learner
    course_ids = [c.courses.get().pk for c in cohorts]
    enrolments = Enrolment.objects.filter(course_id__in=course_ids)
    done = {
        e.user_id: LessonProgress.objects.filter(
            user_id=e.user_id, course=e.course
        ).count()
        for e in enrolments
    }
    assert {0, 1, 2, 4} <= set(done.values())
    assert enrolments.filter(completed_at__isnull=False).count() == 3
    coordinator = User.objects.get(email="lahore.coordinator@example.org")
    assert set(scoping.cohorts_in_scope(coordinator)) == {cohorts[1]}
    assert (
        not scoping.learners_in_scope(coordinator)
        .filter(profile__district__code="SD-KCS")
        .exists()
    )
