"""Server time at scale: a large data set in PostgreSQL, then each page timed
in-process over repeated requests, with its query count.

Seeded on top of the demo site: 100,000 learners with profiles, 200 courses of
10 lessons, 2,000,000 lesson-progress rows (200,000 enrolments of 10 lessons),
20,000 certificates. Pages and the learner are taken from the demo data, so the
same query counts can be compared with the small site.
"""

from __future__ import annotations

import datetime
import random
import statistics
import time

from .results import Metric
from .site import demo_site, run_in_django, scaled, size

LEARNERS = 100_000
COURSES = 200
LESSONS_PER_COURSE = 10
ENROLMENTS = 200_000  # each with all 10 lessons done: 2,000,000 progress rows
CERTIFICATES = 20_000
REPEATS = 30


def run() -> list[Metric]:
    with demo_site("BENCH_SCALE_DATABASE_URL", "lms_bench_scale") as env:
        small = _time_pages(env, "small")
        started = time.perf_counter()
        run_in_django(env, "from bench.scale import seed_large; seed_large()")
        seed_seconds = time.perf_counter() - started
        large = _time_pages(env, "large")
    metrics = [Metric(f"seed the large data set (size {size():g})", seed_seconds, "s")]
    for name, (median, p95, queries) in large.items():
        small_queries = small[name][2]
        metrics += [
            Metric(f"{name}: median server time at scale", median, "ms", 50),
            Metric(f"{name}: 95th percentile server time at scale", p95, "ms"),
            Metric(
                f"{name}: queries at scale (small site: {small_queries})",
                queries,
                "count",
                small_queries,
            ),
        ]
    return metrics


def _time_pages(env: dict[str, str], label: str) -> dict[str, tuple]:
    output = run_in_django(env, "from bench.scale import time_pages; time_pages()")
    results = {}
    for line in output.splitlines():
        if line.startswith("PAGE\t"):
            _tag, name, median, p95, queries = line.split("\t")
            results[name] = (float(median), float(p95), int(queries))
    if not results:
        raise RuntimeError(f"no page timings ({label}):\n{output}")
    return results


# --- run inside Django (manage.py shell) ------------------------------------


def time_pages() -> None:
    """Print median/p95 server time and query count for each page."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from certificates.models import Certificate
    from courses import services
    from courses.models import CoursePage, LessonPage
    from lms.accounts.models import User

    learner = User.objects.get(email="learner@example.org")
    for course in CoursePage.objects.filter(slug="classroom-management"):
        services.enrol(learner, course)
    from courses.quizzes import services as quizzes

    urdu_course = CoursePage.objects.get(
        slug="classroom-management", locale__language_code="ur"
    )
    attempt = quizzes.start_attempt(learner, urdu_course.final_assessment, "ur")
    lesson_en = LessonPage.objects.get(slug="routines", locale__language_code="en")
    lesson_ur = LessonPage.objects.get(slug="routines", locale__language_code="ur")
    code = (
        Certificate.objects.filter(workshop__slug="nttp-demo-workshop")
        .order_by("pk")
        .first()
        .verification_code
    )
    pages = {
        "home": ("/", False),
        "catalogue": ("/courses/", False),
        "course overview": ("/nttp/classroom-management/", False),
        "lesson (English)": (lesson_en.url, True),
        "lesson (Urdu)": (lesson_ur.url, True),
        "quiz (Urdu, questions)": (f"/ur/learning/attempts/{attempt.pk}/", True),
        "dashboard": ("/learning/", True),
        "verification": (f"/verify/{code}/", False),
        "verification JSON": (f"/verify/{code}.json", False),
    }
    anonymous = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    logged_in = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    logged_in.force_login(learner)
    for name, (path, needs_login) in pages.items():
        client = logged_in if needs_login else anonymous
        response = client.get(path)  # warm: the site's caches, as in service
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        times = []
        for _ in range(REPEATS):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        p95 = statistics.quantiles(times, n=20)[-1]
        print(
            f"PAGE\t{name}\t{statistics.median(times):.2f}\t{p95:.2f}\t"
            f"{len(queries.captured_queries)}"
        )


def seed_learners(count: int, rng: random.Random) -> list[int]:
    """``count`` learners ``scale<n>@example.org`` with profiles spread over
    every district, in English and Urdu (bulk inserts); their ids."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from lms.accounts.models import District, Profile, User

    password = make_password("scale-learner-password")
    districts = list(District.objects.values_list("pk", "province_id"))
    batch = 10_000
    ids: list[int] = []
    for start in range(0, count, batch):
        with transaction.atomic():
            users = User.objects.bulk_create(
                User(email=f"scale{number}@example.org", password=password)
                for number in range(start, min(start + batch, count))
            )
            profiles = []
            for user in users:
                district, province = rng.choice(districts)
                profiles.append(
                    Profile(
                        user=user,
                        certificate_name_en=f"Learner {user.pk}",
                        certificate_name_ur="استاد",
                        role="teacher",
                        sector="public",
                        gender=rng.choice(["female", "male"]),
                        province_id=province,
                        district_id=district,
                        institution="Government school",
                        preferred_language=rng.choice(["en", "ur"]),
                    )
                )
            Profile.objects.bulk_create(profiles)
            ids += [user.pk for user in users]
    return ids


