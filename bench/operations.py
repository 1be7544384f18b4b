"""Running a programme at the issue's size: the daily reminder run over
100,000 learners in 500 cohorts, and a 10,000-row enrolment file.

Seeded on top of the demo site (its "Assessment for learning" course, four
lessons): 100,000 learners, 500 cohorts of 200 members each with the four
reminder rules (not started 7 days, inactive 14, deadline 7, certificate
expiring 30), joined over the last 60 days, two thirds of them with lessons
done up to 40 days ago, a tenth finished with a certificate expiring within 60
days. Tasks go to the database queue, as in production: the timed runs record
and queue the reminders and invitations, and the worker sends them later.

- reminder run: ``queue_due_reminders`` for today, as the daily schedule runs it;
- bulk enrolment: the ``enrol_cohort`` path (``start_enrolment_run`` and
  ``work_through``) for a CSV of 10,000 rows, half existing learners and half
  new (invited), districts spelt by name in English and Urdu.
"""

from __future__ import annotations

import time

from .results import Metric
from .site import demo_site, run_in_django, scaled, size

LEARNERS = 100_000
COHORTS = 500
FILE_ROWS = 10_000
BUDGET_SECONDS = 120


def run() -> list[Metric]:
    with demo_site("BENCH_OPERATIONS_DATABASE_URL", "lms_bench_operations") as env:
        env["BENCH_TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
        started = time.perf_counter()
        run_in_django(env, "from bench.operations import seed; seed()")
        seed_seconds = time.perf_counter() - started
        output = run_in_django(
            env, "from bench.operations import time_operations; time_operations()"
        )
    metrics = [
        Metric(f"operations: seed the cohorts (size {size():g})", seed_seconds, "s")
    ]
    for line in output.splitlines():
        if line.startswith("TIMED\t"):
            _tag, name, seconds = line.split("\t")
            metrics.append(Metric(name, float(seconds), "s", BUDGET_SECONDS))
        elif line.startswith("COUNT\t"):
            _tag, name, count = line.split("\t")
            metrics.append(Metric(name, int(count), "count"))
    if len(metrics) < 3:
        raise RuntimeError(f"no operations timings:\n{output}")
    return metrics


# --- run inside Django (manage.py shell) ------------------------------------


def seed() -> None:
    import datetime
    import random
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from certificates import services as certificate_services
    from certificates.codes import generate_verification_code
    from certificates.models import Certificate, CertificateTemplate
    from cohorts.models import Cohort, CohortMembership, ReminderRule
    from courses.models import CoursePage, Enrolment, LessonProgress

    from .scale import seed_learners

    rng = random.Random(16)  # noqa: S311 - data, not secrets
    course = CoursePage.objects.get(slug="assessment-for-learning")
    programme = course.get_parent().specific
    lessons = list(course.lessons().values_list("pk", flat=True))
    user_ids = seed_learners(scaled(LEARNERS), rng)
    now = timezone.now()
    today = timezone.localdate()
    template = CertificateTemplate.objects.get(name="Default")
    per_cohort = max(1, len(user_ids) // COHORTS)
    with transaction.atomic():
        cohorts = Cohort.objects.bulk_create(
            Cohort(
                name_en=f"Bench cohort {number}",
                name_ur=f"بینچ گروپ {number}",
                programme=programme,
                starts_on=today - datetime.timedelta(days=60),
                ends_on=today + datetime.timedelta(days=number % 30),
            )
            for number in range(COHORTS)
        )
        Cohort.courses.through.objects.bulk_create(
            Cohort.courses.through(cohort_id=cohort.pk, coursepage_id=course.pk)
            for cohort in cohorts
        )
        ReminderRule.objects.bulk_create(
            ReminderRule(cohort=cohort, kind=kind, days=days)
            for cohort in cohorts
            for kind, days in (
                ("not_started", 7),
                ("inactive", 14),
                ("deadline", 7),
                ("expiring", 30),
            )
        )
    memberships, enrolments, progress, certificates = [], [], [], []
    for index, user_id in enumerate(user_ids):
        cohort = cohorts[min(index // per_cohort, COHORTS - 1)]
        joined = now - datetime.timedelta(days=index % 60, hours=index % 24)
        memberships.append(
            CohortMembership(cohort=cohort, user_id=user_id, source="file")
        )
        finished = index % 10 == 0
        enrolments.append(
            Enrolment(
                user_id=user_id,
                course=course,
                completed_at=joined + datetime.timedelta(days=1) if finished else None,
            )
        )
        done = len(lessons) if finished else (index % 3) + (index % 2)
        for lesson_id in lessons[:done]:
            progress.append(
                LessonProgress(
                    user_id=user_id,
                    lesson_id=lesson_id,
                    course=course,
                    completed_at=now - datetime.timedelta(days=index % 40),
                )
            )
        if finished:
            certificate = Certificate(
                verification_code=generate_verification_code(),
                kind=Certificate.Kind.COURSE,
                user_id=user_id,
                course=course,
                template=template,
                holder_name_en=f"Learner {user_id}",
                holder_name_ur="استاد",
                course_title_en=course.title,
                course_title_ur="",
                programme_title_en=programme.title,
                programme_title_ur="",
                cpd_hours=Decimal(4),
                issued_on=today - datetime.timedelta(days=300),
                expires_on=today + datetime.timedelta(days=index % 60),
                issuer_en=template.issuer_en,
                issuer_ur=template.issuer_ur,
            )
            certificate_services.sign_certificate(certificate)
            certificates.append(certificate)
    with transaction.atomic():
        CohortMembership.objects.bulk_create(memberships, batch_size=5000)
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        LessonProgress.objects.bulk_create(progress, batch_size=5000)
        Certificate.objects.bulk_create(certificates, batch_size=5000)
    _spread_joins(now)
    print(
        f"learners {len(user_ids)}, cohorts {len(cohorts)}, "
        f"progress {len(progress)}, certificates {len(certificates)}"
    )


def _spread_joins(now) -> None:
    """Members joined, and enrolled, over the last 60 days (``auto_now_add``
    wrote "now" on both)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cohorts_cohortmembership SET joined_at = %s - "
            "(id %% 60) * interval '1 day' - (id %% 24) * interval '1 hour'",
            [now],
        )
        cursor.execute(
            "UPDATE courses_enrolment e SET enrolled_at = m.joined_at "
            "FROM cohorts_cohortmembership m WHERE m.user_id = e.user_id"
        )
        cursor.execute("ANALYZE")


def time_operations() -> None:
    """Print the reminder run's and the 10,000-row enrolment's times."""
    from django.utils import timezone

    from cohorts.bulk import enrolment
    from cohorts.messages import queue_due_reminders
    from cohorts.models import Cohort, ReminderSent
    from lms.accounts.models import District, User

    started = time.perf_counter()
    queued = queue_due_reminders(timezone.localdate())
    seconds = time.perf_counter() - started
    learners = User.objects.filter(cohort_memberships__isnull=False).count()
    print(f"TIMED\treminder run over {learners} learners\t{seconds:.1f}")
    print(f"COUNT\treminders queued by the run\t{queued}")
    assert ReminderSent.objects.count() == queued  # noqa: S101 - a bench check

    cohort = Cohort.objects.create(
        name_en="Bench upload cohort",
        name_ur="بینچ اپ لوڈ گروپ",
        programme=Cohort.objects.first().programme,
        starts_on=timezone.localdate(),
    )
    cohort.courses.set(Cohort.objects.first().courses.all())
    rows = scaled(FILE_ROWS)
    existing = list(
        User.objects.filter(email__startswith="scale")
        .order_by("pk")
        .values_list("email", flat=True)[: rows // 2]
    )
    districts = list(District.objects.select_related("province"))
    lines = ["email,name_en,name_ur,province,district,gender,sector,role,institution"]
    for number in range(rows):
        district = districts[number % len(districts)]
        email = (
            existing[number]
            if number < len(existing)
            else f"new.teacher{number}@example.org"
        )
        place = district.name_ur if number % 2 else district.name_en
        lines.append(
            f"{email},Teacher {number},استاد {number},,{place},"
            f"{('female', 'male')[number % 2]},public,teacher,School {number}"
        )
    data = ("\n".join(lines) + "\n").encode()
    started = time.perf_counter()
    run = enrolment.start_enrolment_run(cohort, "teachers.csv", data, actor=None)
    run = enrolment.work_through(run.pk)
    seconds = time.perf_counter() - started
    print(f"TIMED\tbulk enrolment of a {rows}-row file\t{seconds:.1f}")
    print(f"COUNT\tfile rows enrolled (existing accounts)\t{run.enrolled_count}")
    print(f"COUNT\tfile rows invited (new accounts)\t{run.invited_count}")
    print(f"COUNT\tfile rows refused\t{len(run.problems)}")
