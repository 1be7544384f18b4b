"""Thin views: a learner's lesson page reports an H5P activity's results and
its start failures. Whether the learner may report for that activity in that
lesson is a lesson rule (courses.activities)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content import services as h5p_services
from content.models import H5PStartFailure
from lms.rate_limits import rate_limit
from lms.request_limits import JsonLimits, JsonRefused, parse_json

from .activities import (
    ActivityNotAvailable,
    activity_in_lesson_for_learner,
    record_statement_in_lesson,
    unmet_activity_requirements,
)

# {"reason": ..., "message": ...} and nothing deeper.
FAILURE_REPORT_JSON_LIMITS = JsonLimits(
    max_bytes=h5p_services.MAX_FAILURE_REPORT_BYTES,
    max_depth=1,
    max_items=4,
    max_values=8,
    max_string=1000,
)


def _read_report(
    request: HttpRequest, lesson_id: int, activity_id: int, limits: JsonLimits
) -> tuple[tuple[Any, Any, Any], Any] | JsonResponse:
    """The (lesson, enrolment, activity) a learner reports on and the JSON body, or
    the answer refusing the report: an activity not open to them there (403), or
    a body over the limits (400/413)."""
    try:
        found = activity_in_lesson_for_learner(request.user, lesson_id, activity_id)
    except ActivityNotAvailable:
        return JsonResponse(
            {"error": _("This activity is not open to you in this lesson.")},
            status=403,
        )
    try:
        payload = parse_json(request.body, limits)
    except JsonRefused as error:
        return JsonResponse({"error": str(error.message)}, status=error.status)
    return found, payload


@require_POST
@login_required
@rate_limit("statement", as_json=True)
def record_statement_view(
    request: HttpRequest, lesson_id: int, activity_id: int
) -> JsonResponse:
    read = _read_report(
        request, lesson_id, activity_id, h5p_services.STATEMENT_JSON_LIMITS
    )
    if isinstance(read, JsonResponse):
        return read
    (lesson, enrolment, activity), payload = read
    if not isinstance(payload, dict) or set(payload) != {"statement"}:
        return JsonResponse(
            {"error": _("Send exactly one statement, and nothing else.")}, status=400
        )
    try:
        record_statement_in_lesson(enrolment, activity, payload["statement"])
    except h5p_services.StatementRejected as error:
        return JsonResponse({"error": str(error.message)}, status=400)
    unmet = unmet_activity_requirements(request.user, lesson)
    return JsonResponse(
        {
            "recorded": True,
            "lesson_requirements_met": not unmet,
            "message": _("Your result is saved.")
            if unmet
            else _("Your result is saved. You can now mark this lesson complete."),
        }
    )


@require_POST
@login_required
@rate_limit("statement", as_json=True)
def record_start_failure_view(
    request: HttpRequest, lesson_id: int, activity_id: int
) -> JsonResponse:
    """The learner's lesson page reports that an activity did not start."""
    read = _read_report(request, lesson_id, activity_id, FAILURE_REPORT_JSON_LIMITS)
    if isinstance(read, JsonResponse):
        return read
    (_lesson, _enrolment, activity), payload = read
    reason = payload.get("reason") if isinstance(payload, dict) else None
    message = payload.get("message", "") if isinstance(payload, dict) else ""
    if reason not in H5PStartFailure.Reason.values or not isinstance(message, str):
        return JsonResponse({"error": _("The report is not understood.")}, status=400)
    h5p_services.record_start_failure(
        request.user,
        activity,
        reason=reason,
        message=message,
        language=getattr(request, "LANGUAGE_CODE", ""),
    )
    return JsonResponse({"recorded": True})
