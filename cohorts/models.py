"""Cohorts, their members and coordinators, bulk enrolment runs and reminders."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

MIN_JOIN_CODE_LENGTH = 8


class Cohort(ClusterableModel):
    """Learners taking a programme's courses together, with a shared deadline."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ur = models.CharField(_("name (Urdu)"), max_length=200, blank=True)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("programme"),
    )
    courses = models.ManyToManyField(
        "courses.CoursePage",
        blank=True,
        related_name="cohorts",
        verbose_name=_("courses"),
        help_text=_("Leave empty for every course of the programme."),
    )
    province = models.ForeignKey(
        "accounts.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("deadline (date)"), null=True, blank=True)
    deadline_days = models.PositiveIntegerField(
        _("deadline (days after joining)"),
        null=True,
        blank=True,
        help_text=_("For example 42 for “within six weeks of joining”."),
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_cohorts",
        verbose_name=_("cohort coordinators"),
    )
    join_code = models.CharField(
        _("join code"),
        max_length=32,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Learners who are signed in may join with this code or its link "
            "(at least 8 letters or digits). Leave empty to enrol learners only "
            "from a file."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldRowPanel([FieldPanel("name_en"), FieldPanel("name_ur")]),
        FieldPanel("programme"),
        FieldPanel("courses"),
        FieldRowPanel([FieldPanel("province"), FieldPanel("district")]),
        MultiFieldPanel(
            [
                FieldPanel("starts_on"),
                FieldPanel("ends_on"),
                FieldPanel("deadline_days"),
            ],
            heading=_("Dates"),
        ),
        FieldPanel("coordinators"),
        FieldPanel("join_code"),
        InlinePanel("reminder_rules", heading=_("Reminders"), label=_("Reminder")),
    ]

    class Meta:
        ordering = ["-starts_on", "name_en"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(deadline_days__isnull=True),
                name="cohort_one_kind_of_deadline",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_ur if get_language() == "ur" and self.name_ur else self.name_en

    def clean(self) -> None:
        errors = {}
        if self.ends_on and self.deadline_days:
            errors["deadline_days"] = _(
                "Give a deadline date or a number of days, not both."
            )
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The deadline is before the start.")
        if (
            self.district_id
            and self.province_id
            and self.district.province_id != self.province_id
        ):
            errors["district"] = _("The district is not in the province.")
        if self.join_code:
            self.join_code = "".join(self.join_code.split()).upper()
            # The join page is rate limited, but a short code could still be
            # found by trying from a few accounts.
            if len(self.join_code) < MIN_JOIN_CODE_LENGTH:
                errors["join_code"] = _(
                    "A join code needs at least %(count)d letters or digits, so "
                    "that nobody can guess it."
                ) % {"count": MIN_JOIN_CODE_LENGTH}
        if errors:
            raise ValidationError(errors)

    def deadline_for(self, joined_on: datetime.date) -> datetime.date | None:
        """The date a member who joined on ``joined_on`` should have finished by."""
        if self.ends_on:
            return self.ends_on
        if self.deadline_days:
            return max(joined_on, self.starts_on) + datetime.timedelta(
                days=self.deadline_days
            )
        return None


class CohortMembership(models.Model):
    class Source(models.TextChoices):
        FILE = "file", _("Enrolled from a file")
        JOIN_CODE = "join_code", _("Joined with the code")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="cohort_memberships",
    )
    joined_at = models.DateTimeField(auto_now_add=True)
    source = models.CharField(max_length=16, choices=Source.choices)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "user"], name="cohort_membership_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.cohort_id}"

    @property
    def deadline(self) -> datetime.date | None:
        # The day joined in the site's time zone (Asia/Karachi), as reminders count.
        return self.cohort.deadline_for(timezone.localdate(self.joined_at))


class CoordinatorAssignment(models.Model):
    """What one coordinator may see: a programme, narrowed to a province, a
    district or a cohort when those are given (see ``cohorts.scoping``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_assignments",
        verbose_name=_("coordinator"),
    )
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("programme"),
    )
    province = models.ForeignKey(
        "accounts.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    district = models.ForeignKey(
        "accounts.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    cohort = models.ForeignKey(
        Cohort,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("cohort"),
    )

    class Meta:
        verbose_name = _("coordinator's scope")
        verbose_name_plural = _("coordinators' scopes")

    def __str__(self) -> str:
        area = self.cohort or self.district or self.province or self.programme
        return f"{self.user} · {area}"

    def clean(self) -> None:
        if (
            self.district_id
            and self.province_id
            and self.district.province_id != self.province_id
        ):
            raise ValidationError(
                {"district": _("The district is not in the province.")}
            )
        if self.cohort_id and self.cohort.programme_id != self.programme_id:
            raise ValidationError(
                {"cohort": _("The cohort belongs to another programme.")}
            )


class ReminderRule(models.Model):
    class Kind(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started N days after joining")
        INACTIVE = "inactive", _("No activity for N days")
        DEADLINE = "deadline", _("Deadline in N days")
        CERTIFICATE_EXPIRING = "expiring", _("Certificate expires in N days")

    cohort = ParentalKey(
        Cohort, on_delete=models.CASCADE, related_name="reminder_rules"
    )
    kind = models.CharField(_("when"), max_length=16, choices=Kind.choices)
    days = models.PositiveIntegerField(_("N (days)"))

    panels = [FieldRowPanel([FieldPanel("kind"), FieldPanel("days")])]

    class Meta:
        verbose_name = _("reminder rule")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "kind", "days"], name="reminder_rule_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.days})"


class ReminderSent(models.Model):
    """One reminder to one learner; at most one a day (the unique constraint)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=ReminderRule.Kind.choices)
    sent_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    # When the channel took it: a retried delivery batch skips those sent.
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder sent")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "sent_on"], name="reminder_one_per_learner_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.user_id} on {self.sent_on}"


class ReminderOptOut(models.Model):
    """A learner who asked, through the signed link, for no more reminders."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id}"


class Announcement(models.Model):
    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="announcements"
    )
    subject = models.CharField(_("subject"), max_length=150)
    body = models.TextField(_("message"), max_length=5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("announcement")

    def __str__(self) -> str:
        return self.subject


class BulkEnrolmentRun(models.Model):
    """One uploaded file of learners, worked through by a background task."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Working")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="enrolment_runs"
    )
    file_name = models.CharField(max_length=255)
    # The rows as read from the file: [{"line": 2, "email": …, …}, …].
    rows = models.JSONField(default=list)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    enrolled_count = models.PositiveIntegerField(default=0)
    invited_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    # [{"line": 3, "code": "district_unknown", "params": {…}}]: shown in the
    # reader's language, so the message is made when the page is.
    problems = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Started on the server with the enrol_cohort command: every district. A run
    # whose starter has been deleted is not that: it fails rather than widen.
    unrestricted = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("bulk enrolment")

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent_done(self) -> int:
        if not self.total_rows:
            return 100 if self.state == self.State.FINISHED else 0
        return round(100 * self.processed_rows / self.total_rows)

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
