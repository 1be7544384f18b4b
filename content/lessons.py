"""H5P activities inside lessons: what a lesson requires, and who may report results.

Reads only; writes are in services.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from .models import H5PActivity, XAPIStatement


class Requirement:
    NONE = "none"
    COMPLETED = "completed"
    PASSED = "passed"


@dataclass(frozen=True)
class ActivityProgress:
    completed: bool = False
    passed: bool = False

    def meets(self, requirement: str) -> bool:
        if requirement == Requirement.COMPLETED:
            return self.completed
        if requirement == Requirement.PASSED:
            return self.passed
        return True


def h5p_blocks(lesson) -> list[tuple[int, str]]:
    """(activity id, requirement) of each H5P block in ``lesson``, in order."""
    found = []
    for block in lesson.body:
        if block.block_type != "h5p":
            continue
        activity = block.value.get("activity")
        if activity is not None:
            found.append((activity.pk, block.value.get("requirement") or "none"))
    return found


def activity_progress(user, activity_ids) -> dict[int, ActivityProgress]:
    """What ``user`` has done in each activity, as far as their browser said: one
    query. Only statements about the whole activity count, not its parts."""
    progress = {activity_id: ActivityProgress() for activity_id in activity_ids}
    if not user.is_authenticated or not progress:
        return progress
    done = Q(verb__in=["completed", "passed", "failed"]) | Q(completion=True)
    passed = Q(verb="passed") | Q(success=True)
    rows = (
        XAPIStatement.objects.filter(
            user=user, activity_id__in=progress, sub_content_id=""
        )
        .filter(done | passed)
        .values_list("activity_id", "verb", "completion", "success")
    )
    for activity_id, verb, completion, success in rows:
        before = progress[activity_id]
        progress[activity_id] = ActivityProgress(
            completed=before.completed
            or verb in ("completed", "passed", "failed")
            or completion is True,
            passed=before.passed or verb == "passed" or success is True,
        )
    return progress


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


class ActivityNotAvailable(Exception):
    """The learner may not report results for this activity in this lesson."""


def activity_in_lesson_for_learner(user, lesson_id: int, activity_id: int):
    """(lesson, course, activity) when ``lesson_id`` is a live lesson holding the
    activity in a live course ``user`` is enrolled in; else ``ActivityNotAvailable``."""
    from courses.models import CoursePage, Enrolment, LessonPage

    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None or not user.is_authenticated:
        raise ActivityNotAvailable
    course = CoursePage.objects.live().ancestor_of(lesson).first()
    if (
        course is None
        or not Enrolment.objects.filter(user=user, course=course).exists()
    ):
        raise ActivityNotAvailable
    if activity_id not in {pk for pk, _requirement in h5p_blocks(lesson)}:
        raise ActivityNotAvailable
    activity = H5PActivity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise ActivityNotAvailable
    return lesson, course, activity


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
