"""Certificate templates (wording, colours, logo, validity) and their signatories."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from ..rendering.content import check_wording

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
