"""Which task workers are alive, so that the tasks of a dead one run again."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """A running ``db_worker`` writes its row every few seconds; a task left
    running by a worker whose row has gone stale is given back to the queue."""

    worker_id = models.CharField(_("worker"), max_length=64, primary_key=True)
    seen_at = models.DateTimeField(_("last seen"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.worker_id


class ScheduledRun(models.Model):
    """The last moment each entry of ``TASK_SCHEDULE`` was queued for, so an
    entry is queued once per moment it falls due, however many schedulers
    run and however often they restart."""

    name = models.CharField(_("schedule entry"), max_length=100, primary_key=True)
    due_at = models.DateTimeField(_("last queued for"))
    queued_at = models.DateTimeField(_("queued at"))

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return self.name
