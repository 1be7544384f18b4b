"""A small programme with learners at every stage, built through the services,
with some of their rows moved back in time (as if weeks had passed)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from certificates import services as certificates
from certificates.models import Certificate
from courses import services as learning
from courses.models import CoursePage, Enrolment, LessonProgress
from courses.quizzes import services as quizzes
from courses.tests.conftest import (  # noqa: F401 - fixtures used below
    make_bank,
    make_quiz,
    right_answers,
)
from lms.accounts.models import District, Province
from lms.accounts.services import PROGRAMME_MANAGERS_GROUP, TRAINERS_GROUP
from reporting.summaries import refresh_summaries


@dataclass
class Programme:
    first: CoursePage
    second: CoursePage
    learners: dict
    manager: object
    trainer: object


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def move_back(user, course, days: int) -> None:
    """Everything ``user`` did in ``course`` happened ``days`` ago."""
    moment = days_ago(days)
    Enrolment.objects.filter(user=user, course=course).update(enrolled_at=moment)
    LessonProgress.objects.filter(user=user, course=course).update(completed_at=moment)


@pytest.fixture
def staff(make_learner):
    def make(group_name: str, email: str):
        person = make_learner(email=email)
        person.groups.add(Group.objects.get(name=group_name))
        return person

    return make


@pytest.fixture
def programme(make_learner, make_course, make_quiz, staff):  # noqa: F811
    first = make_course(lessons=4, title="Classroom management")
    second = make_course(lessons=2, title="=Assessment for learning")
    lahore = District.objects.get(code="PB-LHR")
    punjab = Province.objects.get(code="PB")
    karachi = District.objects.get(code="SD-KCS")
    sindh = Province.objects.get(code="SD")
    people = {
        "enrolled": {"gender": "female", "sector": "public", "role": "teacher"},
        "started": {"gender": "male", "sector": "public", "role": "teacher"},
        "halfway": {"gender": "female", "sector": "private", "role": "lecturer"},
        "certified": {"gender": "male", "sector": "public", "role": "teacher"},
        "revoked": {
            "gender": "female",
            "province": sindh,
            "district": karachi,
            "sector": "public",
        },
        "sindh": {
            "gender": "other",
            "province": sindh,
            "district": karachi,
            "sector": "private",
        },
    }
    learners = {}
    for name, profile in people.items():
        profile.setdefault("province", punjab)
        profile.setdefault("district", lahore)
        learners[name] = make_learner(email=f"{name}@example.org", **profile)
    lessons = list(first.lessons())
    done_in_first = {
        "enrolled": 0,
        "started": 1,
        "halfway": 2,
        "certified": 4,
        "revoked": 4,
    }
    for name, done in done_in_first.items():
        learning.enrol(learners[name], first)
        for lesson in lessons[:done]:
            learning.record_lesson_complete(learners[name], lesson.pk)
    manager = staff(PROGRAMME_MANAGERS_GROUP, "manager@example.org")
    trainer = staff(TRAINERS_GROUP, "trainer@example.org")
    revoked = Certificate.objects.get(user=learners["revoked"], course=first)
    certificates.revoke_certificate(revoked, reason="Issued in error", actor=manager)
    # The second course: a quiz (one failed and one passed attempt), completion.
    quiz = make_quiz(second, required=False)
    for name in ("sindh", "certified"):
        learning.enrol(learners[name], second)
    for answers_right in (False, True):
        attempt = quizzes.start_attempt(learners["sindh"], quiz, "en")
        quizzes.submit_attempt(
            learners["sindh"], attempt.pk, right_answers(attempt, answers_right)
        )
    attempt = quizzes.start_attempt(learners["certified"], quiz, "en")
    quizzes.submit_attempt(
        learners["certified"], attempt.pk, right_answers(attempt, False)
    )
    for lesson in second.lessons():
        learning.record_lesson_complete(learners["sindh"], lesson.pk)
    # Time passes: some learners went quiet weeks ago.
    move_back(learners["enrolled"], first, 40)
    move_back(learners["started"], first, 20)
    Enrolment.objects.filter(user=learners["certified"], course=first).update(
        enrolled_at=days_ago(10)
    )
    refresh_summaries(full=True)
    return Programme(first, second, learners, manager, trainer)
