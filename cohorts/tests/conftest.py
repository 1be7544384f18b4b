"""Fixtures for the cohorts tests: two districts' worth of people and a cohort
in each, built through the services."""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from cohorts.models import Cohort, CoordinatorAssignment
from cohorts.services import join_cohort
from courses import services as courses
from lms.accounts import services as accounts
from lms.accounts.models import District
from lms.tests.limit_fixtures import counting_cache, set_limit  # noqa: F401

_numbers = itertools.count(1)


@pytest.fixture
def make_cohort(make_course):
    def make(programme=None, course=None, district_code=None, **fields):
        course = course or make_course()
        district = District.objects.get(code=district_code) if district_code else None
        cohort = Cohort.objects.create(
            name_en=fields.pop("name_en", f"Cohort {next(_numbers)}"),
            name_ur=fields.pop("name_ur", "گروپ"),
            programme=programme or course.get_parent().specific,
            district=district,
            province=district.province if district else None,
            starts_on=fields.pop("starts_on", datetime.date(2026, 1, 1)),
            **fields,
        )
        cohort.courses.add(course)
        return cohort

    return make


@pytest.fixture
def make_coordinator(make_learner):
    """A member of "Coordinators" with one assignment (programme, and optional
    province, district or cohort)."""

    def make(programme, *, province=None, district=None, cohort=None):
        user = make_learner()
        user.groups.add(Group.objects.get(name=accounts.COORDINATORS_GROUP))
        CoordinatorAssignment.objects.create(
            user=user,
            programme=programme,
            province=province,
            district=district,
            cohort=cohort,
        )
        return user

    return make


@pytest.fixture
def two_districts(make_course, make_cohort, make_learner, make_coordinator):
    """Lahore and Karachi South: a cohort, two learners and a coordinator in
    each, one more learner enrolled in the course but in no cohort (Lahore),
    and a learner of another programme."""
    course = make_course()
    programme = course.get_parent().specific
    lahore = District.objects.get(code="PB-LHR")
    karachi = District.objects.get(code="SD-KCS")
    lahore_cohort = make_cohort(course=course, district_code="PB-LHR")
    karachi_cohort = make_cohort(course=course, district_code="SD-KCS")
    lahore_learners = [make_learner() for _ in range(2)]
    karachi_learners = [
        make_learner(province=karachi.province, district=karachi) for _ in range(2)
    ]
    for learner in lahore_learners:
        join_cohort(learner, lahore_cohort)
    for learner in karachi_learners:
        join_cohort(learner, karachi_cohort)
    self_paced = make_learner()
    courses.enrol(self_paced, course)
    from courses import authoring
    from courses.models import ProgrammePage

    other_programme = authoring.create_programme(
        programme.get_parent(),
        "Lecturers",
        "lecturers-programme",
        audience=ProgrammePage.Audience.LECTURERS,
    )
    other_course = make_course(programme=other_programme, title="Other", slug="other")
    outsider = make_learner()
    courses.enrol(outsider, other_course)
    return SimpleNamespace(
        course=course,
        programme=programme,
        lahore=lahore,
        karachi=karachi,
        lahore_cohort=lahore_cohort,
        karachi_cohort=karachi_cohort,
        lahore_learners=lahore_learners,
        karachi_learners=karachi_learners,
        self_paced=self_paced,
        outsider=outsider,
        other_programme=other_programme,
        lahore_coordinator=make_coordinator(programme, district=lahore),
        karachi_coordinator=make_coordinator(programme, district=karachi),
    )
