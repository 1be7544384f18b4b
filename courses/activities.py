"""H5P activities inside lessons: what a lesson or course requires of them, who
may report results from a lesson, and recording those results.

The H5P app (content) checks and keeps a statement and announces it
(``content.signals.statement_recorded``); the rules here, about lessons,
enrolments and course completion, are lesson rules.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from content.models import H5PActivity, XAPIStatement
from content.progress import Requirement, activity_progress, h5p_blocks
from content.services import record_xapi_statement

from .models import CoursePage, Enrolment, LessonPage
from .services import check_course_completion


def _unmet_requirements(user, lessons) -> list[tuple[str, str]]:
    """(activity title, requirement) for each activity these lessons require
    that ``user`` has not yet completed or passed."""
    required = [
        (activity_id, requirement)
        for lesson in lessons
        for activity_id, requirement in h5p_blocks(lesson)
        if requirement in (Requirement.COMPLETED, Requirement.PASSED)
    ]
    if not required:
        return []
    progress = activity_progress(user, {activity_id for activity_id, _ in required})
    # A trainer may waive an activity that does not start: it then holds no one up.
    titles = dict(
        H5PActivity.objects.filter(
            pk__in=progress, requirement_waived=False
        ).values_list("pk", "title")
    )
    return [
        (titles[activity_id], requirement)
        for activity_id, requirement in required
        if activity_id in titles and not progress[activity_id].meets(requirement)
    ]


def unmet_activity_requirements(user, lesson) -> list[str]:
    """Registered with courses.completion: the activities still to complete or pass."""
    return [
        (
            _("pass the activity “%(title)s”")
            if requirement == Requirement.PASSED
            else _("complete the activity “%(title)s”")
        )
        % {"title": title}
        for title, requirement in _unmet_requirements(user, [lesson])
    ]


def unmet_course_activity_requirements(user, course) -> list[str]:
    """Registered with courses.completion for the course (and so its certificate).

    Results from the browser are self-reported, so by default they only finish
    lessons. A course whose trainer lets them count toward the certificate makes
    every activity its lessons require (optional lessons included) a requirement
    of the course itself.
    """
    if not getattr(course, "h5p_results_count_for_certificate", False):
        return []
    return [
        _("the activity “%(title)s”") % {"title": title}
        for title, _requirement in _unmet_requirements(user, course.lessons())
    ]


class ActivityNotAvailable(Exception):
    """The learner may not report results for this activity in this lesson."""


def activity_in_lesson_for_learner(user, lesson_id: int, activity_id: int):
    """(lesson, enrolment, activity) when ``lesson_id`` is a live lesson holding
    the activity in a live course ``user`` is enrolled in (the enrolment's course
    is that course); else ``ActivityNotAvailable``."""
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None or not user.is_authenticated:
        raise ActivityNotAvailable
    course = CoursePage.objects.live().ancestor_of(lesson).first()
    enrolment = (
        Enrolment.objects.filter(user=user, course=course).first() if course else None
    )
    if enrolment is None:
        raise ActivityNotAvailable
    enrolment.course = course
    if activity_id not in {pk for pk, _requirement in h5p_blocks(lesson)}:
        raise ActivityNotAvailable
    activity = H5PActivity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise ActivityNotAvailable
    return lesson, enrolment, activity


def reporting_urls(lesson_id: int, activity_id: int) -> tuple[str, str]:
    """Registered with content.blocks: where a lesson's page reports an activity's
    results and its start failures."""
    return (
        reverse("lesson_activities:record_statement", args=[lesson_id, activity_id]),
        reverse(
            "lesson_activities:record_start_failure", args=[lesson_id, activity_id]
        ),
    )


def record_statement_in_lesson(
    enrolment: Enrolment, activity: H5PActivity, statement: Any
) -> XAPIStatement:
    """Record the enrolled learner's statement reported from a lesson of the
    enrolment's course, its registration that enrolment. Completing the course may
    then be due (``recheck_completion``, on ``statement_recorded``)."""
    return record_xapi_statement(
        enrolment.user,
        activity,
        statement,
        registration=enrolment_registration(enrolment),
    )


def enrolment_registration(enrolment: Enrolment) -> uuid.UUID:
    """The xAPI registration of an enrolment: a UUID that is the same for every
    statement of that enrolment and differs between enrolments and sites."""
    site = uuid.uuid5(uuid.NAMESPACE_URL, settings.SITE_URL)
    return uuid.uuid5(site, f"enrolment/{enrolment.pk}")


def recheck_completion(sender, statement: XAPIStatement, **kwargs) -> None:
    """Connected to ``content.signals.statement_recorded`` in courses' ready():
    where the course the statement was reported in (its registration) lets H5P
    results count, completing that course may now be due."""
    counts = (
        statement.verb in ("completed", "passed", "failed")
        or statement.completion is True
        or statement.success is True
    )
    registration = (statement.statement.get("context") or {}).get("registration")
    if not counts or not registration:
        return  # an answer, an attempt or progress: an activity is no nearer done
    enrolments = Enrolment.objects.filter(
        user_id=statement.user_id, course__h5p_results_count_for_certificate=True
    ).select_related("course")
    for enrolment in enrolments:
        if str(enrolment_registration(enrolment)) == registration:
            check_course_completion(statement.user, enrolment.course)
            return
