"""The same check-in arriving many times at once (a double tap, a phone's
queue sent from two tabs): real threads against PostgreSQL, one row each.

SQLite serialises every write, so this needs PostgreSQL (DATABASE_URL); it is
skipped on SQLite.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from django.conf import settings
from django.db import connection

from events.attendance import codes, services
from events.models import Attendance

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL through DATABASE_URL",
    ),
    pytest.mark.django_db(transaction=True),
]

AT_ONCE = 8


def all_at_once(job, times: int) -> list:  # type: ignore[type-arg]
    barrier = threading.Barrier(times)
    results: list = []  # type: ignore[type-arg]
    errors: list[BaseException] = []

    def run():
        try:
            barrier.wait()
            results.append(job())
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_one_learner_scanning_many_times_at_once_is_recorded_once(
    make_event, make_learner, register
):
    event = make_event()
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    token = codes.rotating_token(session.pk)
    results = all_at_once(
        lambda: services.check_in_by_code(session, learner, token), AT_ONCE
    )
    assert sum(result.created for result in results) == 1
    assert Attendance.objects.count() == 1


def test_one_queued_scan_sent_many_times_at_once_is_recorded_once(
    make_event, make_learner, register, staff
):
    event = make_event()
    learner = make_learner()
    register(event, learner)
    session = event.sessions.get()
    item = services.StaffCheckIn(
        str(uuid.uuid4()), personal_code=codes.personal_code(learner.pk)
    )
    results = all_at_once(
        lambda: services.staff_check_in(session, staff, item), AT_ONCE
    )
    assert sum(result.created for result in results) == 1
    assert Attendance.objects.get().client_id == item.client_id
