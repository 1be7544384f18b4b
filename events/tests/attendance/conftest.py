"""Fixtures for the attendance tests: a published event with sessions placed
around "now", and registrations."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from lms.tests.limit_fixtures import set_limit  # noqa: F401

_slugs = itertools.count(1)


@pytest.fixture
def programme(home_page):
    from courses import authoring
    from courses.models import ProgrammePage

    found = ProgrammePage.objects.filter(slug="test-programme").first()
    if found is not None:
        return found
    return authoring.create_programme(
        home_page,
        "Test programme",
        "test-programme",
        audience=ProgrammePage.Audience.TEACHERS,
    )


@pytest.fixture
def make_event(programme):
    """Return a function making a published event whose sessions start at the
    given offsets from now (minutes) and last the given minutes."""
    from events.models import Event, EventSession

    def make(
        sessions=((-10, 120),),
        *,
        online: bool = False,
        needs_checkout: bool = False,
        **fields,
    ) -> Event:
        number = next(_slugs)
        fields.setdefault("status", Event.Status.PUBLISHED)
        event = Event.objects.create(
            slug=f"workshop-{number}",
            title_en=f"Classroom workshop {number}",
            title_ur=f"کلاس روم ورکشاپ {number}",
            programme=programme,
            capacity=50,
            cpd_hours=Decimal("6"),
            **fields,
        )
        now = timezone.now()
        for offset, minutes in sessions:
            starts = now + datetime.timedelta(minutes=offset)
            EventSession.objects.create(
                event=event,
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=minutes),
                mode=EventSession.Mode.ONLINE
                if online
                else EventSession.Mode.IN_PERSON,
                venue="" if online else "Government High School, Lahore",
                online_link="https://meet.example.org/abc" if online else "",
                needs_checkout=needs_checkout,
            )
        return event

    return make


@pytest.fixture
def register():
    """Return a function putting a learner on an event (registered by default)."""
    from events.models import Registration

    def put(event, learner, status=Registration.Status.REGISTERED) -> Registration:
        return Registration.objects.create(
            event=event,
            learner=learner,
            status=status,
            registered_at=timezone.now(),
        )

    return put


@pytest.fixture
def staff(db):
    from lms.accounts.models import User

    return User.objects.create_superuser("trainer@example.org", "trainer-pass-42")
