"""Fold enrolments, progress, certificates and quiz results into summary rows.

``refresh_summaries`` rebuilds the rows of the enrolments that changed since
the last refresh (or every row with ``full=True``); the task of the same name
runs it in the background, and ``manage.py refresh_dashboard`` runs it by
hand. Each refresh reads the source rows in chunks and replaces the chunk's
summaries in one transaction, so the dashboard always reads whole rows; then it
adds them up per course (``rebuild_rollups``) for the programme-wide views.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.utils import timezone
from django_tasks import task

from certificates.models import Certificate
from courses.models import (
    CoursePage,
    Enrolment,
    LessonPage,
    LessonProgress,
    ProgrammePage,
    QuizAttempt,
)
from lms.accounts.models import Profile

from .models import CourseRollup, EnrolmentSummary, LearnerActivity

CHUNK = 5000
# Rows written a little before the last refresh began are looked at again, so
# a write that committed while the last refresh was reading is never missed.
OVERLAP = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class RefreshResult:
    refreshed: int
    full: bool


def refresh_summaries(*, full: bool = False) -> RefreshResult:
    """Rebuild the summaries of changed enrolments (all of them if ``full``)."""
    started = timezone.now()
    since = None if full else _last_refresh()
    if since is None:
        ids = list(Enrolment.objects.order_by("pk").values_list("pk", flat=True))
        full = True
    else:
        ids = list(_changed_since(since - OVERLAP))
    context = _CourseContext.load()
    for start in range(0, len(ids), CHUNK):
        _refresh_chunk(ids[start : start + CHUNK], context, started)
    rebuild_rollups()
    return RefreshResult(len(ids), full)


def rebuild_rollups() -> None:
    """Add the summary rows up per course and dimension, and per learner, in
    one transaction (the dashboard reads the old rollups until it commits).
    A few grouped scans of the summaries: seconds at a national programme's
    size, so they are rebuilt whole each time rather than patched."""
    summary = EnrolmentSummary._meta.db_table
    rollup = CourseRollup._meta.db_table
    activity = LearnerActivity._meta.db_table
    counts = (
        "COUNT(*), "
        "SUM(CASE WHEN started_at IS NULL THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN halfway THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END), "
        "SUM(CASE WHEN certified THEN 1 ELSE 0 END), "
        "SUM(cpd_hours), SUM(quiz_attempts_graded), SUM(quiz_attempts_passed)"
    )
    columns = (
        "course_id, programme_id, dimension, value, enrolments, started, halfway, "
        "completed, certified, cpd_hours, quiz_attempts_graded, quiz_attempts_passed"
    )
    dimension_of = CourseRollup.Dimension
    # dimension: (the value as text, which summary rows count)
    values = {
        dimension_of.COURSE: ("''", "1 = 1"),
        dimension_of.PROVINCE: (_text("province_id"), "1 = 1"),
        dimension_of.DISTRICT: (_text("district_id"), "1 = 1"),
        dimension_of.GENDER: ("gender", "1 = 1"),
        dimension_of.SECTOR: ("sector", "1 = 1"),
        dimension_of.ROLE: ("role", "1 = 1"),
        dimension_of.ENROLLED_WEEK: (_text("enrolled_week"), "1 = 1"),
        dimension_of.COMPLETED_WEEK: (
            _text("completed_week"),
            "completed_week IS NOT NULL",
        ),
        dimension_of.STOPPED_AT: (
            _text("stopped_at_lesson_id"),
            "completed_at IS NULL AND stopped_at_lesson_id IS NOT NULL",
        ),
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {rollup}")  # noqa: S608 - our table names
        for dimension, (value, where) in values.items():
            # (PostgreSQL refuses a constant in GROUP BY: the course's own row.)
            group_by = "" if value == "''" else f", {value}"
            cursor.execute(
                f"INSERT INTO {rollup} ({columns}) "  # noqa: S608 - no input
                f"SELECT course_id, programme_id, %s, {value}, {counts} "
                f"FROM {summary} WHERE {where} "
                f"GROUP BY course_id, programme_id{group_by}",
                [dimension.value],
            )
        cursor.execute(f"DELETE FROM {activity}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {activity} "  # noqa: S608
            "(user_id, everywhere, programme_id, last_activity_at) "
            f"SELECT user_id, %s, NULL, MAX(last_activity_at) FROM {summary} "
            "GROUP BY user_id",
            [True],
        )
        cursor.execute(
            f"INSERT INTO {activity} "  # noqa: S608
            "(user_id, everywhere, programme_id, last_activity_at) "
            f"SELECT user_id, %s, programme_id, MAX(last_activity_at) FROM {summary} "
            "GROUP BY user_id, programme_id",
            [False],
        )


def _text(column: str) -> str:
    return f"COALESCE(CAST({column} AS VARCHAR(32)), '')"


@task()
def refresh_dashboard_summaries(full: bool = False) -> int:
    """The background task: refresh the dashboard's summaries."""
    return refresh_summaries(full=full).refreshed


def last_refreshed_at() -> datetime.datetime | None:
    return _last_refresh()


def _last_refresh() -> datetime.datetime | None:
    return EnrolmentSummary.objects.aggregate(last=Max("refreshed_at"))["last"]


