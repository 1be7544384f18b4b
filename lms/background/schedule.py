"""Queueing the periodic tasks: the dashboard's refresh, the daily reminders.

``TASK_SCHEDULE`` (settings) names each entry's task by its dotted path (this
module sits below the apps and never imports them) with either ``every``
(minutes: due at each multiple of it since midnight) or ``daily_at`` ("HH:MM"
in ``TIME_ZONE``). ``run_due`` queues each entry whose latest due moment has
not been queued yet, recording the moment in ``ScheduledRun`` in the same
transaction under a row lock: two schedulers, or one restarted, queue each
moment once. A moment missed while nothing ran is queued at the next tick
(only the latest: a scheduler down for three days queues one reminder run).

``manage.py run_schedule`` ticks every 30 seconds (``make run`` starts it beside
the worker); ``manage.py run_schedule --once`` ticks once, for cron.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun
from .services import enqueue_with_change


@dataclass(frozen=True)
class Entry:
    name: str
    task: str  # dotted path to a django_tasks Task
    every: int | None = None  # minutes
    daily_at: str | None = None  # "HH:MM", local time
    kwargs: dict[str, Any] = field(default_factory=dict)

    def latest_due(self, now: datetime.datetime) -> datetime.datetime:
        """The last moment at or before ``now`` this entry fell due."""
        local = timezone.localtime(now)
        midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.every is not None:
            minutes = (local - midnight).total_seconds() // 60
            return midnight + datetime.timedelta(minutes=minutes - minutes % self.every)
        if self.daily_at is None:
            raise ValueError(f"schedule entry {self.name} has no time")
        hour, minute = (int(part) for part in self.daily_at.split(":"))
        today = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        return today if today <= local else today - datetime.timedelta(days=1)


def entries() -> list[Entry]:
    return [Entry(**entry) for entry in settings.TASK_SCHEDULE]


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Queue every entry due and not queued yet; the names of those queued."""
    now = now or timezone.now()
    queued = []
    for entry in entries():
        if _queue_if_due(entry, now):
            queued.append(entry.name)
    return queued


def _queue_if_due(entry: Entry, now: datetime.datetime) -> bool:
    due = entry.latest_due(now)
    with transaction.atomic():
        last = ScheduledRun.objects.select_for_update().filter(name=entry.name).first()
        if last is not None and last.due_at >= due:
            return False
        if last is None:
            try:
                with transaction.atomic():
                    ScheduledRun.objects.create(
                        name=entry.name, due_at=due, queued_at=now
                    )
            except IntegrityError:  # another scheduler queued it a moment ago
                return False
        else:
            last.due_at, last.queued_at = due, now
            last.save(update_fields=["due_at", "queued_at"])
        enqueue_with_change(import_string(entry.task), **entry.kwargs)
    return True
