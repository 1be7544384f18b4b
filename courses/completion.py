"""What besides lessons a course needs before it is complete.

Quizzes and other assessments register a check here; the courses app does not
need to know them. A check returns the titles of the requirements that are not
met yet, so pages can tell the learner what is left.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# check(user, course) -> titles of the requirements not met yet
RequirementCheck = Callable[[Any, Any], list[str]]

_requirement_checks: list[RequirementCheck] = []


def register_requirement_check(check: RequirementCheck) -> RequirementCheck:
    if check not in _requirement_checks:
        _requirement_checks.append(check)
    return check


def unmet_requirements(user, course) -> list[str]:
    unmet: list[str] = []
    for check in _requirement_checks:
        unmet.extend(check(user, course))
    return unmet


# check(user, lesson) -> what the lesson still needs before it may be marked done
# (an activity to complete, say); record_lesson_complete refuses until it is [].
LessonRequirementCheck = Callable[[Any, Any], list[str]]

_lesson_requirement_checks: list[LessonRequirementCheck] = []


def register_lesson_requirement_check(
    check: LessonRequirementCheck,
) -> LessonRequirementCheck:
    if check not in _lesson_requirement_checks:
        _lesson_requirement_checks.append(check)
    return check


def unmet_lesson_requirements(user, lesson) -> list[str]:
    unmet: list[str] = []
    for check in _lesson_requirement_checks:
        unmet.extend(check(user, lesson))
    return unmet
