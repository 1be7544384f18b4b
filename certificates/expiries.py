"""When learners' course certificates run out: the reader the cohorts'
"certificate expiring" reminder asks through ``courses.expiries``."""

from __future__ import annotations

import datetime
from collections.abc import Collection

from courses.expiries import Expiry

from .models import Certificate


def course_certificates_expiring(
    user_ids: Collection[int],
    course_ids: Collection[int],
    first: datetime.date,
    last: datetime.date,
) -> list[Expiry]:
    """Current, unrevoked course certificates expiring from ``first`` to
    ``last`` (a renewed certificate replaces the one that was running out)."""
    rows = Certificate.objects.filter(
        user_id__in=user_ids,
        course_id__in=course_ids,
        is_current=True,
        revoked_at__isnull=True,
        expires_on__gte=first,
        expires_on__lte=last,
    ).values_list(
        "user_id", "course_id", "expires_on", "course_title_en", "course_title_ur"
    )
    return [Expiry(*row) for row in rows]
