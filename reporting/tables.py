"""The dashboard's numbers as tables: what the page shows under each chart,
and exactly what the CSV and XLSX downloads hold."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import Profile

from .figures import Dashboard, Group

Cell = str | int | float | Decimal | datetime.date | None


@dataclass(frozen=True)
class Table:
    slug: str
    title: str | Promise
    headers: list[str | Promise]
    rows: list[list[Cell]]


STAGES = {
    "enrolled": _("Enrolled"),
    "started": _("Started"),
    "halfway": _("Half-way"),
    "completed": _("Completed"),
    "certified": _("Certified"),
}
BREAKDOWN_TITLES = {
    "province": _("By province"),
    "district": _("By district"),
    "gender": _("By gender"),
    "sector": _("By sector"),
    "role": _("By role"),
}
BREAKDOWN_HEADERS = {
    "province": _("Province"),
    "district": _("District"),
    "gender": _("Gender"),
    "sector": _("Sector"),
    "role": _("Role"),
}
CHOICES: dict[str, dict[str, Any]] = {
    "gender": dict(Profile.Gender.choices),
    "sector": dict(Profile.Sector.choices),
    "role": dict(Profile.Role.choices),
}
TABLE_SLUGS = (
    "figures",
    "funnel",
    *BREAKDOWN_TITLES,
    "weekly",
    "courses",
    "lessons",
)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def build_tables(
    dashboard: Dashboard, names: dict[str, dict[int, str]]
) -> dict[str, Table]:
    head = dashboard.headline
    unknown = str(_("Not given"))
    tables = {
        "figures": Table(
            "figures",
            _("Figures"),
            [_("Figure"), _("Value")],
            [
                [str(_("Learners")), head.learners],
                [str(_("Enrolments")), head.enrolments],
                [str(_("Active in the last 7 days")), head.active_7_days],
                [str(_("Active in the last 30 days")), head.active_30_days],
                [str(_("Completed")), head.completed],
                [str(_("Certified")), head.certified],
                [str(_("CPD hours awarded")), head.cpd_hours],
                [
                    str(_("Quiz pass rate (%)")),
                    None
                    if head.quiz_pass_rate is None
                    else round(head.quiz_pass_rate, 1),
                ],
                [
                    str(_("Median days to complete")),
                    None
                    if head.median_days_to_complete is None
                    else round(head.median_days_to_complete, 1),
                ],
            ],
        ),
        "funnel": Table(
            "funnel",
            _("From enrolment to certificate"),
            [_("Stage"), _("Enrolments"), _("Share of enrolled (%)")],
            [
                [str(STAGES[stage]), count, _percent(count, head.enrolments)]
                for stage, count in dashboard.funnel
            ],
        ),
    }
    for name, groups in dashboard.breakdowns.items():
        tables[name] = Table(
            name,
            BREAKDOWN_TITLES[name],
            [
                BREAKDOWN_HEADERS[name],
                _("Enrolled"),
                _("Started"),
                _("Completed"),
                _("Certified"),
                _("Completion (%)"),
            ],
            [
                [
                    _group_name(name, group, names) or unknown,
                    group.enrolled,
                    group.started,
                    group.completed,
                    group.certified,
                    _percent(group.completed, group.enrolled),
                ]
                for group in groups
            ],
        )
    tables["weekly"] = Table(
        "weekly",
        _("Week by week"),
        [_("Week starting"), _("Enrolled"), _("Completed")],
        [[week, enrolled, completed] for week, enrolled, completed in dashboard.weeks],
    )
    tables["courses"] = Table(
        "courses",
        _("Courses that lose most learners"),
        [
            _("Course"),
            _("Enrolled"),
            _("Started"),
            _("Completed"),
            _("Not completed"),
            _("Completion (%)"),
        ],
        [
            [
                names["course"].get(group.key, str(group.key)),
                group.enrolled,
                group.started,
                group.completed,
                group.lost,
                _percent(group.completed, group.enrolled),
            ]
            for group in dashboard.courses_losing
        ],
    )
    tables["lessons"] = Table(
        "lessons",
        _("Lessons where learners stop"),
        [_("Lesson"), _("Course"), _("Learners who stopped there")],
        [
            [title, names["course"].get(course_id, str(course_id)), count]
            for _lesson_id, title, course_id, count in dashboard.lessons_stopped
        ],
    )
    return tables


def _group_name(name: str, group: Group, names: dict[str, dict[int, str]]) -> str:
    if name in CHOICES:
        label = CHOICES[name].get(group.key)
        return str(label) if label is not None and group.key else ""
    if group.key is None:
        return ""
    return names[name].get(group.key, str(group.key))
