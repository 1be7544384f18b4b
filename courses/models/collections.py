"""Which Wagtail collection holds a programme's images and documents."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgrammeCollection(models.Model):
    """A programme's own collection: its trainers are granted this collection
    (Wagtail's GroupCollectionPermission), so the image and document choosers
    show them their programme's files and nobody else's.

    Kept beside the programme, keyed by its translation key, rather than on the
    page: every translation shares it, and no page revision can undo it.
    """

    programme_key = models.UUIDField(_("programme"), unique=True)
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("collection"),
    )

    class Meta:
        verbose_name = _("programme collection")

    def __str__(self) -> str:
        return str(self.collection)
