"""Where an imported course came from: one row per course package imported."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CoursePackageImport(models.Model):
    """A course made from an open content package, and the package it came from.

    Kept beside the course rather than on it, so the course's translations do not
    each carry a copy, and so the record stays true if trainers edit the course.
    """

    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="package_import",
        verbose_name=_("course"),
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    source_site = models.CharField(_("exported from"), max_length=255, blank=True)
    source_title = models.CharField(_("original title"), max_length=255)
    source_slug = models.SlugField(_("original slug"), max_length=255, blank=True)
    source_translation_key = models.UUIDField(_("original translation key"))
    exported_at = models.DateTimeField(_("exported at"))
    format_version = models.PositiveSmallIntegerField(_("package format version"))
    package_sha256 = models.CharField(_("package SHA-256"), max_length=64)

    class Meta:
        verbose_name = _("imported course package")
        verbose_name_plural = _("imported course packages")

    def __str__(self) -> str:
        return f"{self.source_title} ({self.source_site})"