def seed_large() -> None:
    """Bulk-insert the large data set (run inside Django)."""
    from django.db import connection, transaction

    from certificates import services as certificate_services
    from certificates.codes import generate_verification_code
    from certificates.models import Certificate, CertificateTemplate
    from courses.models import (
        CoursePage,
        Enrolment,
        LessonPage,
        LessonProgress,
        ProgrammePage,
    )
    from lms.accounts.models import User

    rng = random.Random(2026)  # noqa: S311 - data, not secrets
    programme = ProgrammePage.objects.get(slug="nttp", locale__language_code="en")
    started = time.perf_counter()
    courses = []
    # Published directly (no revision history): the pages read the same, and
    # 2,200 revisions would only slow the seeding down.
    with transaction.atomic():
        for number in range(COURSES):
            course = programme.add_child(
                instance=CoursePage(
                    title=f"Scale course {number}",
                    slug=f"scale-course-{number}",
                    summary=f"Scale course {number}",
                    cpd_hours=6,
                )
            )
            for index in range(LESSONS_PER_COURSE):
                course.add_child(
                    instance=LessonPage(
                        title=f"Lesson {index}",
                        slug=f"lesson-{index}",
                        body=[("text", f"<p>Lesson {index} of course {number}.</p>")],
                    )
                )
            courses.append(course)
    print(f"pages: {time.perf_counter() - started:.1f} s", flush=True)
    lessons = {
        course.pk: list(
            LessonPage.objects.child_of(course).values_list("pk", flat=True)
        )
        for course in courses
    }
    now = datetime.datetime.now(datetime.UTC)
    user_ids = seed_learners(scaled(LEARNERS), rng)
    print(f"learners: {time.perf_counter() - started:.1f} s", flush=True)
    pairs = set()
    while len(pairs) < scaled(ENROLMENTS):
        pairs.add((rng.choice(user_ids), rng.choice(courses).pk))
    pairs = sorted(pairs)
    with connection.cursor() as cursor, transaction.atomic():
        with cursor.copy(
            "COPY courses_enrolment (user_id, course_id, enrolled_at, completed_at) "
            "FROM STDIN"
        ) as copy:
            for user_id, course_id in pairs:
                copy.write_row((user_id, course_id, now, now))
        with cursor.copy(
            "COPY courses_lessonprogress (user_id, lesson_id, course_id, completed_at) "
            "FROM STDIN"
        ) as copy:
            for user_id, course_id in pairs:
                for lesson_id in lessons[course_id]:
                    copy.write_row((user_id, lesson_id, course_id, now))
    print(f"progress: {time.perf_counter() - started:.1f} s", flush=True)
    template = CertificateTemplate.objects.get(name="Default")
    certificates = []
    for user_id, course_id in pairs[: scaled(CERTIFICATES)]:
        certificate = Certificate(
            verification_code=generate_verification_code(),
            kind=Certificate.Kind.COURSE,
            user_id=user_id,
            course_id=course_id,
            template=template,
            holder_name_en=f"Learner {user_id}",
            holder_name_ur="استاد",
            course_title_en=f"Scale course {course_id}",
            course_title_ur="",
            programme_title_en=programme.title,
            programme_title_ur="",
            cpd_hours=6,
            issued_on=now.date(),
            issuer_en=template.issuer_en,
            issuer_ur=template.issuer_ur,
        )
        certificate_services.sign_certificate(certificate)
        certificates.append(certificate)
    Certificate.objects.bulk_create(certificates, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    counts = {
        "learners": User.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "lesson progress": LessonProgress.objects.count(),
        "certificates": Certificate.objects.count(),
    }
    print(counts)
