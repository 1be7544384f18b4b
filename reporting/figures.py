"""The dashboard's figures, funnel, breakdowns, trends and losses.

Everything is read from ``EnrolmentSummary`` rows limited to what the person may
see (a ``scope.Visible``) and to the filters, or, for the programme-wide views,
from the same rows added up per course (``rollups.py``); a fixed number of
queries answers the whole dashboard, whatever the size of the programme.
Funnel, breakdowns and losses count enrolments (a learner in a course);
"learners" and "active" count people.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from cohorts.models import Cohort
from courses.models import LessonPage

from .models import EnrolmentSummary
from .scope import Visible
from .summaries import week_of

TOP = 10  # courses and lessons listed where learners are lost
WEEKS = 12  # weeks of trends shown when no date range is chosen


@dataclass(frozen=True)
class Filters:
    programme: int | None = None
    course: int | None = None
    province: int | None = None
    district: int | None = None
    gender: str | None = None
    sector: str | None = None
    role: str | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    cohort: int | None = None

    @property
    def programme_or_course_only(self) -> bool:
        """Nothing chosen finer than a programme or a course."""
        return all(
            getattr(self, name) is None
            for name in self.__dataclass_fields__
            if name not in ("programme", "course")
        )


def summaries_for(visible: Visible, filters: Filters) -> QuerySet[EnrolmentSummary]:
    """The summary rows ``visible`` allows, narrowed by ``filters``."""
    rows = EnrolmentSummary.objects.all()
    if visible.nothing:
        return rows.none()
    if not visible.everything:
        # A scoped person: only their enrolments. (Everything visible needs
        # no subquery, which keeps the managers' dashboard one scan.)
        rows = rows.filter(enrolment__in=visible.enrolments.values("pk"))
    return filtered(rows, filters)


def filtered(
    rows: QuerySet[EnrolmentSummary], filters: Filters
) -> QuerySet[EnrolmentSummary]:
    conditions = {
        "programme_id": filters.programme,
        "course_id": filters.course,
        "province_id": filters.province,
        "district_id": filters.district,
        "gender": filters.gender,
        "sector": filters.sector,
        "role": filters.role,
        "enrolled_at__date__gte": filters.date_from,
        "enrolled_at__date__lte": filters.date_to,
    }
    rows = rows.filter(
        **{lookup: value for lookup, value in conditions.items() if value is not None}
    )
    if filters.cohort is not None:
        # A cohort's members, in the courses of its programme (in any language).
        rows = rows.filter(
            user__cohort_memberships__cohort_id=filters.cohort,
            programme__translation_key__in=Cohort.objects.filter(
                pk=filters.cohort
            ).values("programme__translation_key"),
        )
    return rows


@dataclass
class Headline:
    enrolments: int = 0
    learners: int = 0
    active_7_days: int = 0
    active_30_days: int = 0
    started: int = 0
    halfway: int = 0
    completed: int = 0
    certified: int = 0
    cpd_hours: Decimal = Decimal(0)
    quiz_attempts_graded: int = 0
    quiz_attempts_passed: int = 0
    median_days_to_complete: float | None = None
    refreshed_at: datetime.datetime | None = None

    @property
    def quiz_pass_rate(self) -> float | None:
        if not self.quiz_attempts_graded:
            return None
        return 100 * self.quiz_attempts_passed / self.quiz_attempts_graded


@dataclass
class Group:
    """One row of a breakdown: a province, a district, a gender ..."""

    key: Any
    enrolled: int = 0
    started: int = 0
    completed: int = 0
    certified: int = 0

    @property
    def lost(self) -> int:
        return self.enrolled - self.completed

    @property
    def completion_rate(self) -> float:
        return 100 * self.completed / self.enrolled if self.enrolled else 0.0


@dataclass
class Dashboard:
    headline: Headline
    breakdowns: dict[str, list[Group]] = field(default_factory=dict)
    weeks: list[tuple[datetime.date, int, int]] = field(default_factory=list)
    courses_losing: list[Group] = field(default_factory=list)
    lessons_stopped: list[tuple[int, str, int, int]] = field(default_factory=list)

    @property
    def funnel(self) -> list[tuple[str, int]]:
        head = self.headline
        return [
            ("enrolled", head.enrolments),
            ("started", head.started),
            ("halfway", head.halfway),
            ("completed", head.completed),
            ("certified", head.certified),
        ]


BREAKDOWNS = ("province", "district", "gender", "sector", "role")


def build_dashboard_from_summaries(
    visible: Visible, filters: Filters, now: datetime.datetime
) -> Dashboard:
    rows = summaries_for(visible, filters)
    headline = _headline(rows, now)
    return Dashboard(
        headline=headline,
        breakdowns=_breakdowns(rows),
        weeks=_weeks(rows, filters, now),
        courses_losing=_courses_losing(rows),
        lessons_stopped=_lessons_stopped(rows),
    )


def build_headline_from_summaries(
    visible: Visible, filters: Filters, now: datetime.datetime
) -> Headline:
    return _headline(summaries_for(visible, filters), now)


def _stage_counts() -> dict[str, Count]:
    return {
        "enrolled": Count("pk"),
        "started": Count("pk", filter=Q(started_at__isnull=False)),
        "completed": Count("pk", filter=Q(completed_at__isnull=False)),
        "certified": Count("pk", filter=Q(certified=True)),
    }


def _headline(rows: QuerySet[EnrolmentSummary], now: datetime.datetime) -> Headline:
    figures = rows.aggregate(
        enrolments=Count("pk"),
        **learner_counts(rows, now),
        started=Count("pk", filter=Q(started_at__isnull=False)),
        halfway=Count("pk", filter=Q(halfway=True)),
        completed=Count("pk", filter=Q(completed_at__isnull=False)),
        certified=Count("pk", filter=Q(certified=True)),
        cpd_hours=Sum("cpd_hours"),
        quiz_attempts_graded=Sum("quiz_attempts_graded"),
        quiz_attempts_passed=Sum("quiz_attempts_passed"),
    )
    counts: dict[str, Any] = {name: value or 0 for name, value in figures.items()}
    headline = Headline(**counts)
    headline.cpd_hours = Decimal(figures["cpd_hours"] or 0)
    finish_headline(headline, rows)
    return headline


def learner_counts(rows: QuerySet, now: datetime.datetime) -> dict[str, Count]:
    """Learners, and those active in the last 7 and 30 days, among ``rows``
    (summary rows, or learner activity rows: both have these columns)."""
    return {
        "learners": Count("user_id", distinct=True),
        "active_7_days": Count(
            "user_id",
            distinct=True,
            filter=Q(last_activity_at__gte=now - datetime.timedelta(days=7)),
        ),
        "active_30_days": Count(
            "user_id",
            distinct=True,
            filter=Q(last_activity_at__gte=now - datetime.timedelta(days=30)),
        ),
    }


def finish_headline(headline: Headline, rows: QuerySet[EnrolmentSummary]) -> None:
    """The median (from ``rows``) and the time of the last refresh: two queries."""
    headline.median_days_to_complete = _median_days(rows, headline.completed)
    headline.refreshed_at = (
        EnrolmentSummary.objects.order_by("-refreshed_at")
        .values_list("refreshed_at", flat=True)[:1]
        .first()
    )


def _median_days(rows: QuerySet[EnrolmentSummary], completed: int) -> float | None:
    """The median from the middle one or two rows of the sorted durations
    (one indexed query; run even when nothing is complete, so the count of
    queries never depends on the data)."""
    middle = max(completed - 1, 0) // 2
    wanted = 2 if completed % 2 == 0 else 1
    values = [
        value
        for value in rows.filter(days_to_complete__isnull=False)
        .order_by("days_to_complete")
        .values_list("days_to_complete", flat=True)[middle : middle + wanted]
        if value is not None
    ]
    if not values or not completed:
        return None
    return sum(values) / len(values)


def _breakdowns(rows: QuerySet[EnrolmentSummary]) -> dict[str, list[Group]]:
    """One grouped query over all five dimensions, rolled up here: a few
    thousand groups at most (districts × genders × sectors × roles)."""
    totals: dict[str, dict[Any, Group]] = {name: {} for name in BREAKDOWNS}
    grouped: Iterable[Mapping[str, Any]] = rows.values(
        "province_id", "district_id", "gender", "sector", "role"
    ).annotate(**_stage_counts())
    for row in grouped:
        for name in BREAKDOWNS:
            key = row[f"{name}_id"] if name in ("province", "district") else row[name]
            group = totals[name].setdefault(key, Group(key))
            group.enrolled += row["enrolled"]
            group.started += row["started"]
            group.completed += row["completed"]
            group.certified += row["certified"]
    return {name: largest_first(groups.values()) for name, groups in totals.items()}


def largest_first(groups: Iterable[Group]) -> list[Group]:
    """Most enrolled first; ties by key, so every source lists them alike."""
    return sorted(groups, key=lambda group: (-group.enrolled, str(group.key)))


def week_range(
    filters: Filters, now: datetime.datetime
) -> tuple[datetime.date, datetime.date]:
    """The Mondays of the first and last weeks the trends show."""
    last = week_of(now)
    if filters.date_to:
        last = min(
            last, filters.date_to - datetime.timedelta(filters.date_to.weekday())
        )
    first = last - datetime.timedelta(weeks=WEEKS - 1)
    if filters.date_from:
        first = filters.date_from - datetime.timedelta(filters.date_from.weekday())
    return first, last


def week_list(
    first: datetime.date, last: datetime.date, counts: Mapping[datetime.date, list[int]]
) -> list[tuple[datetime.date, int, int]]:
    weeks = []
    week = first
    while week <= last:
        enrolled, completed = counts.get(week, (0, 0))
        weeks.append((week, enrolled, completed))
        week += datetime.timedelta(weeks=1)
    return weeks


def _weeks(
    rows: QuerySet[EnrolmentSummary], filters: Filters, now: datetime.datetime
) -> list[tuple[datetime.date, int, int]]:
    """(Monday, enrolled that week, completed that week), oldest first."""
    first, last = week_range(filters, now)
    counts: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    weekly = (
        rows.filter(
            Q(enrolled_week__gte=first, enrolled_week__lte=last)
            | Q(completed_week__gte=first, completed_week__lte=last)
        )
        .values("enrolled_week", "completed_week")
        .annotate(count=Count("pk"))
    )
    for row in weekly:
        if first <= row["enrolled_week"] <= last:
            counts[row["enrolled_week"]][0] += row["count"]
        if row["completed_week"] and first <= row["completed_week"] <= last:
            counts[row["completed_week"]][1] += row["count"]
    return week_list(first, last, counts)


def _courses_losing(rows: QuerySet[EnrolmentSummary]) -> list[Group]:
    grouped: Iterable[Mapping[str, Any]] = rows.values("course_id").annotate(
        **_stage_counts()
    )
    groups = [
        Group(
            row["course_id"],
            row["enrolled"],
            row["started"],
            row["completed"],
            row["certified"],
        )
        for row in grouped
    ]
    return most_lost(groups)


def most_lost(groups: list[Group]) -> list[Group]:
    groups.sort(key=lambda group: (-group.lost, group.key))
    return groups[:TOP]


def _lessons_stopped(
    rows: QuerySet[EnrolmentSummary],
) -> list[tuple[int, str, int, int]]:
    """(lesson id, lesson title, course id, learners stopped there), most first:
    learners who started and have not finished, by the lesson they would resume.
    Counted first, titled after (two queries: the join waits for the ten rows)."""
    counts = list(
        rows.filter(completed_at__isnull=True, stopped_at_lesson__isnull=False)
        .values_list("stopped_at_lesson_id", "course_id")
        .annotate(count=Count("pk"))
        .order_by("-count", "stopped_at_lesson_id")[:TOP]
    )
    return titled(counts)


def titled(
    counts: list[tuple[int, int, int]],
) -> list[tuple[int, str, int, int]]:
    """(lesson, course, count) rows with the lessons' titles (one query)."""
    titles = dict(
        LessonPage.objects.filter(pk__in=[row[0] for row in counts]).values_list(
            "pk", "title"
        )
    )
    return [
        (lesson_id, titles.get(lesson_id, ""), course_id, count)
        for lesson_id, course_id, count in counts
    ]
