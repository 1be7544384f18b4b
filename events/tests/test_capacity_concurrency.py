"""60 teachers press "Register" at once for 50 places: real threads against
PostgreSQL, each through the page a phone would post to.

SQLite serialises every write, so this needs PostgreSQL (DATABASE_URL); it is
skipped on SQLite.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from events import services
from events.models import Registration

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL through DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]

TEACHERS = 60
PLACES = 50


def all_at_once(work: list) -> None:  # type: ignore[type-arg]
    barrier = threading.Barrier(len(work))
    errors: list[BaseException] = []

    def run(job):
        try:
            barrier.wait()
            job()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def test_sixty_at_once_for_fifty_places(settings, make_event, make_learner):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "event_register": {"learner": None, "address": None},
    }
    event = make_event(capacity=PLACES)
    teachers = [make_learner() for _ in range(TEACHERS)]
    url = reverse("events:register", args=[event.slug])
    statuses: list[int] = []

    def post_for(teacher):
        def post():
            client = Client()
            client.force_login(teacher)
            statuses.append(client.post(url).status_code)

        return post

    all_at_once([post_for(teacher) for teacher in teachers])
    assert statuses == [302] * TEACHERS
    counts = {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in ("registered", "waitlisted")
    }
    assert counts == {"registered": PLACES, "waitlisted": TEACHERS - PLACES}
    queue = list(
        Registration.objects.filter(event=event, status="waitlisted").order_by(
            "waitlisted_at", "pk"
        )
    )

    # Two cancellations race with the same registration cancelled twice: one
    # place comes free, so exactly the first in the queue moves up.
    place = Registration.objects.filter(event=event, status="registered").first()
    learner = place.learner

    def cancel():
        try:
            services.cancel(Registration.objects.get(pk=place.pk), by=learner)
        except services.RegistrationError:
            pass  # the other thread cancelled it first

    all_at_once([cancel, cancel])
    assert Registration.objects.filter(event=event, status="registered").count() == (
        PLACES
    )
    assert Registration.objects.get(pk=queue[0].pk).status == "registered"
    assert Registration.objects.filter(event=event, status="waitlisted").count() == (
        TEACHERS - PLACES - 1
    )
