"""The programme dashboard at scale: server time and query count in PostgreSQL.

Seeded as the scale suite is (100,000 learners with profiles in every
district, 200 courses of 10 lessons, 200,000 enrolments and 2,000,000
lesson-progress rows, 20,000 certificates), then spread over time and stages:
enrolments over 26 weeks, a third unfinished (their progress cut short).
500 (course, district) pairs stand in for cohorts, and the filtered timings
cycle through those pairs. The summaries and the per-course rollups are built
once by the same refresh the task runs (its time is reported), then the
dashboard is timed in-process: without filters, by programme and by course
(these three read the rollups), by district, and by course and district
together (a cohort's worth; these read the summary rows).
"""

from __future__ import annotations

import statistics
import time

from .results import Metric
from .site import demo_site, run_in_django, size

REPEATS = 30
COHORT_STAND_INS = 500
BUDGET_MS = 300


def run() -> list[Metric]:
    with demo_site("BENCH_DASHBOARD_DATABASE_URL", "lms_bench_dashboard") as env:
        started = time.perf_counter()
        run_in_django(env, "from bench.dashboard import seed; seed()")
        seed_seconds = time.perf_counter() - started
        output = run_in_django(
            env, "from bench.dashboard import time_dashboard; time_dashboard()"
        )
    metrics = [
        Metric(
            f"dashboard: seed the large data set (size {size():g})", seed_seconds, "s"
        )
    ]
    for line in output.splitlines():
        if line.startswith("REFRESH\t"):
            _tag, seconds, rows = line.split("\t")
            metrics.append(
                Metric(
                    f"dashboard: full summary refresh ({rows} rows)",
                    float(seconds),
                    "s",
                )
            )
        elif line.startswith("ROLLUPS\t"):
            metrics.append(
                Metric(
                    "dashboard: rebuilding the per-course rollups",
                    float(line.split("\t")[1]),
                    "s",
                )
            )
        elif line.startswith("PAGE\t"):
            _tag, name, median, p95, queries = line.split("\t")
            metrics += [
                Metric(f"{name}: median server time", float(median), "ms", BUDGET_MS),
                Metric(f"{name}: 95th percentile server time", float(p95), "ms"),
                Metric(f"{name}: queries", int(queries), "count"),
            ]
    if len(metrics) < 3:
        raise RuntimeError(f"no dashboard timings:\n{output}")
    return metrics


# --- run inside Django (manage.py shell) ------------------------------------


def seed() -> None:
    """The scale suite's data, spread over 26 weeks and every stage."""
    from django.db import connection

    from .scale import seed_large

    seed_large()
    with connection.cursor() as cursor:
        # Enrolled over half a year; finished some days after enrolling.
        cursor.execute(
            "UPDATE courses_enrolment SET enrolled_at = now() - "
            "(id % 182) * interval '1 day' - (id % 24) * interval '1 hour'"
        )
        cursor.execute(
            "UPDATE courses_enrolment SET completed_at = enrolled_at + "
            "(id % 40) * interval '1 day' WHERE id % 3 <> 0"
        )
        # A third never finished: they stopped after 0 to 9 lessons.
        cursor.execute(
            "UPDATE courses_enrolment SET completed_at = NULL WHERE id % 3 = 0"
        )
        # (A course's lessons were made one after another: consecutive ids.)
        cursor.execute(
            "WITH first AS (SELECT course_id, min(lesson_id) AS lesson_id "
            "FROM courses_lessonprogress GROUP BY course_id) "
            "DELETE FROM courses_lessonprogress p USING courses_enrolment e, first f "
            "WHERE e.id % 3 = 0 AND p.user_id = e.user_id "
            "AND p.course_id = e.course_id AND f.course_id = p.course_id "
            "AND p.lesson_id - f.lesson_id >= e.id % 10"
        )
        cursor.execute(
            "UPDATE courses_enrolment e SET last_lesson_id = (SELECT max(lesson_id) "
            "FROM courses_lessonprogress p WHERE p.user_id = e.user_id "
            "AND p.course_id = e.course_id) WHERE e.id % 3 = 0"
        )
        cursor.execute(
            "UPDATE courses_lessonprogress p SET completed_at = e.enrolled_at + "
            "(p.lesson_id % 10) * interval '1 day' FROM courses_enrolment e "
            "WHERE e.user_id = p.user_id AND e.course_id = p.course_id"
        )
        cursor.execute("SELECT count(*) FROM courses_lessonprogress")
        print("progress rows after spreading:", cursor.fetchone()[0])
        cursor.execute("ANALYZE")


def time_dashboard() -> None:
    """Print the refresh time, then median/p95 server time and query count."""
    import random

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import CoursePage, ProgrammePage
    from lms.accounts.models import District, User
    from reporting.summaries import rebuild_rollups, refresh_summaries

    started = time.perf_counter()
    result = refresh_summaries(full=True)
    print(f"REFRESH\t{time.perf_counter() - started:.1f}\t{result.refreshed}")
    started = time.perf_counter()
    rebuild_rollups()  # (part of every refresh; timed alone here)
    print(f"ROLLUPS\t{time.perf_counter() - started:.1f}", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reporting_enrolmentsummary")
    rng = random.Random(500)  # noqa: S311 - data, not secrets
    districts = list(District.objects.values_list("pk", flat=True))
    courses = list(
        CoursePage.objects.filter(slug__startswith="scale-course-").values_list(
            "pk", flat=True
        )
    )
    pairs = [
        (rng.choice(courses), rng.choice(districts)) for _ in range(COHORT_STAND_INS)
    ]
    manager = User.objects.get(email="manager@example.org")
    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(manager)
    programme = ProgrammePage.objects.get(slug="nttp", locale__language_code="en")
    pages = {
        "dashboard, no filters": lambda n: "/admin/dashboard/",
        "dashboard, programme only": lambda n: (
            f"/admin/dashboard/?programme={programme.pk}"
        ),
        "dashboard, one course": lambda n: (
            f"/admin/dashboard/?course={courses[n % len(courses)]}"
        ),
        "dashboard, one district": lambda n: (
            f"/admin/dashboard/?district={districts[n % len(districts)]}"
        ),
        "dashboard, course and district (a cohort's worth)": lambda n: (
            "/admin/dashboard/?course={}&district={}".format(*pairs[n % len(pairs)])
        ),
        "dashboard XLSX download, one district": lambda n: (
            "/admin/dashboard/export/district.xlsx"
            f"?district={districts[n % len(districts)]}"
        ),
    }
    for name, path_for in pages.items():
        response = client.get(path_for(0))  # warm
        if response.status_code != 200:
            raise RuntimeError(f"{path_for(0)} answered {response.status_code}")
        times = []
        for number in range(REPEATS):
            started = time.perf_counter()
            client.get(path_for(number))
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path_for(1))
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"PAGE\t{name}\t{statistics.median(times):.2f}\t{p95:.2f}\t"
            f"{len(queries.captured_queries)}",
            flush=True,
        )
