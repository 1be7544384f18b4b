"""Certificates and their audit log: rows that are never deleted."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .templates import CertificateTemplate
from .workshops import Workshop


class CertificateQuerySet(models.QuerySet):
    def with_status(self, status: str, today: datetime.date | None = None):
        """Certificates whose ``status(today)`` is ``status``: the same rule as
        :meth:`Certificate.status`, written once as a database expression."""
        return self.alias(current_status=Certificate.status_expression(today)).filter(
            current_status=status
        )


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
    # Where the certificate's revocation bit lives: allocated once, at random,
    # so an index says nothing about when or to whom it was issued.
    status_list = models.ForeignKey(
        "certificates.StatusList",
        verbose_name=_("status list"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    status_index = models.PositiveIntegerField(
        _("status list index"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Stored count plus look-ups waiting in Redis; set by with_pending_counts().
    times_checked: int

    objects = CertificateQuerySet.as_manager()

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
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                name="certificate_one_status_entry_each",
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

    # Revocation wins over expiry; a certificate without an expiry date never
    # expires. ``status`` and ``status_expression`` are the Python and SQL
    # spellings of this one rule, and a test holds them to each other.
    def status(self, today: datetime.date | None = None) -> str:
        if self.revoked_at is not None:
            return self.Status.REVOKED
        today = today or timezone.localdate()
        if self.expires_on is not None and self.expires_on < today:
            return self.Status.EXPIRED
        return self.Status.VALID

    @classmethod
    def status_expression(cls, today: datetime.date | None = None) -> models.Case:
        today = today or timezone.localdate()
        return models.Case(
            models.When(
                revoked_at__isnull=False, then=models.Value(cls.Status.REVOKED)
            ),
            models.When(expires_on__lt=today, then=models.Value(cls.Status.EXPIRED)),
            default=models.Value(cls.Status.VALID),
            output_field=models.CharField(),
        )


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
