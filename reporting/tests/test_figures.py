"""Every figure of the dashboard against counts made here from the raw rows."""

from __future__ import annotations

import datetime
import statistics
from decimal import Decimal

import pytest
from django.utils import timezone

from certificates import services as certificates
from certificates.models import Certificate
from courses import services as learning
from courses.models import Enrolment, LessonProgress, QuizAttempt
from reporting import rollups
from reporting.dashboard import build_dashboard
from reporting.figures import Filters, build_dashboard_from_summaries
from reporting.models import EnrolmentSummary
from reporting.scope import visible_to
from reporting.summaries import refresh_summaries

pytestmark = pytest.mark.django_db


def expected(enrolments, now):
    """The figures, from Enrolment, LessonProgress, Certificate and QuizAttempt."""
    enrolments = list(enrolments.select_related("course", "user__profile"))
    pairs = {(e.user_id, e.course_id) for e in enrolments}
    done: dict = {}
    last: dict = {}
    for row in LessonProgress.objects.all():
        pair = (row.user_id, row.course_id)
        done[pair] = done.get(pair, 0) + 1
        last[pair] = max(last.get(pair, row.completed_at), row.completed_at)
    certified = {
        (c.user_id, c.course_id): c.cpd_hours
        for c in Certificate.objects.filter(is_current=True, revoked_at__isnull=True)
        if (c.user_id, c.course_id) in pairs
    }
    attempts = [
        a
        for a in QuizAttempt.objects.select_related("quiz")
        if a.passed is not None and (a.user_id, a.quiz.course_id) in pairs
    ]

    def active(days):
        since = now - datetime.timedelta(days=days)
        return len(
            {
                e.user_id
                for e in enrolments
                if max(
                    moment
                    for moment in (
                        e.enrolled_at,
                        e.completed_at,
                        last.get((e.user_id, e.course_id)),
                        *(
                            a.submitted_at
                            for a in attempts
                            if (a.user_id, a.quiz.course_id) == (e.user_id, e.course_id)
                        ),
                    )
                    if moment
                )
                >= since
            }
        )

    totals = {e.course_id: e.course.lessons().count() for e in enrolments}
    durations = [
        (e.completed_at - e.enrolled_at).total_seconds() / 86400
        for e in enrolments
        if e.completed_at
    ]
    return {
        "enrolments": len(enrolments),
        "learners": len({e.user_id for e in enrolments}),
        "active_7_days": active(7),
        "active_30_days": active(30),
        "started": sum(1 for e in enrolments if done.get((e.user_id, e.course_id))),
        "halfway": sum(
            1
            for e in enrolments
            if e.completed_at
            or 2 * done.get((e.user_id, e.course_id), 0) >= totals[e.course_id]
        ),
        "completed": sum(1 for e in enrolments if e.completed_at),
        "certified": len(certified),
        "cpd_hours": sum(certified.values(), Decimal(0)),
        "quiz_attempts_graded": len(attempts),
        "quiz_attempts_passed": sum(1 for a in attempts if a.passed),
        "median": statistics.median(durations) if durations else None,
    }


def test_every_headline_figure_matches_the_raw_rows(programme):
    now = timezone.now()
    head = build_dashboard(visible_to(programme.manager), Filters(), now).headline
    want = expected(Enrolment.objects.all(), now)
    assert head.enrolments == want["enrolments"] == 7
    assert head.learners == want["learners"] == 6
    assert head.active_7_days == want["active_7_days"] == 4
    assert head.active_30_days == want["active_30_days"] == 5
    assert head.started == want["started"] == 5
    assert head.halfway == want["halfway"] == 4
    assert head.completed == want["completed"] == 3
    assert head.certified == want["certified"] == 2
    assert head.cpd_hours == want["cpd_hours"] == Decimal(12)
    assert head.quiz_attempts_graded == want["quiz_attempts_graded"] == 3
    assert head.quiz_attempts_passed == want["quiz_attempts_passed"]
    assert head.quiz_pass_rate == pytest.approx(100 * want["quiz_attempts_passed"] / 3)
    assert head.median_days_to_complete == pytest.approx(want["median"])


