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


class OfflineQuizPaper(models.Model):
    """The questions of a learner's next attempt at an untimed quiz, drawn when
    the course is saved for offline but not yet an attempt.

    Saving a course must not use up an attempt: the attempt is created from the
    paper when the answers reach the server (or the learner starts the quiz
    online, which draws afresh). The paper holds question and option ids only,
    never what is right.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    quiz = models.ForeignKey(
        "courses.Quiz", on_delete=models.CASCADE, related_name="offline_papers"
    )
    language = models.CharField(_("language"), max_length=16)
    questions = models.JSONField(_("questions drawn"), default=list)
    # How many attempts the learner had made when it was drawn: once she makes
    # another, a new save draws a new paper (as a new attempt would).
    attempts_before = models.PositiveSmallIntegerField()
    attempt = models.OneToOneField(
        "courses.QuizAttempt",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offline_paper",
        verbose_name=_("attempt made from it"),
    )
    created_at = models.DateTimeField(_("drawn at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quiz paper saved for offline")
        verbose_name_plural = _("quiz papers saved for offline")
        indexes = [models.Index(fields=["user", "quiz", "language"])]

    def __str__(self) -> str:
        return f"paper {self.pk} of quiz {self.quiz_id}"
