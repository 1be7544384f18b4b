"""Awards (Teaching Excellence Award, district level, 2026) and the awards
issued to teachers. An issued award is never deleted: it is revoked, with a
reason, and its bit in the status list says so to every verifier."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Award(models.Model):
    """What is given: its names, level, category and year."""

    class Level(models.TextChoices):
        DISTRICT = "district", _("District")
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")

    class Category(models.TextChoices):
        INNOVATION = "innovation", _("Innovation")
        RURAL_SERVICE = "rural_service", _("Rural service")
        INCLUSIVE_EDUCATION = "inclusive_education", _("Inclusive education")
        LEADERSHIP = "leadership", _("Leadership")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200)
    description_en = models.TextField(_("description (English)"), max_length=2000)
    description_ur = models.TextField(_("description (Urdu)"), max_length=2000)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    criteria_en = models.TextField(_("criteria (English)"), max_length=2000, blank=True)
    criteria_ur = models.TextField(_("criteria (Urdu)"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-year", "name_en"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="award_year_plausible",
            )
        ]

    def __str__(self) -> str:
        if str(self.year) in self.name_en:
            return self.name_en
        return f"{self.name_en} ({self.year})"

    @property
    def name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name_en

    @property
    def description(self) -> str:
        if get_language() == "ur" and self.description_ur:
            return self.description_ur
        return self.description_en


class IssuedAward(models.Model):
    """One award given to one teacher: a signed Open Badges credential."""

    award = models.ForeignKey(
        Award, verbose_name=_("award"), on_delete=models.PROTECT, related_name="issued"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teacher"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    # An unguessable address for the public recognition page and credential.
    public_id = models.CharField(_("public id"), max_length=32, unique=True)
    holder_name_en = models.CharField(_("holder's name (English)"), max_length=200)
    holder_name_ur = models.CharField(_("holder's name (Urdu)"), max_length=200)
    issuer_en = models.CharField(_("issuer (English)"), max_length=200)
    issuer_ur = models.CharField(_("issuer (Urdu)"), max_length=200)
    citation_en = models.TextField(_("citation (English)"), max_length=1000, blank=True)
    citation_ur = models.TextField(_("citation (Urdu)"), max_length=1000, blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issued_on = models.DateField(_("issued on"))
    key_id = models.CharField(_("key id"), max_length=64)
    # The teacher's say: without it the recognition page is hers alone.
    page_is_public = models.BooleanField(
        _("public page (teacher's consent)"), default=False
    )
    consent_changed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revocation_reason = models.CharField(
        _("reason for revoking"), max_length=300, blank=True
    )
    status_list = models.ForeignKey(
        "certificates.StatusList",
        verbose_name=_("status list"),
        on_delete=models.PROTECT,
        related_name="awards",
    )
    status_index = models.PositiveIntegerField(_("status list index"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("issued award")
        verbose_name_plural = _("issued awards")
        ordering = ["-issued_on", "-id"]
        constraints = [
            # Issuing is idempotent: a rerun of a file finds the award given.
            models.UniqueConstraint(
                fields=["award", "user"], name="issued_award_once_per_teacher"
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"],
                name="issued_award_one_status_entry_each",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award} — {self.holder_name_en}"

    def get_absolute_url(self) -> str:
        return reverse("awards:recognition", args=[self.public_id])

    @property
    def holder_name(self) -> str:
        if get_language() == "ur" and self.holder_name_ur:
            return self.holder_name_ur
        return self.holder_name_en

    @property
    def citation(self) -> str:
        if get_language() == "ur" and self.citation_ur:
            return self.citation_ur
        return self.citation_en

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
