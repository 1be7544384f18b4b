"""Demo cohorts for seed_demo: Lahore and Karachi South, each with a district
coordinator and learners at every stage (enrolled, started, half-way,
completed and so certified). Safe to run again: everything is found by its
e-mail, slug or name before it is made."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from courses import authoring
from courses import services as courses
from courses.models import CoursePage, ProgrammePage
from lms.accounts import services as accounts
from lms.accounts.models import District, User

from .models import Cohort, CoordinatorAssignment, ReminderRule
from .services import join_cohort

COURSE_SLUG = "assessment-for-learning"
LESSONS = [
    ("Why we check understanding", "why-check"),
    ("Questions that make pupils think", "questions"),
    ("Exit tickets", "exit-tickets"),
    ("Feedback pupils can use", "feedback"),
]
# (district code, cohort name en, ur, join code, coordinator, learners)
COHORTS = [
    (
        "PB-LHR",
        "NTTP Lahore, spring 2026",
        "این ٹی ٹی پی لاہور، بہار ۲۰۲۶",
        "NTTP-LHR-26",
        ("lahore.coordinator@example.org", "Rabia Anwar", "رابعہ انور"),
        [
            ("lhr.teacher1@example.org", "Sana Iqbal", "ثنا اقبال", "female", 0),
            ("lhr.teacher2@example.org", "Usman Tariq", "عثمان طارق", "male", 1),
            ("lhr.teacher3@example.org", "Hina Javed", "حنا جاوید", "female", 2),
            ("lhr.teacher4@example.org", "Kashif Mehmood", "کاشف محمود", "male", 4),
            ("lhr.teacher5@example.org", "Nadia Perveen", "نادیہ پروین", "female", 4),
        ],
    ),
    (
        "SD-KCS",
        "NTTP Karachi South, spring 2026",
        "این ٹی ٹی پی کراچی جنوبی، بہار ۲۰۲۶",
        "NTTP-KHI-26",
        ("karachi.coordinator@example.org", "Imran Shaikh", "عمران شیخ"),
        [
            ("khi.teacher1@example.org", "Farah Naz", "فرح ناز", "female", 0),
            ("khi.teacher2@example.org", "Asif Memon", "آصف میمن", "male", 2),
            ("khi.teacher3@example.org", "Rubina Soomro", "روبینہ سومرو", "female", 3),
            ("khi.teacher4@example.org", "Zeeshan Ali", "ذیشان علی", "male", 4),
        ],
    ),
]


def seed_cohorts(nttp: ProgrammePage, password: str) -> list[Cohort]:
    course = _course(nttp)
    today = timezone.localdate()
    made = []
    for code, name_en, name_ur, join_code, coordinator, learners in COHORTS:
        district = District.objects.select_related("province").get(code=code)
        cohort = Cohort.objects.filter(name_en=name_en).first()
        if cohort is None:
            cohort = Cohort.objects.create(
                name_en=name_en,
                name_ur=name_ur,
                programme=nttp,
                province=district.province,
                district=district,
                starts_on=today - datetime.timedelta(days=20),
                ends_on=today + datetime.timedelta(days=40),
                join_code=join_code,
            )
            cohort.courses.add(course)
            for kind, days in (("not_started", 7), ("inactive", 14), ("deadline", 7)):
                ReminderRule.objects.create(cohort=cohort, kind=kind, days=days)
        _coordinator(nttp, district, coordinator, password)
        for email, name, name_urdu, gender, lessons_done in learners:
            user = _learner(email, name, name_urdu, gender, district, password)
            join_cohort(user, cohort)
            for lesson in list(course.lessons())[:lessons_done]:
                courses.record_lesson_complete(user, lesson.pk)
        made.append(cohort)
    # The demo learner is in the Lahore cohort, so their dashboard has a deadline.
    demo_learner = User.objects.filter(email="learner@example.org").first()
    if demo_learner is not None and made:
        join_cohort(demo_learner, made[0])
    return made


def _course(nttp: ProgrammePage) -> CoursePage:
    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is not None:
        return course
    course = authoring.create_course(
        nttp,
        "Assessment for learning",
        COURSE_SLUG,
        summary="Short, everyday ways to see what pupils have understood.",
        cpd_hours=Decimal("4"),
        estimated_minutes=60,
    )
    for title, slug in LESSONS:
        authoring.create_lesson(
            course, title, slug, body=[("text", f"<p>{title}: notes and a task.</p>")]
        )
    return course


def _coordinator(nttp, district: District, person, password: str) -> User:
    email, name_en, name_ur = person
    user = User.objects.filter(email=email).first()
    if user is None:
        user = _register(email, name_en, name_ur, "", district, password)
        User.objects.filter(pk=user.pk).update(is_staff=True)
    user.groups.add(Group.objects.get(name=accounts.COORDINATORS_GROUP))
    CoordinatorAssignment.objects.get_or_create(
        user=user, programme=nttp, district=district, province=None, cohort=None
    )
    return user


def _learner(email, name_en, name_ur, gender, district, password) -> User:
    user = User.objects.filter(email=email).first()
    return user or _register(email, name_en, name_ur, gender, district, password)


def _register(email, name_en, name_ur, gender, district, password) -> User:
    return accounts.register_learner(
        email,
        password,
        accounts.ProfileDetails(
            certificate_name_en=name_en,
            certificate_name_ur=name_ur,
            role="teacher",
            sector="public",
            province=district.province,
            district=district,
            institution=f"Government School, {district.name_en}",
            preferred_language="ur",
            gender=gender,
        ),
    )
