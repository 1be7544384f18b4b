"""Fixtures for the events tests: published events with sessions, built
through the models and the services."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.utils import timezone

from cohorts.channels import TestChannel
from cohorts.tests.conftest import make_coordinator  # noqa: F401
from events.models import Event, EventSession
from lms.accounts.models import District
from lms.tests.limit_fixtures import set_limit  # noqa: F401

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _test_channel(settings):
    settings.COHORT_MESSAGE_CHANNEL = "cohorts.channels.TestChannel"
    TestChannel.outbox.clear()
    yield TestChannel.outbox
    TestChannel.outbox.clear()


@pytest.fixture
def outbox(_test_channel):
    return _test_channel


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """``with sent():`` runs the mail tasks queued inside it, as a commit would."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


@pytest.fixture
def programme(make_course):
    return make_course(lessons=1).get_parent().specific


@pytest.fixture
def make_event(programme):
    """A published two-session workshop in Lahore, starting in ``days`` days."""

    def make(
        capacity: int = 50,
        days: float = 3,
        sessions: int = 2,
        district_code: str = "PB-LHR",
        status: str = Event.Status.PUBLISHED,
        **fields,
    ) -> Event:
        number = next(_numbers)
        district = District.objects.get(code=district_code)
        event = Event.objects.create(
            slug=fields.pop("slug", f"workshop-{number}"),
            title_en=fields.pop("title_en", f"Classroom management {number}"),
            title_ur=fields.pop("title_ur", "کمرۂ جماعت کا نظم"),
            description_en="Two mornings of practice, with tea.",
            programme=fields.pop("programme", programme),
            province=district.province,
            district=district,
            capacity=capacity,
            status=status,
            **fields,
        )
        start = timezone.now() + datetime.timedelta(days=days)
        for day in range(sessions):
            begins = start + datetime.timedelta(days=day)
            EventSession.objects.create(
                event=event,
                starts_at=begins,
                ends_at=begins + datetime.timedelta(hours=3),
                venue="Government College, Lahore",
                district=district,
            )
        return event

    return make
