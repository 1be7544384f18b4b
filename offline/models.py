"""What the phone sent while offline, kept once per learner and client id."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfflineAction(models.Model):
    """One queued action a learner's phone sent, applied exactly once.

    The phone gives each action an id (a UUID) when it is queued; sending it
    again, from a replayed queue or a second tab, finds this row and returns the
    stored ``result`` without doing anything twice.
    """

    class Kind(models.TextChoices):
        LESSON_COMPLETE = "lesson_complete", _("lesson completed")
        QUIZ_SUBMIT = "quiz_submit", _("quiz submitted")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    client_id = models.UUIDField(_("id given by the phone"))
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("offline action")
        verbose_name_plural = _("offline actions")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_id"], name="offline_action_once_per_learner"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id}"
