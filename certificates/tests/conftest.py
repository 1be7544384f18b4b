"""Fixtures for certificate tests: completed courses and issued certificates."""

from __future__ import annotations

import pytest

from courses import services as learning
from courses.models import Enrolment
from lms.tests.limit_fixtures import counting_cache, set_limit  # noqa: F401


@pytest.fixture
def complete_course():
    """Return a function that enrols a learner and completes every lesson."""

    def complete(learner, course) -> Enrolment:
        learning.enrol(learner, course)
        for lesson in course.lessons():
            learning.record_lesson_complete(learner, lesson.pk)
        return Enrolment.objects.get(user=learner, course=course)

    return complete


@pytest.fixture
def issued(
    make_learner, make_course, complete_course, django_capture_on_commit_callbacks
):
    """A certificate issued by completing a course, with its PDF made."""
    from certificates.models import Certificate

    learner = make_learner()
    course = make_course(lessons=2)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(learner, course)
    return Certificate.objects.get(user=learner, course=course)


@pytest.fixture
def workshop(db):
    """A workshop in Lahore with the default certificate template."""
    import datetime
    from decimal import Decimal

    from certificates.models import CertificateTemplate, Workshop

    return Workshop.objects.create(
        slug="lahore-workshop",
        title_en="Active learning workshop",
        title_ur="فعال تدریس ورکشاپ",
        held_on=datetime.date(2026, 11, 20),
        cpd_hours=Decimal("8"),
        template=CertificateTemplate.objects.get(name="Default"),
    )


@pytest.fixture
def correct_name():
    """Return a function that reissues a certificate with a corrected name."""
    from certificates import services

    def correct(certificate, actor):
        return services.reissue_certificate(
            certificate,
            actor=actor,
            holder_name_en="Muhammad Ali Khan Niazi",
            holder_name_ur="محمد علی خان نیازی",
            reason="Name corrected at the learner's request",
        )

    return correct
