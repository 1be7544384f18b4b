"""Recording that an activity did not start for a learner."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..models import H5PActivity, H5PStartFailure

if TYPE_CHECKING:
    from lms.accounts.models import User

MAX_FAILURE_REPORT_BYTES = 2048


def record_start_failure(
    user: User,
    activity: H5PActivity,
    *,
    reason: str,
    message: str = "",
    language: str = "",
) -> H5PStartFailure:
    """Keep one row per learner and activity: the latest reason and message, how
    many times, first and last time. ``reason`` must be one of
    ``H5PStartFailure.Reason``; ``message`` is cut to its field's length."""
    if reason not in H5PStartFailure.Reason.values:
        raise ValueError(f"unknown reason {reason!r}")
    message = " ".join(str(message).split())[:500]
    language = str(language)[:10]
    now = timezone.now()
    with transaction.atomic():
        failure, created = H5PStartFailure.objects.select_for_update().get_or_create(
            activity=activity,
            user=user,
            defaults={
                "reason": reason,
                "message": message,
                "language": language,
                "last_failed_at": now,
            },
        )
        if not created:
            H5PStartFailure.objects.filter(pk=failure.pk).update(
                reason=reason,
                message=message,
                language=language,
                last_failed_at=now,
                times=F("times") + 1,
            )
            failure.refresh_from_db()
    return failure
