"""Certificates, the templates they are printed with, workshops and the audit log.

A certificate row is never deleted: revoking, reissuing and renewing add rows
and events. What was signed is kept verbatim in ``signed_payload`` so anyone
can re-check the signature years later, whatever happens to the code.
"""

from __future__ import annotations

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from .rendering.content import check_wording

hex_colour = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("Write the colour as # followed by six hex digits.")
)


def validate_wording(value: str) -> None:
    try:
        check_wording(value)
    except ValueError as error:
        raise ValidationError(str(error)) from error


class CertificateTemplate(ClusterableModel):
    """How a programme's certificates look and what they say, in both languages."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("programme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificate_templates",
        help_text=_("Courses of this programme use this template."),
    )
    issuer_en = models.CharField(_("issuer (English)"), max_length=200)
    issuer_ur = models.CharField(_("issuer (Urdu)"), max_length=200, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    primary_colour = models.CharField(
        _("main colour"), max_length=7, default="#0b4f3a", validators=[hex_colour]
    )
    accent_colour = models.CharField(
        _("accent colour"), max_length=7, default="#b08d3c", validators=[hex_colour]
    )
    title_en = models.CharField(
        _("title (English)"), max_length=120, default="Certificate of Completion"
    )
    title_ur = models.CharField(
        _("title (Urdu)"), max_length=120, default="سندِ تکمیل", blank=True
    )
    presented_en = models.CharField(
        _("presentation line (English)"),
        max_length=200,
        default="This certificate is awarded to",
    )
    presented_ur = models.CharField(
        _("presentation line (Urdu)"),
        max_length=200,
        default="یہ سند عطا کی جاتی ہے",
        blank=True,
    )
    wording_en = models.TextField(
        _("wording (English)"),
        validators=[validate_wording],
        default=(
            "for successfully completing the course {course_title} of the "
            "{programme_title}, earning {cpd_hours} hours of continuing "
            "professional development."
        ),
        help_text=_(
            "Placeholders: {holder_name} {course_title} {programme_title} "
            "{cpd_hours} {issued_on} {expires_on} {issuer} {verification_code}"
        ),
    )
    wording_ur = models.TextField(
        _("wording (Urdu)"),
        validators=[validate_wording],
        blank=True,
        default=(
            "{programme_title} کے کورس {course_title} کی کامیاب تکمیل پر، جس سے "
            "پیشہ ورانہ ترقی کے {cpd_hours} گھنٹے حاصل ہوئے۔"
        ),
    )
    workshop_wording_en = models.TextField(
        _("wording for workshops (English)"),
        validators=[validate_wording],
        default=(
            "for taking part in the workshop {course_title} of the "
            "{programme_title}, earning {cpd_hours} hours of continuing "
            "professional development."
        ),
    )
    workshop_wording_ur = models.TextField(
        _("wording for workshops (Urdu)"),
        validators=[validate_wording],
        blank=True,
        default=(
            "{programme_title} کی ورکشاپ {course_title} میں شرکت پر، جس سے "
            "پیشہ ورانہ ترقی کے {cpd_hours} گھنٹے حاصل ہوئے۔"
        ),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for certificates that do not expire."),
    )
    validity_en = models.CharField(
        _("validity line (English)"),
        max_length=200,
        blank=True,
        help_text=_("For example: Valid until {expires_on}."),
        validators=[validate_wording],
    )
    validity_ur = models.CharField(
        _("validity line (Urdu)"),
        max_length=200,
        blank=True,
        validators=[validate_wording],
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("programme"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("issuer_en"), FieldPanel("issuer_ur")]),
                FieldPanel("logo"),
                FieldRowPanel(
                    [FieldPanel("primary_colour"), FieldPanel("accent_colour")]
                ),
            ],
            heading=_("Issuer and look"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("title_en"), FieldPanel("title_ur")]),
                FieldRowPanel([FieldPanel("presented_en"), FieldPanel("presented_ur")]),
                FieldPanel("wording_en"),
                FieldPanel("wording_ur"),
                FieldPanel("workshop_wording_en"),
                FieldPanel("workshop_wording_ur"),
            ],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("validity_months"),
                FieldRowPanel([FieldPanel("validity_en"), FieldPanel("validity_ur")]),
            ],
            heading=_("Validity"),
        ),
        InlinePanel("signatories", label=_("Signatories"), max_num=3),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")

    def __str__(self) -> str:
        return self.name

    def expiry_for(self, issued_on: datetime.date) -> datetime.date | None:
        if not self.validity_months:
            return None
        return add_months(issued_on, self.validity_months)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or that month's last day if it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))


class Signatory(Orderable):
    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="signatories"
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ur = models.CharField(_("name (Urdu)"), max_length=120, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=120, blank=True)
    title_ur = models.CharField(_("title (Urdu)"), max_length=120, blank=True)
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("name_en"), FieldPanel("name_ur")]),
        FieldRowPanel([FieldPanel("title_en"), FieldPanel("title_ur")]),
        FieldPanel("signature"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("signatory")


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


class Certificate(models.Model):
    """One award to one person; ``is_current`` is False once a copy replaces it."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        WORKSHOP = "workshop", _("Workshop")

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    verification_code = models.CharField(
        _("verification code"), max_length=24, unique=True
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    # Where the certificate was e-mailed to; never shown publicly.
    email = models.EmailField(_("e-mail"), blank=True)
    course = models.ForeignKey(
        "courses.CoursePage",
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    workshop = models.ForeignKey(
        Workshop,
        verbose_name=_("workshop"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    holder_name_en = models.CharField(_("holder's name (English)"), max_length=200)
    holder_name_ur = models.CharField(_("holder's name (Urdu)"), max_length=200)
    course_title_en = models.CharField(_("course (English)"), max_length=255)
    course_title_ur = models.CharField(_("course (Urdu)"), max_length=255)
    programme_title_en = models.CharField(_("programme (English)"), max_length=255)
    programme_title_ur = models.CharField(_("programme (Urdu)"), max_length=255)
    cpd_hours = models.DecimalField(_("CPD hours"), max_digits=5, decimal_places=2)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200)
    issuer_ur = models.CharField(_("issuer (Urdu)"), max_length=200)
    signed_payload = models.TextField(_("signed content"))
    signature = models.CharField(_("signature"), max_length=100)
    key_id = models.CharField(_("key id"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to="certificates/", blank=True)
    pdf_sha256 = models.CharField(_("PDF SHA-256"), max_length=64, blank=True)
    is_current = models.BooleanField(_("current"), default=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason for revoking"), max_length=300, blank=True
    )
    verification_count = models.PositiveIntegerField(_("times checked"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=models.Q(is_current=True, course__isnull=False),
                name="certificate_one_current_per_learner_course",
            ),
            models.UniqueConstraint(
                fields=["workshop", "email"],
                condition=models.Q(is_current=True, workshop__isnull=False),
                name="certificate_one_current_per_workshop_attendee",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="course", course__isnull=False)
                    | models.Q(kind="workshop", workshop__isnull=False)
                ),
                name="certificate_names_what_it_is_for",
            ),
        ]
        indexes = [models.Index(fields=["pdf_sha256"])]

    def __str__(self) -> str:
        return f"{self.verification_code} ({self.holder_name_en})"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("certificates:verify", args=[self.verification_code])

    def status(self, today: datetime.date | None = None) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        today = today or timezone.localdate()
        if self.expires_on is not None and self.expires_on < today:
            return self.Status.EXPIRED
        return self.Status.VALID


class CertificateEvent(models.Model):
    """The audit log: who did what to a certificate, and when. Only ever added to."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        PDF_RENDERED = "pdf_rendered", _("PDF made")
        EMAILED = "emailed", _("E-mailed")
        REVOKED = "revoked", _("Revoked")
        REISSUED = "reissued", _("Reissued")
        RENEWED = "renewed", _("Renewed")
        SUPERSEDED = "superseded", _("Replaced")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("certificate event")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.action} at {self.at:%Y-%m-%d %H:%M}"


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
