"""Workshops, certified from an uploaded attendee list, and each upload's run."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel

from .templates import CertificateTemplate


class Workshop(models.Model):
    """An in-person or online NTTP workshop whose attendees get certificates."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200, blank=True)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="workshops",
    )
    held_on = models.DateField(_("date"))
    mode = models.CharField(
        _("held"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON
    )
    cpd_hours = models.DecimalField(
        _("CPD hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("certificate template"),
        on_delete=models.PROTECT,
        related_name="workshops",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("title_en"), FieldPanel("title_ur")]),
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("held_on"), FieldPanel("mode")]),
        FieldPanel("cpd_hours"),
        FieldPanel("template"),
    ]

    class Meta:
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        ordering = ["-held_on", "title_en"]

    def __str__(self) -> str:
        return self.title_en


class WorkshopIssueRun(models.Model):
    """One upload of a workshop's attendee list and how far issuing has got."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Issuing")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    workshop = models.ForeignKey(
        Workshop, on_delete=models.CASCADE, related_name="issue_runs"
    )
    csv_text = models.TextField()
    file_name = models.CharField(max_length=255, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    issued_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # [{"line": 4, "message": "..."}]: rows that were not issued and why.
    problems = models.JSONField(default=list, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.workshop} upload {self.pk}"

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 100 if self.state == self.State.FINISHED else 0
        return round(100 * self.processed_rows / self.total_rows)
