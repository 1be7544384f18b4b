"""What a learner has done in H5P activities, and the H5P blocks of a page.

Reads only; writes are in services. The rules for an activity inside a lesson
(what a lesson or course requires, who may report results) are lesson rules, in
courses.activities.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from .models import XAPIStatement

# Content types that never tell the platform a learner finished them: their
# libraries send no xAPI statement at all, whatever the learner does (read in the
# real hub packages of H5P.Accordion 1.0, H5P.Dialogcards 1.8, H5P.Timeline 1.1,
# H5P.ImageHotspots 1.9 and H5P.ThreeImage 0.3, and seen in a browser). A lesson
# may show them, but not require them: nothing could ever meet the requirement.
SILENT_CONTENT_TYPES = frozenset(
    {
        "H5P.Accordion",
        "H5P.Dialogcards",
        "H5P.ImageHotspots",
        "H5P.ThreeImage",
        "H5P.Timeline",
    }
)


def reports_results(activity) -> bool:
    """Whether ``activity`` ever reports completion or a score (see above)."""
    return activity.main_library.machine_name not in SILENT_CONTENT_TYPES


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
