"""A question-bank file held between the trainer's preview and their confirmation."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HeldQuestionImport(models.Model):
    """The uploaded bytes and the choices made with them, until confirmed.

    Kept in the database rather than in media storage, so the file is never
    public and every web worker sees it; deleted when imported, or an hour later.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("course"),
    )
    category = models.CharField(_("category"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=20)
    filename = models.CharField(_("file name"), max_length=255)
    data = models.BinaryField(_("file"))

    class Meta:
        verbose_name = _("question file awaiting import")
        verbose_name_plural = _("question files awaiting import")

    def __str__(self) -> str:
        return self.filename
