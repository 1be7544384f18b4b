"""The programme-wide dashboard from figures added up per course.

Someone who sees everything and narrows by at most a programme or a course
would otherwise count every summary row (200,000 for a national programme)
for each figure. The refresh adds those rows up once per course and
dimension (``CourseRollup``) and keeps each learner's last activity
(``LearnerActivity``), so this answers from a few thousand rows, with the
same eight queries as ``figures.build_dashboard_from_summaries`` and exactly
its numbers.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from . import figures
from .models import CourseRollup, EnrolmentSummary, LearnerActivity

Dimension = CourseRollup.Dimension
COUNTS = (
    "enrolments",
    "started",
    "halfway",
    "completed",
    "certified",
    "cpd_hours",
    "quiz_attempts_graded",
    "quiz_attempts_passed",
)
ID_DIMENSIONS = {Dimension.PROVINCE, Dimension.DISTRICT}


def build_dashboard(
    filters: figures.Filters, now: datetime.datetime
) -> figures.Dashboard:
    rollups = _rollups(filters)
    courses = list(
        rollups.filter(dimension=Dimension.COURSE).values("course_id", *COUNTS)
    )
    headline = _headline(courses, filters, now)
    return figures.Dashboard(
        headline=headline,
        breakdowns=_breakdowns(rollups),
        weeks=_weeks(rollups, filters, now),
        courses_losing=figures.most_lost(
            [
                figures.Group(
                    row["course_id"],
                    row["enrolments"],
                    row["started"],
                    row["completed"],
                    row["certified"],
                )
                for row in courses
            ]
        ),
        lessons_stopped=_lessons_stopped(rollups),
    )


def build_headline(
    filters: figures.Filters, now: datetime.datetime
) -> figures.Headline:
    courses = _rollups(filters).filter(dimension=Dimension.COURSE).values(*COUNTS)
    return _headline(courses, filters, now)


def _rollups(filters: figures.Filters) -> QuerySet[CourseRollup]:
    rows = CourseRollup.objects.all()
    if filters.programme is not None:
        rows = rows.filter(programme_id=filters.programme)
    if filters.course is not None:
        rows = rows.filter(course_id=filters.course)
    return rows


def _summaries(filters: figures.Filters) -> QuerySet[EnrolmentSummary]:
    return figures.filtered(EnrolmentSummary.objects.all(), filters)


def _headline(
    courses: Iterable[Mapping[str, Any]],
    filters: figures.Filters,
    now: datetime.datetime,
) -> figures.Headline:
    """Four queries: the courses' totals (given), learners, median, refresh."""
    totals: dict[str, Any] = dict.fromkeys(COUNTS, 0)
    for row in courses:
        for name in COUNTS:
            totals[name] += row[name]
    headline = figures.Headline(**totals)
    headline.cpd_hours = Decimal(totals["cpd_hours"])
    people = figures.learner_counts(EnrolmentSummary.objects.none(), now)
    if filters.course is not None:
        # One course's rows are few and indexed: count its people directly.
        learners = _summaries(filters).aggregate(**people)
    else:
        # One activity row per learner (and programme): counted, not DISTINCT
        # (which sorts 100,000 rows three times).
        activity = LearnerActivity.objects.filter(
            everywhere=filters.programme is None, programme_id=filters.programme
        )
        learners = activity.aggregate(**_each_row_a_learner(now))
    for name, value in learners.items():
        setattr(headline, name, value or 0)
    figures.finish_headline(headline, _summaries(filters))
    return headline


def _each_row_a_learner(now: datetime.datetime) -> dict[str, Count]:
    return {
        "learners": Count("pk"),
        "active_7_days": Count(
            "pk", filter=Q(last_activity_at__gte=now - datetime.timedelta(days=7))
        ),
        "active_30_days": Count(
            "pk", filter=Q(last_activity_at__gte=now - datetime.timedelta(days=30))
        ),
    }


def _sums() -> dict[str, Sum]:
    return {name: Sum(name) for name in COUNTS}


def _key(dimension: str, value: str) -> Any:
    if dimension in ID_DIMENSIONS:
        return int(value) if value else None
    return value


def _breakdowns(rollups: QuerySet[CourseRollup]) -> dict[str, list[figures.Group]]:
    totals: dict[str, dict[Any, figures.Group]] = {
        name: {} for name in figures.BREAKDOWNS
    }
    grouped = (
        rollups.filter(dimension__in=figures.BREAKDOWNS)
        .values("dimension", "value")
        .annotate(**_sums())
        .order_by()
    )
    for row in grouped:
        key = _key(row["dimension"], row["value"])
        totals[row["dimension"]][key] = figures.Group(
            key,
            row["enrolments"],
            row["started"],
            row["completed"],
            row["certified"],
        )
    return {
        name: figures.largest_first(groups.values()) for name, groups in totals.items()
    }


def _weeks(
    rollups: QuerySet[CourseRollup],
    filters: figures.Filters,
    now: datetime.datetime,
) -> list[tuple[datetime.date, int, int]]:
    first, last = figures.week_range(filters, now)
    counts: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    column = {Dimension.ENROLLED_WEEK: 0, Dimension.COMPLETED_WEEK: 1}
    grouped = (
        rollups.filter(
            dimension__in=column,
            value__gte=first.isoformat(),
            value__lte=last.isoformat(),
        )
        .values("dimension", "value")
        .annotate(count=Sum("enrolments"))
        .order_by()
    )
    for row in grouped:
        week = datetime.date.fromisoformat(row["value"])
        counts[week][column[row["dimension"]]] += row["count"]
    return figures.week_list(first, last, counts)


def _lessons_stopped(
    rollups: QuerySet[CourseRollup],
) -> list[tuple[int, str, int, int]]:
    """As ``figures._lessons_stopped``: a few thousand (lesson, course) rows,
    ordered here by count and lesson id as numbers."""
    grouped = (
        rollups.filter(dimension=Dimension.STOPPED_AT)
        .values_list("value", "course_id")
        .annotate(count=Sum("enrolments"))
        .order_by()
    )
    counts = sorted(
        ((int(value), course_id, count) for value, course_id, count in grouped),
        key=lambda row: (-row[2], row[0]),
    )
    return figures.titled(counts[: figures.TOP])
