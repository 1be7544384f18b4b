"""Events (workshops, webinars, roundtables, wellness sessions), their sessions,
who registered for them and who attended each session.

An event belongs to a programme and has one or more sessions, each at a venue
(with its district) or online. Registration is one row per (event, learner):
cancelling and registering again reuses the row, so the pair stays unique and
a learner's history on the event is in one place. Attendance is one row per
(session, learner), recorded by whichever method saw them first.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel


class Event(ClusterableModel):
    """Something learners register for and attend, in one or more sessions."""

    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        WEBINAR = "webinar", _("Webinar")
        ROUNDTABLE = "roundtable", _("Roundtable")
        WELLNESS = "wellness", _("Wellness session")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    class AttendanceRule(models.TextChoices):
        ALL_SESSIONS = "all_sessions", _("Every session attended")
        MIN_SHARE = "min_share", _("At least a share of the session time")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind.choices, default=Kind.WORKSHOP
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_ur = models.CharField(_("title (Urdu)"), max_length=200, blank=True)
    description_en = models.TextField(
        _("description (English)"), max_length=4000, blank=True
    )
    description_ur = models.TextField(
        _("description (Urdu)"), max_length=4000, blank=True
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("programme"),
    )
    province = models.ForeignKey(
        "accounts.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
        help_text=_("Leave empty for an event open to every province."),
    )
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
        help_text=_("The district the event is held for, if only one."),
    )
    capacity = models.PositiveIntegerField(
        _("places"),
        validators=[MinValueValidator(1)],
        help_text=_("Learners beyond this number join the waiting list."),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("linked course"),
        help_text=_("For example a module to take before the workshop."),
    )
    course_required = models.BooleanField(
        _("passing the linked course is required for the certificate"),
        default=False,
    )
    cpd_hours = models.DecimalField(
        _("CPD hours"),
        max_digits=5,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    attendance_rule = models.CharField(
        _("attendance needed for the certificate"),
        max_length=16,
        choices=AttendanceRule.choices,
        default=AttendanceRule.ALL_SESSIONS,
    )
    attendance_percent = models.PositiveSmallIntegerField(
        _("share of session time (%)"),
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Used when the rule is a share of the session time."),
    )
    certificate_template = models.ForeignKey(
        "certificates.CertificateTemplate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("certificate template"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    # The certificates' record of the event, made when its first certificate
    # is issued: attendees' certificates are workshop certificates of it.
    certificate_workshop = models.OneToOneField(
        "certificates.Workshop",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="event",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("title_en"), FieldPanel("title_ur")]),
        FieldPanel("slug"),
        FieldPanel("description_en"),
        FieldPanel("description_ur"),
        FieldPanel("programme"),
        FieldRowPanel([FieldPanel("province"), FieldPanel("district")]),
        FieldPanel("capacity"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("course"), FieldPanel("course_required")]),
                FieldPanel("cpd_hours"),
                FieldRowPanel(
                    [FieldPanel("attendance_rule"), FieldPanel("attendance_percent")]
                ),
                FieldPanel("certificate_template"),
            ],
            heading=_("Certificate"),
        ),
        InlinePanel("sessions", heading=_("Sessions"), label=_("Session"), min_num=1),
    ]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [models.Index(fields=["status", "programme"])]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        if get_language() == "ur" and self.title_ur:
            return self.title_ur
        return self.title_en

    @property
    def places_left(self) -> int:
        """Places not yet taken (``taken`` when the query annotated it)."""
        taken = getattr(self, "taken", None)
        if taken is None:
            taken = self.registrations.filter(
                status=Registration.Status.REGISTERED
            ).count()
        return max(self.capacity - taken, 0)

    @property
    def description(self) -> str:
        if get_language() == "ur" and self.description_ur:
            return self.description_ur
        return self.description_en

    def clean(self) -> None:
        errors = {}
        if (
            self.district_id
            and self.province_id
            and self.district.province_id != self.province_id
        ):
            errors["district"] = _("The district is not in the province.")
        if self.course_required and not self.course_id:
            errors["course_required"] = _("Choose the course that must be passed.")
        if errors:
            raise ValidationError(errors)


class EventSession(models.Model):
    """One sitting of an event: a start and end (aware; entered in Pakistan
    time), at a venue or online."""

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")

    event = ParentalKey(Event, on_delete=models.CASCADE, related_name="sessions")
    title_en = models.CharField(
        _("session title (English)"), max_length=200, blank=True
    )
    title_ur = models.CharField(_("session title (Urdu)"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(
        _("held"), max_length=16, choices=Mode.choices, default=Mode.IN_PERSON
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district of the venue"),
    )
    online_link = models.URLField(_("online link"), max_length=500, blank=True)
    needs_checkout = models.BooleanField(
        _("attendees check out"),
        default=False,
        help_text=_("For sessions whose certificate counts the time on site."),
    )

    panels = [
        FieldRowPanel([FieldPanel("title_en"), FieldPanel("title_ur")]),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("mode"),
        FieldRowPanel([FieldPanel("venue"), FieldPanel("district")]),
        FieldPanel("online_link"),
        FieldPanel("needs_checkout"),
    ]

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="event_session_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at) if self.starts_at else None
        return f"{self.event_id} {local:%Y-%m-%d %H:%M}" if local else "session"

    @property
    def title(self) -> str:
        if get_language() == "ur" and self.title_ur:
            return self.title_ur
        return self.title_en

    @property
    def duration(self) -> datetime.timedelta:
        return self.ends_at - self.starts_at

    def clean(self) -> None:
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The session ends before it starts.")
        if self.mode == self.Mode.ONLINE and not self.online_link:
            errors["online_link"] = _("An online session needs its link.")
        if self.mode == self.Mode.IN_PERSON and not self.venue:
            errors["venue"] = _("A session in person needs its venue.")
        if errors:
            raise ValidationError(errors)


class Registration(models.Model):
    """A learner's place (or place in the queue) at an event: one row per pair,
    reused when they register again after cancelling."""

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    # Staff who registered a walk-in; empty when the learner registered.
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The waiting list is served in order of joining it (then by id).
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # When the "what is missing for your certificate" e-mail was queued (once).
    shortfall_emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "learner"], name="event_registration_once"
            )
        ]
        indexes = [models.Index(fields=["event", "status", "waitlisted_at"])]

    def __str__(self) -> str:
        return f"{self.learner_id} at {self.event_id}: {self.status}"

    @property
    def is_active(self) -> bool:
        return self.status != self.Status.CANCELLED


class Attendance(models.Model):
    """A learner seen at a session: checked in, and out where the session asks."""

    class Method(models.TextChoices):
        ROTATING_QR = "rotating_qr", _("Scanned the session's QR code")
        PERSONAL_QR = "personal_qr", _("Personal QR code scanned by staff")
        LIST = "list", _("Ticked on the list")
        ONLINE_LINK = "online_link", _("Joined by their online link")
        SESSION_CODE = "session_code", _("Gave the session code")

    session = models.ForeignKey(
        EventSession, on_delete=models.CASCADE, related_name="attendances"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_attendances",
    )
    registration = models.ForeignKey(
        Registration,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
    )
    checked_in_at = models.DateTimeField()
    checked_out_at = models.DateTimeField(null=True, blank=True)
    method = models.CharField(max_length=16, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set by a trainer's phone that scanned offline, so a resend records once.
    client_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checked_in_at", "pk"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "learner"], name="event_attendance_once"
            ),
            models.UniqueConstraint(
                fields=["client_id"],
                condition=~models.Q(client_id=""),
                name="event_attendance_client_id_once",
            ),
            models.CheckConstraint(
                condition=models.Q(checked_out_at__isnull=True)
                | models.Q(checked_out_at__gte=models.F("checked_in_at")),
                name="event_attendance_out_after_in",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.learner_id} at session {self.session_id}"


class SessionReminder(models.Model):
    """One reminder queued for a registration's session: at most one each."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="reminders"
    )
    session = models.ForeignKey(
        EventSession, on_delete=models.CASCADE, related_name="reminders"
    )
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "session"], name="event_reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.registration_id} {self.session_id}"
