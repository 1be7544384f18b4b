"""The schedule queues each entry once per moment it falls due."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django_tasks import task
from django_tasks.base import Task

from lms.background import schedule
from lms.background.models import ScheduledRun

pytestmark = pytest.mark.django_db

KARACHI = zoneinfo.ZoneInfo("Asia/Karachi")
ran: list[dict] = []


@task()
def note_run(**kwargs) -> None:
    ran.append(kwargs)


def at(day: int, hour: int, minute: int, second: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, minute, second, tzinfo=KARACHI)


@pytest.fixture
def entries(settings, django_capture_on_commit_callbacks):
    settings.TIME_ZONE = "Asia/Karachi"
    settings.TASK_SCHEDULE = [
        {
            "name": "often",
            "task": f"{__name__}.note_run",
            "every": 10,
            "kwargs": {"which": "often"},
        },
        {
            "name": "daily",
            "task": f"{__name__}.note_run",
            "daily_at": "09:00",
            "kwargs": {"which": "daily"},
        },
    ]
    ran.clear()

    def tick(now):
        with django_capture_on_commit_callbacks(execute=True):
            return schedule.run_due(now)

    yield tick
    ran.clear()


def test_an_entry_every_ten_minutes_is_queued_once_per_slot(entries):
    assert "often" in entries(at(1, 10, 0, 5))
    assert "often" not in entries(at(1, 10, 9, 59))
    assert "often" in entries(at(1, 10, 10, 1))
    assert [run for run in ran if run["which"] == "often"] == [{"which": "often"}] * 2


def test_a_daily_entry_is_queued_once_a_day_at_its_local_time(entries):
    entries(at(1, 9, 0, 30))  # the first tick also queues the latest due moment
    assert ScheduledRun.objects.get(name="daily").due_at == at(1, 9, 0)
    assert "daily" not in entries(at(1, 23, 59))
    assert "daily" not in entries(at(2, 8, 59))
    assert "daily" in entries(at(2, 9, 0, 1))
    assert "daily" not in entries(at(2, 9, 0, 40))
    assert [run for run in ran if run["which"] == "daily"] == [{"which": "daily"}] * 2


def test_a_scheduler_down_for_days_queues_one_run_not_one_per_missed_day(entries):
    entries(at(1, 9, 5))
    ran.clear()
    assert entries(at(4, 12, 0)) == ["often", "daily"]
    assert ran == [{"which": "often"}, {"which": "daily"}]


def test_a_second_scheduler_at_the_same_moment_queues_nothing_again(entries):
    assert entries(at(1, 9, 1)) == ["often", "daily"]
    assert entries(at(1, 9, 1)) == []
    assert len(ran) == 2


def test_the_command_ticks_once_for_cron(entries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_schedule", "--once")
    assert {run["which"] for run in ran} == {"often", "daily"}


def test_every_entry_of_the_real_schedule_names_a_task_and_a_time(settings):
    from django.utils.module_loading import import_string

    names = set()
    for entry in schedule.entries():
        assert isinstance(import_string(entry.task), Task), entry.task
        assert (entry.every is None) != (entry.daily_at is None), entry.name
        entry.latest_due(at(1, 12, 0))
        names.add(entry.task)
    assert names == {
        "reporting.summaries.refresh_dashboard_summaries",
        "cohorts.messages.send_due_reminders",
        "events.attendance.awards.award_certificates_after_sessions",
        "events.messages.send_session_reminders",
    }