def _changed_since(since: datetime.datetime) -> Iterable[int]:
    same_pair = {"user_id": OuterRef("user_id")}
    progress = LessonProgress.objects.filter(
        **same_pair, course_id=OuterRef("course_id"), completed_at__gte=since
    )
    certificates = Certificate.objects.filter(
        Q(created_at__gte=since) | Q(revoked_at__gte=since),
        **same_pair,
        course_id=OuterRef("course_id"),
    )
    attempts = QuizAttempt.objects.filter(
        Q(submitted_at__gte=since) | Q(marked_at__gte=since),
        **same_pair,
        quiz__course_id=OuterRef("course_id"),
    )
    return (
        Enrolment.objects.filter(
            Q(summary__isnull=True)
            | Q(enrolled_at__gte=since)
            | Q(completed_at__gte=since)
            | Exists(progress)
            | Exists(certificates)
            | Exists(attempts)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class _CourseContext:
    """Per course: its live lesson count and its programme (two queries)."""

    lessons: dict[int, int]
    programmes: dict[int, int | None]

    @classmethod
    def load(cls) -> _CourseContext:
        course_paths = dict(CoursePage.objects.values_list("path", "pk"))
        programme_paths = dict(ProgrammePage.objects.values_list("path", "pk"))
        lessons: dict[int, int] = dict.fromkeys(course_paths.values(), 0)
        for path in LessonPage.objects.live().values_list("path", flat=True):
            # A lesson sits under its course, perhaps inside a module.
            for depth in (len(path) - 4, len(path) - 8):
                course_id = course_paths.get(path[:depth])
                if course_id is not None:
                    lessons[course_id] += 1
                    break
        programmes = {
            course_id: programme_paths.get(path[:-4])
            for path, course_id in course_paths.items()
        }
        return cls(lessons, programmes)


def _refresh_chunk(
    ids: list[int], context: _CourseContext, now: datetime.datetime
) -> None:
    enrolments = list(
        Enrolment.objects.filter(pk__in=ids).values(
            "pk",
            "user_id",
            "course_id",
            "enrolled_at",
            "completed_at",
            "last_lesson_id",
        )
    )
    users = {row["user_id"] for row in enrolments}
    profiles = {
        row["user_id"]: row
        for row in Profile.objects.filter(user_id__in=users).values(
            "user_id", "province_id", "district_id", "gender", "sector", "role"
        )
    }
    progress = {
        (row["user_id"], row["course_id"]): row
        for row in LessonProgress.objects.filter(user_id__in=users)
        .values("user_id", "course_id")
        .annotate(done=Count("pk"), first=Min("completed_at"), last=Max("completed_at"))
    }
    certificates = {
        (row["user_id"], row["course_id"]): row["cpd_hours"]
        for row in Certificate.objects.filter(
            user_id__in=users,
            course__isnull=False,
            is_current=True,
            revoked_at__isnull=True,
        ).values("user_id", "course_id", "cpd_hours")
    }
    attempts = {
        (row["user_id"], row["quiz__course_id"]): row
        for row in QuizAttempt.objects.filter(
            user_id__in=users, submitted_at__isnull=False, passed__isnull=False
        )
        .values("user_id", "quiz__course_id")
        .annotate(
            graded=Count("pk"),
            passed=Count("pk", filter=Q(passed=True)),
            last=Max("submitted_at"),
        )
    }
    rows = []
    for enrolment in enrolments:
        pair = (enrolment["user_id"], enrolment["course_id"])
        profile: Mapping[str, Any] = profiles.get(enrolment["user_id"], {})
        done: Mapping[str, Any] = progress.get(
            pair, {"done": 0, "first": None, "last": None}
        )
        quiz: Mapping[str, Any] = attempts.get(
            pair, {"graded": 0, "passed": 0, "last": None}
        )
        total = context.lessons.get(enrolment["course_id"], 0)
        completed_at = enrolment["completed_at"]
        enrolled_at = enrolment["enrolled_at"]
        activity = [
            moment
            for moment in (enrolled_at, completed_at, done["last"], quiz["last"])
            if moment is not None
        ]
        cpd_hours = certificates.get(pair)
        rows.append(
            EnrolmentSummary(
                enrolment_id=enrolment["pk"],
                user_id=enrolment["user_id"],
                course_id=enrolment["course_id"],
                programme_id=context.programmes.get(enrolment["course_id"]),
                province_id=profile.get("province_id"),
                district_id=profile.get("district_id"),
                gender=profile.get("gender", ""),
                sector=profile.get("sector", ""),
                role=profile.get("role", ""),
                enrolled_at=enrolled_at,
                enrolled_week=week_of(enrolled_at),
                started_at=done["first"],
                last_activity_at=max(activity),
                lessons_done=done["done"],
                lessons_total=total,
                halfway=completed_at is not None
                or (total > 0 and done["done"] * 2 >= total),
                completed_at=completed_at,
                completed_week=week_of(completed_at) if completed_at else None,
                days_to_complete=(
                    (completed_at - enrolled_at).total_seconds() / 86400
                    if completed_at
                    else None
                ),
                certified=cpd_hours is not None,
                cpd_hours=cpd_hours or Decimal(0),
                quiz_attempts_graded=quiz["graded"],
                quiz_attempts_passed=quiz["passed"],
                stopped_at_lesson_id=(
                    None if completed_at else enrolment["last_lesson_id"]
                ),
                refreshed_at=now,
            )
        )
    with transaction.atomic():
        EnrolmentSummary.objects.filter(enrolment_id__in=ids).delete()
        EnrolmentSummary.objects.bulk_create(rows, batch_size=1000)


def week_of(moment: datetime.datetime) -> datetime.date:
    """The Monday of ``moment``'s week, in the site's time zone."""
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())