def test_funnel_breakdowns_and_losses_match_the_raw_rows(programme):
    dashboard = build_dashboard(visible_to(programme.manager), Filters())
    assert dashboard.funnel == [
        ("enrolled", 7),
        ("started", 5),
        ("halfway", 4),
        ("completed", 3),
        ("certified", 2),
    ]
    enrolments = list(Enrolment.objects.select_related("user__profile"))
    for name in ("province", "district", "gender", "sector", "role"):
        attribute = f"{name}_id" if name in ("province", "district") else name
        want: dict = {}
        for enrolment in enrolments:
            key = getattr(enrolment.user.profile, attribute)
            want.setdefault(key, [0, 0])
            want[key][0] += 1
            want[key][1] += enrolment.completed_at is not None
        got = {g.key: [g.enrolled, g.completed] for g in dashboard.breakdowns[name]}
        assert got == want, name
    losing = {g.key: g.lost for g in dashboard.courses_losing}
    assert losing == {programme.first.pk: 3, programme.second.pk: 1}
    assert dashboard.courses_losing[0].key == programme.first.pk
    # Where the unfinished learners of the first course stopped: the lesson
    # they would resume (the second for "started", the third for "halfway");
    # "enrolled" never started, so stopped nowhere yet.
    lessons = list(programme.first.lessons())
    stopped = {row[0]: row[3] for row in dashboard.lessons_stopped}
    assert stopped == {lessons[1].pk: 1, lessons[2].pk: 1}
    assert sum(enrolled for _week, enrolled, _done in dashboard.weeks) == 7
    assert sum(done for _week, _enrolled, done in dashboard.weeks) == 3


def test_a_refresh_picks_up_only_what_changed_since_the_last(programme):
    halfway = programme.learners["halfway"]
    lessons = list(programme.first.lessons())
    quiet = EnrolmentSummary.objects.get(user=programme.learners["enrolled"])
    learning.record_lesson_complete(halfway, lessons[2].pk)
    learning.record_lesson_complete(halfway, lessons[3].pk)
    result = refresh_summaries()
    # Rows changed in the last few minutes are looked at again (the overlap);
    # the learner untouched for 40 days is not.
    assert result.full is False
    assert 1 <= result.refreshed < 7
    quiet.refresh_from_db()
    assert quiet.refreshed_at < EnrolmentSummary.objects.get(user=halfway).refreshed_at
    row = EnrolmentSummary.objects.get(user=halfway)
    assert (row.lessons_done, row.completed_at is not None, row.certified) == (
        4,
        True,
        True,
    )
    assert row.stopped_at_lesson_id is None
    head = build_dashboard(visible_to(programme.manager), Filters()).headline
    assert (head.completed, head.certified) == (4, 3)
    # A certificate revoked later counts no more.
    certificate = Certificate.objects.get(user=halfway, is_current=True)
    certificates.revoke_certificate(
        certificate, reason="Wrong", actor=programme.manager
    )
    refresh_summaries()
    assert (
        build_dashboard(visible_to(programme.manager), Filters()).headline.certified
        == 2
    )


@pytest.mark.parametrize("narrowed_to", ["nothing", "programme", "course", "quiz"])
def test_the_figures_added_up_per_course_equal_those_counted_row_by_row(
    programme, narrowed_to
):
    """The programme-wide views answer from the refresh's per-course rollups;
    every number, list and order must be what counting the rows gives, at a
    moment after the refresh (the activity windows move with it)."""
    filters = {
        "nothing": Filters(),
        "programme": Filters(programme=programme.first.get_parent().pk),
        "course": Filters(course=programme.first.pk),
        "quiz": Filters(course=programme.second.pk),
    }[narrowed_to]
    visible = visible_to(programme.manager)
    assert visible.everything and filters.programme_or_course_only
    for days_later in (0, 15):
        now = timezone.now() + datetime.timedelta(days=days_later)
        added = rollups.build_dashboard(filters, now)
        counted = build_dashboard_from_summaries(visible, filters, now)
        assert counted.headline.enrolments > 0
        assert added == counted
        assert rollups.build_headline(filters, now) == counted.headline
