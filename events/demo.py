"""A demo workshop for seed_demo: two mornings in Lahore a week from the day
the demo is made, with the course to take before it, and two of the Lahore
cohort's teachers registered. Safe to run again: found by its slug first (and
its sessions moved a week ahead when the earlier ones are over)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from courses.models import CoursePage, ProgrammePage
from lms.accounts.models import District, User

from . import services
from .models import Event, EventSession

DEMO_EVENT_SLUG = "classroom-management-workshop-lahore"
DEMO_REGISTERED = ["lhr.teacher1@example.org", "lhr.teacher2@example.org"]


def _sessions(event: Event, district: District) -> None:
    first_day = timezone.localdate() + datetime.timedelta(days=7)
    for day, (title_en, title_ur) in enumerate(
        [("Routines and rules", "معمولات اور قواعد"), ("Practice", "مشق")]
    ):
        starts = timezone.make_aware(
            datetime.datetime.combine(
                first_day + datetime.timedelta(days=day), datetime.time(10, 0)
            )
        )
        EventSession.objects.create(
            event=event,
            title_en=title_en,
            title_ur=title_ur,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=3),
            venue="Government College of Education, Township",
            district=district,
            needs_checkout=True,
        )


def seed_events(nttp: ProgrammePage) -> Event:
    lahore = District.objects.select_related("province").get(code="PB-LHR")
    event = Event.objects.filter(slug=DEMO_EVENT_SLUG).first()
    if event is not None:
        if not event.sessions.filter(ends_at__gt=timezone.now()).exists():
            event.sessions.all().delete()
            _sessions(event, lahore)
        return event
    event = Event.objects.create(
        slug=DEMO_EVENT_SLUG,
        kind=Event.Kind.WORKSHOP,
        title_en="Classroom management workshop, Lahore",
        title_ur="کمرۂ جماعت کے نظم پر ورکشاپ، لاہور",
        description_en=(
            "Two mornings of practice with the routines of the classroom "
            "management course: bring a lesson plan. Take the course first."
        ),
        description_ur=(
            "کمرۂ جماعت کے نظم کے کورس کے معمولات کی مشق کی دو صبحیں: اپنا سبق کا "
            "منصوبہ ساتھ لائیں۔ پہلے کورس مکمل کریں۔"
        ),
        programme=nttp,
        province=lahore.province,
        district=lahore,
        capacity=30,
        course=CoursePage.objects.descendant_of(nttp).order_by("path").first(),
        cpd_hours=Decimal("6"),
        attendance_rule=Event.AttendanceRule.MIN_SHARE,
        attendance_percent=80,
        status=Event.Status.PUBLISHED,
    )
    _sessions(event, lahore)
    for learner in User.objects.filter(email__in=DEMO_REGISTERED):
        services.register(event, learner)
    return event
